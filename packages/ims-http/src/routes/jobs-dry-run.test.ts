/**
 * POST /jobs?dry_run=true on every prefix: 200 with the job and its objects, nothing written and
 * nothing sent to Kubernetes; every refusal is the one a create gives, byte for byte; a dry_run
 * value that is neither true nor false is a 400.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { NO_OBJECTS, jobsRig, type JobsRig } from "../test-support/jobs.ts";
import type { SendBody } from "../test-support/send.ts";

const PREFIXES = ["", "/v2", "/v3"] as const;
const MISSING = "0b2f4e9c-4a4c-4a53-9a55-8c3d2f1e6b7a";
const JSON_TYPE = { "content-type": "application/json" };

let r: JobsRig;
let keyId: string;
beforeEach(async () => {
  r = await jobsRig();
  keyId = await r.publicKey();
});
afterEach(() => r.close());

const createBody = (over: Record<string, unknown> = {}) => r.createBody(keyId, over);

/** Runs `fn` and checks that no record changed and no request reached Kubernetes. */
async function writesNothing<T>(fn: () => Promise<T>): Promise<T> {
  const before = await r.snapshot();
  const requests = r.kube.requests.length;
  const out = await fn();
  expect(await r.snapshot()).toBe(before);
  expect(r.kube.requests.length).toBe(requests);
  return out;
}

describe.each(PREFIXES)("POST '%s/jobs?dry_run=true'", (p) => {
  test("200: the job it would create and its objects in creation order; nothing is created", async () => {
    const body = await createBody();
    const res = await writesNothing(() => r.call("POST", `${p}/jobs?dry_run=true`, body));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("etag")).toBeNull();
    expect(Object.keys(res.body).sort()).toEqual(["job", "objects", "warnings"]);
    const { job, objects, warnings } = res.body;
    expect(job).toMatchObject({ job_type: "create", artifact_id: body.artifact_id, status: "creating", kubernetes_job: `cray-ims-${job.id}-create` });
    expect(objects.map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual([
      `ConfigMap/${job.kubernetes_configmap}`, `Service/${job.kubernetes_service}`, `Job/${job.kubernetes_job}`,
      `PersistentVolumeClaim/${job.kubernetes_pvc}`, `DestinationRule/${job.kubernetes_service}`,
    ]);
    expect(JSON.parse(objects[0].data.template_dictionary)).toEqual({ K: "V" });
    expect(warnings).toEqual([]);
    expect((await r.call("GET", `${p}/jobs/${job.id}`)).status).toBe(404);
    expect(await r.objects()).toEqual(NO_OBJECTS);
  });

  test("dry_run takes true and false words in any case; anything else is a 400 and nothing happens", async () => {
    const body = await createBody();
    for (const value of ["true", "True", "YES", "t", "1"]) {
      const res = await writesNothing(() => r.call("POST", `${p}/jobs?dry_run=${value}`, body));
      expect({ value, status: res.status }).toEqual({ value, status: 200 });
    }
    for (const query of ["dry_run=banana", "dry_run=", "dry_run", "dry_run=2", "dry_run=truee"]) {
      const res = await writesNothing(() => r.call("POST", `${p}/jobs?${query}`, body));
      expect({ query, status: res.status, type: res.headers.get("content-type") }).toEqual({ query, status: 400, type: "application/problem+json" });
      expect(res.body.detail).toStartWith("dry_run must be true or false");
    }
    for (const value of ["false", "No", "f", "0"]) {
      const res = await r.call("POST", `${p}/jobs?dry_run=${value}`, body);
      expect({ value, status: res.status }).toEqual({ value, status: 201 });
    }
  });

  test("every refusal is the create's: same status, same body", async () => {
    const cases: [string, SendBody, Record<string, string>?][] = [
      ["no body", undefined],
      ["empty object", { raw: "{}" }, JSON_TYPE],
      ["malformed JSON", { raw: '{"job_type": ' }, JSON_TYPE],
      ["not JSON", { raw: "job_type=create" }, { "content-type": "text/plain" }],
      ["too large", { raw: `{"x": "${"a".repeat(1_100_000)}"}` }, JSON_TYPE],
      ["schema", { job_type: "build", artifact_id: "nope", status: "success" }],
      ["ssh containers on a create", await createBody({ ssh_containers: [{ name: "x" }] })],
      ["unknown recipe", await createBody({ artifact_id: MISSING })],
      ["recipe without link", await createBody({ artifact_id: await r.recipe({ link: false }) })],
      ["unknown public key", await createBody({ public_key_id: MISSING })],
      ["malformed Idempotency-Key", await createBody(), { ...JSON_TYPE, "idempotency-key": "" }],
    ];
    for (const [what, body, headers] of cases) {
      const dry = await writesNothing(() => r.call("POST", `${p}/jobs?dry_run=true`, body, headers));
      const real = await writesNothing(() => r.call("POST", `${p}/jobs`, body, headers));
      expect({ what, status: dry.status, body: dry.body }).toEqual({ what, status: real.status, body: real.body });
      expect({ what, client_error: dry.status >= 400 && dry.status < 500 }).toEqual({ what, client_error: true });
    }
  });
});

test("works with no Kubernetes cluster configured, where a create answers 503", async () => {
  const bare = await jobsRig({ cluster: false });
  try {
    const key = await bare.publicKey();
    const body = { job_type: "create", artifact_id: await bare.recipe(), public_key_id: key, image_root_archive_name: "x" };
    expect((await bare.call("POST", "/v3/jobs?dry_run=true", body)).status).toBe(200);
    expect((await bare.call("POST", "/v3/jobs", body)).status).toBe(503);
    expect(bare.kube.requests).toEqual([]);
  } finally {
    await bare.close();
  }
});

test("the OpenAPI document offers dry_run (a boolean) on every job create and describes the 200", async () => {
  const doc = (await r.call("GET", "/openapi.json")).body;
  for (const p of PREFIXES) {
    const post = doc.paths[`${p}/jobs`].post;
    expect(post.parameters.find((q: any) => q.name === "dry_run")).toMatchObject({ in: "query", required: false, schema: { type: "boolean" } });
    expect(post.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/JobDryRun" });
  }
  expect(doc.components.schemas.JobDryRun.properties.job).toEqual({ $ref: "#/components/schemas/Job" });
});
