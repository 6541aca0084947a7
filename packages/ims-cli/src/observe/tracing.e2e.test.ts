/**
 * Traces of the real process, sent to a local OTLP/HTTP receiver (a Bun.serve that records what
 * it is sent): a SERVER span per request that continues the caller's traceparent and carries the
 * request id of the log line, with the store, artifact, Kubernetes and template work as its
 * children. Spans are flushed when the process stops. Protobuf is checked on the wire too.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeKube, writeKubeconfig } from "@ims/core/test-support";
import { placeArtifact, seedSigningKey } from "@ims/http/test-support";
import { startService } from "../test-support/processes.ts";
import { call as callService } from "../test-support/workload.ts";

const dir = mkdtempSync(join(tmpdir(), "ims-tracing-"));
const artifactsDir = join(dir, "artifacts");
const received: { path: string; type: string | null; body: Uint8Array }[] = [];
let receiver: ReturnType<typeof Bun.serve>;
let kube: FakeKube;

beforeAll(() => {
  receiver = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      received.push({ path: new URL(request.url).pathname, type: request.headers.get("content-type"), body: new Uint8Array(await request.arrayBuffer()) });
      return new Response(null, { status: 200 });
    },
  });
  kube = new FakeKube();
  seedSigningKey(kube);
});
afterAll(() => {
  receiver?.stop(true);
  kube?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}
type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean };
const valueOf = (v: OtlpValue) => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : v.boolValue);
const attributesOf = (list: { key: string; value: OtlpValue }[] = []) => Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));

/** Every span of every JSON export, with its resource's service.name. */
function spansOf(exports: typeof received): (Span & { service: unknown })[] {
  return exports.flatMap((e) =>
    JSON.parse(new TextDecoder().decode(e.body)).resourceSpans.flatMap((rs: any) =>
      rs.scopeSpans.flatMap((ss: any) => ss.spans.map((s: any) => ({ ...s, attributes: attributesOf(s.attributes), service: attributesOf(rs.resource.attributes)["service.name"] }))),
    ),
  );
}

const env = (protocol: string) => ({
  KUBECONFIG: writeKubeconfig(dir, { server: kube.url }).path,
  IMS_KUBERNETES: "auto",
  DATABASE_URL: `sqlite:${join(dir, `${protocol.replace("/", "-")}.sqlite`)}`,
  IMS_ARTIFACTS_DIR: artifactsDir,
  LOG_LEVEL: "info",
  OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`,
  OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
  OTEL_SERVICE_NAME: "ims-under-test",
});

test("each request is a span with its work as children, sharing the request id with the log line", async () => {
  received.length = 0;
  placeArtifact(artifactsDir, "s3://ims/recipes/t/recipe.tar.gz", "a recipe archive");
  const service = await startService(env("http/json"));
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => callService(service.base, method, path, body, headers);
  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const callerSpan = "00f067aa0ba902b7";
  let image: string;
  let job: { id: string };
  try {
    image = (await call("POST", "/v3/images", { name: "traced" })).body.id;
    const got = await call("GET", `/v3/images/${image}`, undefined, { "x-request-id": "trace-req-1", traceparent: `00-${traceId}-${callerSpan}-01` });
    expect(got.status).toBe(200);
    const key = (await call("POST", "/v3/public-keys", { name: "me", public_key: "ssh-ed25519 AAAA me@host" })).body.id;
    const recipe = (await call("POST", "/v3/recipes", {
      name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: "s3://ims/recipes/t/recipe.tar.gz", type: "s3" },
    })).body.id;
    job = (await call("POST", "/v3/jobs", { job_type: "create", artifact_id: recipe, public_key_id: key, image_root_archive_name: "out" }, { "x-request-id": "job-req" })).body;
    expect(job.id).toBeString();
    // A soft delete: its moves run after the answer, in the request's trace.
    placeArtifact(artifactsDir, "s3://ims/recipes/t/moved.tar.gz", "another archive");
    const moved = (await call("POST", "/v3/recipes", {
      name: "m", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: "s3://ims/recipes/t/moved.tar.gz", type: "s3" },
    })).body.id;
    expect((await call("DELETE", `/v3/recipes/${moved}`)).status).toBe(204);
    for (let i = 0; i < 400 && (await call("GET", "/v3/operations?state=done")).body.length === 0; i++) await Bun.sleep(25);
  } finally {
    await service.stop(); // flushes the batch
  }
  const log = service.output().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  expect(received.every((r) => r.path === "/v1/traces" && r.type === "application/json")).toBe(true);
  const spans = spansOf(received);
  expect(new Set(spans.map((s) => s.service))).toEqual(new Set(["ims-under-test"]));

  // The GET: a server span continuing the caller's trace, named by the route template.
  const get = spans.find((s) => s.name === "GET /v3/images/{image_id}")!;
  expect(get).toMatchObject({ traceId, parentSpanId: callerSpan, kind: 2 });
  expect(get.attributes).toMatchObject({ "http.route": "/v3/images/{image_id}", "http.request.method": "GET", "http.response.status_code": 200, "ims.request_id": "trace-req-1" });
  expect(log.find((l) => l.msg === "request" && l.request_id === "trace-req-1")).toMatchObject({ path: `/v3/images/${image!}`, status: 200 });
  const childrenOf = (parent: Span) => spans.filter((s) => s.parentSpanId === parent.spanId && s.traceId === parent.traceId);
  expect(childrenOf(get).map((s) => s.name)).toEqual(["store get"]);

  // A create: its transaction.
  const create = spans.find((s) => s.name === "POST /v3/images")!;
  expect(childrenOf(create).map((s) => [s.name, s.attributes["db.system.name"]])).toEqual([["store transaction", "sqlite"]]);

  // A job: templates rendered, artifact presigned, Kubernetes objects created, all in the request's trace.
  const post = spans.find((s) => s.name === "POST /v3/jobs")!;
  expect(post.attributes["ims.request_id"]).toBe("job-req");
  const inJob = spans.filter((s) => s.traceId === post.traceId).map((s) => s.name);
  for (const name of ["render job templates", "local presign", "kubernetes CREATE jobs", "kubernetes CREATE configmaps", "kubernetes GET secrets", "store transaction"]) {
    expect(inJob).toContain(name);
  }
  const createJob = spans.find((s) => s.name === "kubernetes CREATE jobs")!;
  expect(createJob).toMatchObject({ kind: 3 });
  expect(createJob.attributes).toMatchObject({ "http.response.status_code": 201, "k8s.resource": "jobs" });
  expect(JSON.stringify(createJob)).not.toContain(job!.id); // span names and attributes name no object

  const del = spans.find((s) => s.name === "DELETE /v3/recipes/{recipe_id}")!;
  const inDelete = spans.filter((s) => s.traceId === del.traceId).map((s) => s.name);
  expect(inDelete).toEqual(expect.arrayContaining(["local head", "store transaction", "local copy", "local remove"]));
});

test("the default protocol is OTLP protobuf over HTTP", async () => {
  received.length = 0;
  const service = await startService({ ...env("http/protobuf"), OTEL_EXPORTER_OTLP_PROTOCOL: "" });
  try {
    expect((await fetch(`${service.base}/v3/images`)).status).toBe(200);
  } finally {
    await service.stop();
  }
  expect(received.length).toBeGreaterThan(0);
  expect(received.every((r) => r.path === "/v1/traces" && r.type === "application/x-protobuf")).toBe(true);
  // Protobuf keeps strings as UTF-8 bytes: the span name and service name are in the message.
  const wire = Buffer.concat(received.map((r) => r.body)).toString("latin1");
  expect(wire).toContain("GET /v3/images");
  expect(wire).toContain("ims-under-test");
});
