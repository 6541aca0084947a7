/** The watcher moves jobs that can no longer report to "error". */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { failure, NS, openJobsHarness, until, type JobsHarness } from "./harness.test.ts";
import { jobIdOf, startJobWatcher, type JobWatcher } from "./watcher.ts";

let h: JobsHarness;
let abort: AbortController;
let watcher: JobWatcher;
beforeEach(async () => {
  h = await openJobsHarness();
  abort = new AbortController();
});
afterEach(async () => {
  abort.abort();
  await watcher?.done;
  await h.cleanup();
});

const start = (waitingLimitMs?: number) =>
  (watcher = startJobWatcher({ ctx: h.f.ims.ctx, cluster: h.cluster, namespace: NS, signal: abort.signal, ...(waitingLimitMs ? { waitingLimitMs } : {}) }));
const newJob = async () =>
  (await h.f.ims.jobs.create({ job_type: "create", artifact_id: await h.recipe(), public_key_id: h.keyId, image_root_archive_name: "x" })).data;
const status = async (id: string) => (await h.f.ims.jobs.get(id)).data.status;

test("job names map back to job ids", () => {
  expect(jobIdOf("cray-ims-0b2f4e9c-4a4c-4a53-9a55-8c3d2f1e6b7a-customize")).toBe("0b2f4e9c-4a4c-4a53-9a55-8c3d2f1e6b7a");
  expect(jobIdOf("cray-ims-0b2f4e9c-4a4c-4a53-9a55-8c3d2f1e6b7a-service")).toBeUndefined();
  expect(jobIdOf("something-else")).toBeUndefined();
});

test("a failed Kubernetes Job moves its record to error and releases PVC and Service", async () => {
  const job = await newJob();
  const running = await newJob();
  start();
  await until("the watch", () => h.kube.openWatches > 0);
  h.kube.setJobStatus(NS, job.kubernetes_job!, { failed: 1 });
  await until("error status", async () => (await status(job.id)) === "error");
  expect(await status(running.id)).toBe("creating");
  expect(await h.names("persistentvolumeclaims")).toEqual([running.kubernetes_pvc!]);
  expect(await h.names("jobs")).toEqual([job.kubernetes_job!, running.kubernetes_job!].sort());
  expect(h.logs.some((l) => l.level === "warn" && l.msg === "job moved to error" && l.fields?.id === job.id)).toBe(true);
});

test("a Job deleted behind IMS's back moves the record to error; finished records stay as they are", async () => {
  const job = await newJob();
  const done = await newJob();
  await h.f.ims.jobs.patch(done.id, { status: "success" });
  start();
  await until("the watch", () => h.kube.openWatches > 0);
  h.kube.setJobStatus(NS, done.kubernetes_job!, { failed: 1 });
  h.kube.deleteObject("jobs", NS, job.kubernetes_job!);
  await until("error status", async () => (await status(job.id)) === "error");
  await watcher.settled();
  expect(await status(done.id)).toBe("success");
});

test("a job failed before the watcher started is caught by the initial list", async () => {
  const job = await newJob();
  h.kube.setJobStatus(NS, job.kubernetes_job!, { failed: 1 });
  start();
  await until("error status", async () => (await status(job.id)) === "error");
});

test("the sweep reports and fails jobs waiting longer than the limit", async () => {
  const old = await newJob();
  h.clock.ms += 2 * 3600_000;
  const young = await newJob();
  h.clock.ms += 30 * 60_000;
  start(3600_000); // sweeps once at start
  await watcher.settled();
  expect([await status(old.id), await status(young.id)]).toEqual(["error", "creating"]);
  expect(h.logs.some((l) => l.level === "warn" && l.msg.includes("waiting limit") && l.fields?.id === old.id)).toBe(true);
  expect(await watcher.sweep()).toEqual([]);
  h.clock.ms += 31 * 60_000;
  expect(await watcher.sweep()).toEqual([young.id]);
  expect(await h.names("persistentvolumeclaims")).toEqual([]);
});

test("deleting a job while watching does not resurrect it", async () => {
  const job = await newJob();
  start();
  await until("the watch", () => h.kube.openWatches > 0);
  await h.f.ims.jobs.delete(job.id);
  await Bun.sleep(50);
  await watcher.settled();
  expect((await failure(h.f.ims.jobs.get(job.id))).kind).toBe("not_found");
});
