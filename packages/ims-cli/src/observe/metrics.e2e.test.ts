/**
 * /metrics of the real process (SQLite, local artifacts, a Kubernetes test server): requests by
 * route template, artifact steps and operations, jobs, Kubernetes requests and watch restarts,
 * store transactions, process metrics; and IMS_METRICS=off.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeKube, writeKubeconfig } from "@ims/core/test-support";
import { NS, placeArtifact, seedSigningKey } from "@ims/http/test-support";
import { startService, type ServiceProcess } from "../test-support/processes.ts";
import { call as callService } from "../test-support/workload.ts";
import { sampleOf, samplesOf } from "./test-exposition.ts";

const dir = mkdtempSync(join(tmpdir(), "ims-metrics-"));
const artifactsDir = join(dir, "artifacts");
let kube: FakeKube;
let service: ServiceProcess;

beforeAll(async () => {
  kube = new FakeKube();
  seedSigningKey(kube);
  placeArtifact(artifactsDir, "s3://ims/recipes/m/recipe.tar.gz", "a recipe archive");
  service = await startService({
    KUBECONFIG: writeKubeconfig(dir, { server: kube.url }).path,
    IMS_KUBERNETES: "auto",
    DATABASE_URL: `sqlite:${join(dir, "ims.sqlite")}`,
    IMS_ARTIFACTS_DIR: artifactsDir,
  });
});
afterAll(async () => {
  await service?.stop();
  kube?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const call = (method: string, path: string, body?: unknown) => callService(service.base, method, path, body);
const scrape = async () => {
  const res = await call("GET", "/metrics");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  return res.text;
};
async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 10_000;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${service.output()}`);
    await Bun.sleep(25);
  }
}

test("requests are counted and timed by method, route template and status; never by raw path", async () => {
  const id = (await call("POST", "/v3/images", { name: "i" })).body.id;
  for (let i = 0; i < 3; i++) expect((await call("GET", `/v3/images/${id}`)).status).toBe(200);
  expect((await call("GET", "/v3/images/no-such-image")).status).toBe(404);
  expect((await call("GET", "/what/ever/123")).status).toBe(404);
  expect((await call("PUT", "/v3/images")).status).toBe(405);
  const text = await scrape();
  const count = (labels: Record<string, string>) => sampleOf(text, "ims_http_request_duration_seconds_count", labels);
  expect(count({ method: "POST", route: "/v3/images", status: "201" })).toBe(1);
  expect(count({ method: "GET", route: "/v3/images/{image_id}", status: "200" })).toBe(3);
  expect(count({ method: "GET", route: "/v3/images/{image_id}", status: "404" })).toBe(1);
  expect(count({ method: "GET", route: "unmatched", status: "404" })).toBe(1);
  expect(count({ method: "PUT", route: "unmatched", status: "405" })).toBe(1);
  expect(sampleOf(text, "ims_http_request_duration_seconds_bucket", { method: "GET", route: "/v3/images/{image_id}", status: "200", le: "+Inf" })).toBe(3);
  expect(text).not.toContain(id);
  expect(text).not.toContain("no-such-image");
  expect(sampleOf(text, "ims_http_requests_in_flight")).toBeGreaterThanOrEqual(1); // this scrape
  expect(sampleOf(text, "ims_store_transaction_duration_seconds_count", { store: "sqlite", outcome: "commit" })).toBeGreaterThanOrEqual(1);
});

test("artifact work: steps by kind and store, operations by state", async () => {
  const recipe = await call("POST", "/v3/recipes", {
    name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: "s3://ims/recipes/m/recipe.tar.gz", type: "s3" },
  });
  expect((await call("DELETE", `/v3/recipes/${recipe.body.id}`)).status).toBe(204);
  await until("the move to finish", async () => (await call("GET", "/v3/operations?state=done")).body.length === 1);
  const text = await scrape();
  expect(sampleOf(text, "ims_artifact_step_duration_seconds_count", { kind: "copy", store: "local" })).toBe(1);
  expect(sampleOf(text, "ims_artifact_step_duration_seconds_count", { kind: "remove", store: "local" })).toBe(1);
  expect(samplesOf(text, "ims_artifact_step_failures_total")).toEqual([]);
  expect(samplesOf(text, "ims_artifact_operations")).toEqual([
    [{ state: "pending" }, 0],
    [{ state: "done" }, 1],
    [{ state: "failed" }, 0],
  ]);
  expect(sampleOf(text, "ims_artifact_oldest_pending_operation_age_seconds")).toBe(0);
});

test("jobs by status and type, Kubernetes requests by verb and resource, watch restarts", async () => {
  await until("the job watch", async () => kube.openWatches > 0);
  const key = (await call("POST", "/v3/public-keys", { name: "me", public_key: "ssh-ed25519 AAAA me@host" })).body.id;
  placeArtifact(artifactsDir, "s3://ims/recipes/j/recipe.tar.gz", "a recipe archive");
  const recipe = (await call("POST", "/v3/recipes", {
    name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: "s3://ims/recipes/j/recipe.tar.gz", type: "s3" },
  })).body.id;
  const job = await call("POST", "/v3/jobs", { job_type: "create", artifact_id: recipe, public_key_id: key, image_root_archive_name: "out" });
  expect(job.status).toBe(201);
  kube.endWatches();
  await until("a new watch", async () => kube.openWatches > 0);
  // The test server sends a watch's headers with its first event: give it one.
  kube.setJobStatus(NS, job.body.kubernetes_job, { active: 1 });
  const watches = (text: string) => samplesOf(text, "ims_kubernetes_requests_total").find(([l]) => l.verb === "WATCH")?.[1];
  await until("the watch to reconnect", async () => watches(await scrape()) === 2);
  const text = await scrape();
  expect(sampleOf(text, "ims_jobs", { status: "creating", job_type: "create" })).toBe(1);
  expect(sampleOf(text, "ims_jobs", { status: "success", job_type: "customize" })).toBe(0);
  expect(sampleOf(text, "ims_kubernetes_requests_total", { verb: "CREATE", resource: "jobs", code: "201" })).toBe(1);
  expect(sampleOf(text, "ims_kubernetes_requests_total", { verb: "CREATE", resource: "configmaps", code: "201" })).toBe(1);
  expect(sampleOf(text, "ims_kubernetes_requests_total", { verb: "GET", resource: "secrets", code: "200" })).toBe(1);
  expect(sampleOf(text, "ims_kubernetes_requests_total", { verb: "LIST", resource: "jobs", code: "200" })).toBe(1);
  expect(sampleOf(text, "ims_kubernetes_request_duration_seconds_count", { verb: "CREATE", resource: "jobs" })).toBe(1);
  expect(samplesOf(text, "ims_kubernetes_request_duration_seconds_count").some(([l]) => l.verb === "WATCH")).toBe(false);
  expect(sampleOf(text, "ims_kubernetes_watch_restarts_total", { reason: "closed" })).toBe(1);
  expect(text).not.toContain(job.body.id);
});

test("process metrics that are right under Bun, and the version", async () => {
  const text = await scrape();
  for (const name of ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds", "process_open_fds", "nodejs_eventloop_lag_seconds", "nodejs_heap_size_used_bytes"]) {
    expect(sampleOf(text, name)).toBeGreaterThanOrEqual(0);
  }
  expect(sampleOf(text, "process_resident_memory_bytes")).toBeGreaterThan(10 * 2 ** 20);
  expect(text).not.toContain("nodejs_heap_space_size");
  expect(text).not.toContain("process_heap_bytes");
  expect(samplesOf(text, "ims_build_info")).toHaveLength(1);
});

test("IMS_METRICS=off: /metrics is not served", async () => {
  const off = await startService({ DATABASE_URL: `sqlite:${join(dir, "off.sqlite")}`, IMS_ARTIFACTS_DIR: artifactsDir, IMS_METRICS: "off" });
  try {
    expect((await fetch(`${off.base}/metrics`)).status).toBe(404);
    expect((await fetch(`${off.base}/healthz/live`)).status).toBe(200);
  } finally {
    await off.stop();
  }
});
