/** Idempotency-Key on the job POST of every family, through the routes, with FakeKube behind. */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { jobsRig, objectsOf, type JobsRig } from "../test-support/jobs.ts";
import type { Reply } from "../test-support/send.ts";

let r: JobsRig;
let body: Record<string, unknown>;
beforeEach(async () => {
  r = await jobsRig();
  body = { job_type: "create", artifact_id: await r.recipe(), public_key_id: await r.publicKey(), image_root_archive_name: "img" };
});
afterEach(() => r.close());

const key = (k: string) => ({ "idempotency-key": k });
const seen = (res: Reply) => ({ status: res.status, text: res.text, etag: res.headers.get("etag") });
const jobs = async (p: string) => (await r.call("GET", `${p}/jobs`)).body as { id: string }[];

describe.each(["", "/v2", "/v3"])("POST %s/jobs", (p) => {
  test("a retry with the key answers the first job; Kubernetes gets nothing more", async () => {
    const first = await r.call("POST", `${p}/jobs`, body, key("k"));
    expect(seen(first)).toMatchObject({ status: 201, etag: '"1"' });
    const posts = r.posts();
    expect(seen(await r.call("POST", `${p}/jobs`, body, key("k")))).toEqual(seen(first));
    expect(r.posts()).toBe(posts);
    expect(await jobs(p)).toEqual([first.body]);
    expect(await r.objects()).toEqual(objectsOf(first.body.id, "create"));
  });

  test("the key with another body or path is a 422; a malformed key a 400; neither creates", async () => {
    expect((await r.call("POST", `${p}/jobs`, body, key("k"))).status).toBe(201);
    const posts = r.posts();
    expect((await r.call("POST", `${p}/jobs`, { ...body, image_root_archive_name: "other" }, key("k"))).status).toBe(422);
    expect((await r.call("POST", p === "/v3" ? "/v2/jobs" : "/v3/jobs", body, key("k"))).status).toBe(422);
    const bad = await r.call("POST", `${p}/jobs`, body, key("a\u0001b"));
    expect([bad.status, bad.body.detail]).toEqual([400, expect.stringContaining("Idempotency-Key")]);
    expect(r.posts()).toBe(posts);
    expect(await jobs(p)).toHaveLength(1);
  });

  test("Kubernetes fails: 500, nothing kept; the retry with the key creates the job", async () => {
    r.kube.inject({ method: "POST", path: "/services", status: 500, reason: "InternalError", message: "etcd is sad" });
    expect((await r.call("POST", `${p}/jobs`, body, key("k"))).status).toBe(500);
    expect(await jobs(p)).toEqual([]);
    const retry = await r.call("POST", `${p}/jobs`, body, key("k"));
    expect(retry.status).toBe(201);
    expect(await jobs(p)).toEqual([retry.body]);
    expect(seen(await r.call("POST", `${p}/jobs`, body, key("k")))).toEqual(seen(retry));
  });
});
