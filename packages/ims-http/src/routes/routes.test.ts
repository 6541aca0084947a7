/** Every route of every family against the real core (in-memory store, temp-dir artifacts). */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { rig, type Rig } from "../test-support/app.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PREFIXES = ["", "/v2", "/v3"] as const;

let r: Rig;
beforeEach(async () => {
  r = await rig();
});
afterEach(async () => {
  await r.close();
});

async function expectGone(path: string) {
  const res = await r.call("GET", path);
  expect(res.status).toBe(404);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.body).toMatchObject({ status: 404, title: "Not Found" });
}

/** As upstream answers a delete or undelete: no body, labelled application/json (flask-restful). */
function expectEmpty204(res: { status: number; text: string; headers: Headers }) {
  expect(res.status).toBe(204);
  expect(res.text).toBe("");
  expect(res.headers.get("content-type")).toBe("application/json");
  expect(res.headers.get("content-length")).toBeNull();
}

describe.each(PREFIXES)("public keys at '%s'", (p) => {
  test("create, list, get, delete one, delete all", async () => {
    const created = await r.call("POST", `${p}/public-keys`, { name: "admin", public_key: "ssh-ed25519 AAAA me@host" });
    expect(created.status).toBe(201);
    expect(created.headers.get("content-type")).toBe("application/json");
    expect(Object.keys(created.body).sort()).toEqual(["created", "id", "name", "public_key"]);
    expect(created.body).toMatchObject({ name: "admin", public_key: "ssh-ed25519 AAAA me@host" });
    const id = created.body.id;
    expect(id).toMatch(UUID);

    expect((await r.call("GET", `${p}/public-keys`)).body).toEqual([created.body]);
    const got = await r.call("GET", `${p}/public-keys/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
    expect(got.headers.get("etag")).toBe('"1"');

    expectEmpty204(await r.call("DELETE", `${p}/public-keys/${id}`));
    await expectGone(`${p}/public-keys/${id}`);
    const deleted = await r.call("GET", `/v3/deleted/public-keys/${id}`);
    if (p === "/v3") expect(deleted.body).toMatchObject({ ...created.body, deleted: expect.any(String) });
    else expect(deleted.status).toBe(404);

    await r.call("POST", `${p}/public-keys`, { name: "a", public_key: "k1" });
    await r.call("POST", `${p}/public-keys`, { name: "a", public_key: "k1" }); // duplicates are allowed
    expect((await r.call("GET", `${p}/public-keys`)).body).toHaveLength(2);
    expectEmpty204(await r.call("DELETE", `${p}/public-keys`));
    expect((await r.call("GET", `${p}/public-keys`)).body).toEqual([]);
    expect((await r.call("GET", "/v3/deleted/public-keys")).body).toHaveLength(p === "/v3" ? 3 : 0);
  });
});

describe.each(PREFIXES)("recipes at '%s'", (p) => {
  const body = { name: "sles15", recipe_type: "kiwi-ng", linux_distribution: "sles15" };

  test("create with defaults, list, get", async () => {
    const created = await r.call("POST", `${p}/recipes`, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...body, link: null, template_dictionary: [], require_dkms: true, arch: "x86_64" });
    expect((await r.call("GET", `${p}/recipes`)).body).toEqual([created.body]);
    expect((await r.call("GET", `${p}/recipes/${created.body.id}`)).body).toEqual(created.body);
  });

  test("patch, with and without If-Match", async () => {
    const { id } = (await r.call("POST", `${p}/recipes`, body)).body;
    const patched = await r.call("PATCH", `${p}/recipes/${id}`, { arch: "aarch64", template_dictionary: [{ key: "k", value: "v" }] });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ arch: "aarch64", template_dictionary: [{ key: "k", value: "v" }] });
    expect(patched.headers.get("etag")).toBe('"2"');
    expect((await r.call("GET", `${p}/recipes/${id}`)).body).toEqual(patched.body);

    const stale = await r.call("PATCH", `${p}/recipes/${id}`, { require_dkms: false }, { "content-type": "application/json", "if-match": '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.headers.get("content-type")).toBe("application/problem+json");
    expect((await r.call("GET", `${p}/recipes/${id}`)).body.require_dkms).toBe(true);

    const fresh = await r.call("PATCH", `${p}/recipes/${id}`, { require_dkms: false }, { "content-type": "application/json", "if-match": 'W/"2"' });
    expect(fresh.status).toBe(200);
    expect(fresh.body.require_dkms).toBe(false);
  });

  test("delete one (stale If-Match refused), delete all", async () => {
    const { id } = (await r.call("POST", `${p}/recipes`, body)).body;
    expect((await r.call("DELETE", `${p}/recipes/${id}`, undefined, { "if-match": '"7"' })).status).toBe(412);
    expectEmpty204(await r.call("DELETE", `${p}/recipes/${id}?cascade=false`, undefined, { "if-match": '"1"' }));
    await expectGone(`${p}/recipes/${id}`);
    expect((await r.call("GET", `/v3/deleted/recipes/${id}`)).status).toBe(p === "/v3" ? 200 : 404);
    await r.call("POST", `${p}/recipes`, body);
    expectEmpty204(await r.call("DELETE", `${p}/recipes`));
    expect((await r.call("GET", `${p}/recipes`)).body).toEqual([]);
  });
});

describe.each(PREFIXES)("images at '%s'", (p) => {
  test("create, patch metadata, get, delete one, delete all", async () => {
    const created = await r.call("POST", `${p}/images`, { name: "compute", metadata: { owner: "ops" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "compute", link: null, arch: "x86_64", metadata: { owner: "ops" } });
    const id = created.body.id;
    const set = await r.call("PATCH", `${p}/images/${id}`, { metadata: { operation: "set", key: "k", value: "v" } });
    expect(set.status).toBe(200);
    expect(set.body.metadata).toEqual({ owner: "ops", k: "v" });
    const removed = await r.call("PATCH", `${p}/images/${id}`, { metadata: { operation: "remove", key: "owner" } });
    expect(removed.body.metadata).toEqual({ k: "v" });
    expect((await r.call("GET", `${p}/images`)).body).toEqual([removed.body]);
    expect((await r.call("GET", `${p}/images/${id}`)).headers.get("etag")).toBe('"3"');
    expectEmpty204(await r.call("DELETE", `${p}/images/${id}`));
    await expectGone(`${p}/images/${id}`);
    await r.call("POST", `${p}/images`, { name: "a" });
    expectEmpty204(await r.call("DELETE", `${p}/images?cascade=true`));
    expect((await r.call("GET", `${p}/images`)).body).toEqual([]);
  });
});

describe.each([
  ["public-keys", { name: "k", public_key: "ssh-rsa A" }],
  ["recipes", { name: "r", recipe_type: "packer", linux_distribution: "centos7" }],
  ["images", { name: "i" }],
] as const)("/v3/deleted/%s", (segment, body) => {
  test("list, get, undelete one, undelete all, delete one, delete all", async () => {
    const a = (await r.call("POST", `/v3/${segment}`, body)).body;
    const b = (await r.call("POST", `/v3/${segment}`, body)).body;
    expectEmpty204(await r.call("DELETE", `/v3/${segment}/${a.id}`));

    const list = await r.call("GET", `/v3/deleted/${segment}`);
    expect(list.body).toEqual([{ ...a, deleted: expect.any(String) }]);
    const one = await r.call("GET", `/v3/deleted/${segment}/${a.id}`);
    expect(one.body).toEqual(list.body[0]);
    expect(one.headers.get("etag")).toMatch(/^"\d+"$/);

    expectEmpty204(await r.call("PATCH", `/v3/deleted/${segment}/${a.id}`, { operation: "undelete" }));
    expect((await r.call("GET", `/v3/${segment}/${a.id}`)).body).toEqual(a);
    await expectGone(`/v3/deleted/${segment}/${a.id}`);

    expectEmpty204(await r.call("DELETE", `/v3/${segment}`));
    expect((await r.call("GET", `/v3/deleted/${segment}`)).body).toHaveLength(2);
    expectEmpty204(await r.call("PATCH", `/v3/deleted/${segment}`, { operation: "undelete" }));
    // a was undeleted first, so it now comes after b (insertion order, as upstream)
    expect((await r.call("GET", `/v3/${segment}`)).body).toEqual([b, a]);

    await r.call("DELETE", `/v3/${segment}`);
    expectEmpty204(await r.call("DELETE", `/v3/deleted/${segment}/${a.id}`));
    await expectGone(`/v3/deleted/${segment}/${a.id}`);
    expectEmpty204(await r.call("DELETE", `/v3/deleted/${segment}`));
    expect((await r.call("GET", `/v3/deleted/${segment}`)).body).toEqual([]);
    expect((await r.call("GET", `/v3/${segment}`)).body).toEqual([]);
  });
});

describe("remote build nodes", () => {
  const base = "/v3/remote-build-nodes";
  test("register, replace, list, get, status, delete", async () => {
    const created = await r.call("POST", base, { xname: "x3000c0s1b0n0" });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ xname: "x3000c0s1b0n0" });
    expect((await r.call("POST", base, { xname: "x3000c0s1b0n0" })).status).toBe(201); // replaced, no 409
    expect((await r.call("GET", base)).body).toEqual([{ xname: "x3000c0s1b0n0" }]);
    expect((await r.call("GET", `${base}/x3000c0s1b0n0`)).body).toEqual({ xname: "x3000c0s1b0n0" });

    const all = await r.call("GET", `${base}/status`);
    expect(all.status).toBe(200);
    expect(all.body).toHaveLength(1);
    expect(Object.keys(all.body[0]).sort()).toEqual(["ableToRunJobs", "nodeArch", "numCurrentJobs", "podmanStatus", "sshStatus", "xname"]);
    const one = await r.call("GET", `${base}/status/x3000c0s1b0n0`);
    expect(one.status).toBe(200);
    expect(one.body.xname).toBe("x3000c0s1b0n0");
    expect((await r.call("GET", `${base}/status/x9`)).status).toBe(404);

    expectEmpty204(await r.call("DELETE", `${base}/x3000c0s1b0n0`));
    expect((await r.call("DELETE", `${base}/x3000c0s1b0n0`)).status).toBe(404);
    await r.call("POST", base, { xname: "a" });
    await r.call("POST", base, { xname: "b" });
    expectEmpty204(await r.call("DELETE", base));
    expect((await r.call("GET", base)).body).toEqual([]);
  });

  test("a node named 'status' is reachable only as an item, never shadowing the status list", async () => {
    await r.call("POST", base, { xname: "status" });
    const statuses = await r.call("GET", `${base}/status`);
    expect(Array.isArray(statuses.body)).toBe(true);
    expect(statuses.body[0].xname).toBe("status");
    expectEmpty204(await r.call("DELETE", `${base}/status`));
    expect((await r.call("GET", base)).body).toEqual([]);
  });
});

describe("routes that are not served", () => {
  test.each([
    "/jobs/", "/v2/jobs/x/y", "/v4/jobs",
    "/remote-build-nodes", "/v2/remote-build-nodes", "/remote-build-nodes/x", "/v2/deleted/images", "/deleted/recipes",
    "/v1/images", "/v4/images", "/", "/healthz", "/openapi/json",
  ])("%s -> 404", async (path) => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const res = await r.call(method, path, method === "POST" ? { a: 1 } : undefined);
      expect(res.status).toBe(404);
      expect(res.body.detail).toContain("URL was not found");
    }
  });
});

describe("health and version", () => {
  test("endpoints", async () => {
    expect(await r.call("GET", "/healthz/ready")).toMatchObject({ status: 200, body: {} });
    expect(await r.call("GET", "/healthz/live")).toMatchObject({ status: 200, body: {} });
    expect(await r.call("GET", "/version")).toMatchObject({ status: 200, body: { version: "test-version" } });
  });
});

describe("cascade reaches the artifacts (v2 hard delete, v3 soft delete)", () => {
  const ref = { bucket: "ims", key: "recipes/r.tar.gz" };
  const link = { path: "s3://ims/recipes/r.tar.gz", etag: "", type: "s3" };
  const recipe = { name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15", link };

  async function recipeWithArtifact(prefix: string) {
    await r.artifacts.write(ref, "archive", "application/gzip");
    const res = await r.call("POST", `${prefix}/recipes`, recipe);
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  test.each([
    ["/v2/recipes/ID?cascade=false", true],
    ["/recipes/ID?cascade=no", true],
    ["/v2/recipes/ID", false],
    ["/recipes/ID?cascade=T", false],
  ])("DELETE %s keeps the archive: %p", async (path, kept) => {
    const id = await recipeWithArtifact("/v2");
    expect((await r.call("DELETE", path.replace("ID", id))).status).toBe(204);
    await r.ims.worker.drain();
    expect((await r.artifacts.head(ref)) !== undefined).toBe(kept);
  });

  test("v3 DELETE moves the archive under deleted/", async () => {
    const id = await recipeWithArtifact("/v3");
    expect((await r.call("DELETE", `/v3/recipes/${id}?cascade=false`)).status).toBe(204);
    await r.ims.worker.drain();
    expect(await r.artifacts.head(ref)).toBeUndefined();
    expect(await r.artifacts.head({ bucket: "ims", key: `deleted/${ref.key}` })).toBeDefined();
  });
});
