/** PATCH, DELETE and DELETE-with-filters end to end against the fake Kubernetes API. */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { failure, NS, openJobsHarness, PLURALS, type JobsHarness } from "./harness.test.ts";
import { jobs } from "./resource.ts";
import type { Job } from "../records.ts";

let h: JobsHarness;
beforeEach(async () => (h = await openJobsHarness()));
afterEach(() => h.cleanup());

const H = 3600_000;
async function newJob(over: Record<string, unknown> = {}): Promise<Job> {
  const customize = over.job_type === "customize";
  const artifact_id = customize ? await h.image() : await h.recipe();
  return (await h.f.ims.jobs.create({ job_type: "create", artifact_id, public_key_id: h.keyId, image_root_archive_name: "x", ...over })).data;
}
const everything = async () => Object.fromEntries(await Promise.all(PLURALS.map(async (p) => [p, await h.names(p)])));

describe("patch", () => {
  test("404, then 400, then 422", async () => {
    const missing = "11111111-2222-4333-8444-555555555555";
    expect((await failure(h.f.ims.jobs.patch(missing, {}))).kind).toBe("not_found");
    const job = await newJob();
    expect((await failure(h.f.ims.jobs.patch(job.id, {}))).kind).toBe("missing_input");
    expect((await failure(h.f.ims.jobs.patch(job.id, { status: "done" }))).kind).toBe("validation");
    expect((await failure(h.f.ims.jobs.patch(job.id, { arch: "aarch64" }))).kind).toBe("validation");
  });

  test("progress statuses touch nothing; success releases PVC, Service and DestinationRule", async () => {
    const job = await newJob();
    const image = "22222222-3333-4444-8555-666666666666";
    const step = await h.f.ims.jobs.patch(job.id, { status: "building_image" });
    expect([step.data.status, step.version]).toEqual(["building_image", 2]);
    expect(h.kube.requests.filter((r) => r.method === "DELETE")).toEqual([]);
    const done = await h.f.ims.jobs.patch(job.id, { status: "success", resultant_image_id: image.toUpperCase() });
    expect(done.data).toMatchObject({ status: "success", resultant_image_id: image });
    expect(await everything()).toEqual({
      configmaps: [job.kubernetes_configmap],
      services: [],
      jobs: [job.kubernetes_job],
      persistentvolumeclaims: [],
      destinationrules: [],
      secrets: [job.kubernetes_secret],
    });
  });

  test("a failed release is a 500 listing the failures, and the status stays", async () => {
    const job = await newJob();
    h.kube.inject({ method: "DELETE", path: "/services/", status: 500, message: "apiserver busy" });
    const e = await failure(h.f.ims.jobs.patch(job.id, { status: "error" }));
    expect(e.kind).toBe("internal");
    expect(e.errors).toEqual([expect.stringContaining("apiserver busy")]);
    expect((await h.f.ims.jobs.get(job.id)).data.status).toBe("creating");
  });
});

describe("delete", () => {
  test("removes every object and the record; 404 afterwards", async () => {
    const job = await newJob({ job_type: "customize" });
    await h.f.ims.jobs.delete(job.id);
    expect(await h.jobs()).toEqual([]);
    for (const p of PLURALS) expect([p, await h.names(p)]).toEqual([p, []]);
    expect((await failure(h.f.ims.jobs.delete(job.id))).kind).toBe("not_found");
  });

  test("objects already gone are fine; other failures keep the record (500)", async () => {
    const job = await newJob();
    h.kube.deleteObject("jobs", NS, job.kubernetes_job!);
    h.kube.inject({ method: "DELETE", path: "/configmaps/", status: 403, reason: "Forbidden", message: "no" });
    const e = await failure(h.f.ims.jobs.delete(job.id));
    expect([e.kind, (e.errors as string[]).length]).toEqual(["internal", 1]);
    expect((await h.f.ims.jobs.get(job.id)).data.id).toBe(job.id);
    await h.f.ims.jobs.delete(job.id);
    expect(await h.jobs()).toEqual([]);
  });
});

describe("deleteAll", () => {
  /** Jobs created 30 h, 24.5 h and 2 h before "now". */
  async function aged() {
    const now = h.clock.ms;
    h.clock.ms = now - 30 * H;
    const old = await newJob();
    h.clock.ms = now - 24.5 * H;
    const day = await newJob({ job_type: "customize" });
    h.clock.ms = now - 2 * H;
    const fresh = await newJob();
    h.clock.ms = now;
    return { old, day, fresh };
  }
  const ids = async () => (await h.jobs()).map((j) => j.id);

  test("age quirk: 1d6h is 25 hours, so only the 30 h old job goes", async () => {
    const { old, day, fresh } = await aged();
    await h.f.ims.jobs.deleteAll({ age: "1d6h" });
    expect(await ids()).toEqual([day.id, fresh.id]);
    expect(await h.names("jobs")).toEqual([day.kubernetes_job!, fresh.kubernetes_job!].sort());
    await h.f.ims.jobs.deleteAll({ age: "1day" });
    expect(await ids()).toEqual([fresh.id]);
    void old;
  });

  test("an age with no unit is refused and deletes nothing (upstream: every job)", async () => {
    await aged();
    const before = await ids();
    await expect(h.f.ims.jobs.deleteAll({ age: "12" })).rejects.toMatchObject({ kind: "bad_request" });
    expect(await ids()).toEqual(before);
    await h.f.ims.jobs.deleteAll({ age: "0m" }); // every job, said explicitly
    expect(await ids()).toEqual([]);
    for (const p of PLURALS) expect([p, await h.names(p)]).toEqual([p, []]);
  });

  test("status (any case) and job_type are ANDed with age", async () => {
    const { old, day, fresh } = await aged();
    for (const j of [old, day, fresh]) await h.f.ims.jobs.patch(j.id, { status: "error" });
    await h.f.ims.jobs.deleteAll({ status: ["ERROR"], job_type: "create", age: "3h" });
    expect(await ids()).toEqual([day.id, fresh.id]);
    await h.f.ims.jobs.deleteAll({ status: ["success"] });
    expect(await ids()).toEqual([day.id, fresh.id]);
    await h.f.ims.jobs.deleteAll({ job_type: "customize" });
    expect(await ids()).toEqual([fresh.id]);
  });

  test("bad filters are 400 and delete nothing", async () => {
    await aged();
    expect((await failure(h.f.ims.jobs.deleteAll({ status: ["error", "finished"] }))).kind).toBe("bad_request");
    expect((await failure(h.f.ims.jobs.deleteAll({ job_type: "build" }))).kind).toBe("bad_request");
    expect((await ids()).length).toBe(3);
  });

  test("failures are aggregated into one 500; the others are still removed", async () => {
    const { old, day, fresh } = await aged();
    h.kube.inject({ method: "DELETE", path: `/${day.kubernetes_pvc}`, status: 500, message: "stuck" });
    const e = await failure(h.f.ims.jobs.deleteAll());
    expect(e.kind).toBe("internal");
    expect(e.errors).toEqual([expect.stringContaining(day.kubernetes_pvc!)]);
    expect(await ids()).toEqual([day.id]);
    void old, fresh;
  });
});

describe("without a cluster", () => {
  test("deletes answer 503 and keep the records; a finishing PATCH still lands", async () => {
    const job = await newJob();
    const bare = jobs({ ctx: h.f.ims.ctx, config: h.f.ims.jobsConfig });
    expect((await failure(bare.delete(job.id))).kind).toBe("unavailable");
    expect((await failure(bare.deleteAll({ status: ["creating"] }))).kind).toBe("unavailable");
    expect((await bare.patch(job.id, { status: "error" })).data.status).toBe("error");
    expect(await h.names("services")).toEqual([job.kubernetes_service!]); // left for a later DELETE
    expect((await h.jobs()).length).toBe(1);
    await bare.deleteAll({ status: ["success"] }); // matches nothing: fine
  });
});
