/** Idempotent job creation: one job per key, replayed to retries; a job taken back frees its key. */
import { afterEach, expect, test } from "bun:test";
import { failure, openJobsHarness, PLURALS, type HarnessOptions, type JobsHarness } from "./harness.test.ts";

let h: JobsHarness;
afterEach(() => h?.cleanup());
const open = async (o?: HarnessOptions) => (h = await openJobsHarness(o));
const idem = (key: string, fingerprint = "POST /v3/jobs sha256:1") => ({ idempotency: { key, fingerprint } });
const body = async () => ({ job_type: "create", artifact_id: await h.recipe(), public_key_id: h.keyId, image_root_archive_name: "img" });
const stored = (key: string) => h.f.store.transaction((tx) => tx.getIdempotent(key));

test("a retry with the key answers the first job and creates nothing more", async () => {
  await open();
  const b = await body();
  const first = await h.f.ims.jobs.create(b, idem("k"));
  const posts = h.posts();
  expect(await h.f.ims.jobs.create(b, idem("k"))).toEqual(first);
  expect(h.posts()).toBe(posts);
  expect((await h.jobs()).map((j) => j.id)).toEqual([first.data.id]);
  // Without a key (or with another) the same body is a new job.
  expect((await h.f.ims.jobs.create(b)).data.id).not.toBe(first.data.id);
  expect((await h.f.ims.jobs.create(b, idem("other"))).data.id).not.toBe(first.data.id);
  expect(await h.jobs()).toHaveLength(3);
});

test("the key with another request is refused and writes nothing", async () => {
  await open();
  await h.f.ims.jobs.create(await body(), idem("k"));
  const posts = h.posts();
  const e = await failure(h.f.ims.jobs.create(await body(), idem("k", "POST /v3/jobs sha256:2")));
  expect(e.kind).toBe("validation");
  expect(e.detail).toContain("Idempotency-Key");
  expect(h.posts()).toBe(posts);
  expect(await h.jobs()).toHaveLength(1);
});

test("Kubernetes refuses the objects: record and key result go together, and a retry creates the job", async () => {
  await open();
  const b = await body();
  h.kube.inject({ method: "POST", path: "/jobs", status: 500, reason: "InternalError", message: "etcd is sad" });
  expect((await failure(h.f.ims.jobs.create(b, idem("k")))).kind).toBe("internal");
  expect(await h.jobs()).toEqual([]);
  expect(await stored("k")).toBeUndefined();
  for (const plural of PLURALS) expect([plural, await h.names(plural)]).toEqual([plural, []]);

  const retry = await h.f.ims.jobs.create(b, idem("k"));
  expect(retry.version).toBe(1);
  expect((await h.jobs()).map((j) => j.id)).toEqual([retry.data.id]);
  expect(await h.names("jobs")).toEqual([retry.data.kubernetes_job!]);
  expect(JSON.parse((await stored("k"))!.body)).toEqual(retry);
});

test("without the signing key the replay is what the first caller got (kubernetes_secret null, version 2)", async () => {
  await open({ signingKey: false });
  const b = await body();
  const first = await h.f.ims.jobs.create(b, idem("k"));
  expect([first.version, first.data.kubernetes_secret]).toEqual([2, null]);
  expect(await h.f.ims.jobs.create(b, idem("k"))).toEqual(first);
});

test("a retry that fails its checks now (recipe deleted) still answers the first job", async () => {
  await open();
  const b = await body();
  const first = await h.f.ims.jobs.create(b, idem("k"));
  await h.f.ims.recipes.delete(b.artifact_id, { mode: "hard", cascade: false });
  expect(await h.f.ims.jobs.create(b, idem("k"))).toEqual(first);
  expect((await failure(h.f.ims.jobs.create(b))).kind).toBe("bad_request");
});
