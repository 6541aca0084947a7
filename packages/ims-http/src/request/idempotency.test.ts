/** Idempotency-Key on every create route, in process (in-memory store). */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { rig, type Reply, type Rig } from "../test-support/app.ts";

let r: Rig;
beforeEach(async () => {
  r = await rig();
});
afterEach(async () => {
  await r.close();
});

const key = (k: string) => ({ "idempotency-key": k });

/** What a client sees of an answer (the request id differs by design). */
const seen = (res: Reply) => ({ status: res.status, text: res.text, etag: res.headers.get("etag"), type: res.headers.get("content-type") });

const CREATES: [path: string, body: unknown, list: string][] = [
  ...["", "/v2", "/v3"].flatMap((p): [string, unknown, string][] => [
    [`${p}/public-keys`, { name: "admin", public_key: "ssh-ed25519 AAAA" }, `${p}/public-keys`],
    [`${p}/recipes`, { name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15" }, `${p}/recipes`],
    [`${p}/images`, { name: "img", metadata: { owner: "ops" } }, `${p}/images`],
  ]),
  ["/v3/remote-build-nodes", { xname: "x3000c0s1b0n0" }, "/v3/remote-build-nodes"],
];

describe.each(CREATES)("POST %s", (path, body, listPath) => {
  test("a retry with the same key answers the first result and creates nothing", async () => {
    const first = await r.call("POST", path, body, key("k-1"));
    expect(first.status).toBe(201);
    expect(first.headers.get("etag")).toBe('"1"');
    const again = await r.call("POST", path, body, key("k-1"));
    expect(seen(again)).toEqual(seen(first));
    expect((await r.call("GET", listPath)).body).toEqual([first.body]);
  });

  test("the same key with another body or another path is a 422 problem", async () => {
    expect((await r.call("POST", path, body, key("k-2"))).status).toBe(201);
    const other = await r.call("POST", path, { ...(body as object), name: "other" }, key("k-2"));
    expect(other.status).toBe(422);
    expect(other.headers.get("content-type")).toBe("application/problem+json");
    expect(other.body.detail).toMatch(/Idempotency-Key was already used for a different request/);
    const elsewhere = await r.call("POST", "/v3/public-keys", { name: "a", public_key: "k" }, key("k-2"));
    expect(elsewhere.status).toBe(422);
    expect((await r.call("GET", listPath)).body).toHaveLength(1);
  });
});

describe("Idempotency-Key", () => {
  test("without a key every POST creates", async () => {
    const body = { name: "a", public_key: "k" };
    await r.call("POST", "/v3/public-keys", body);
    await r.call("POST", "/v3/public-keys", body);
    expect((await r.call("GET", "/v3/public-keys")).body).toHaveLength(2);
  });

  test("the fingerprint is the parsed body: other whitespace is the same request, other key order is not", async () => {
    const headers = { ...key("ws"), "content-type": "application/json" };
    const first = await r.call("POST", "/v3/public-keys", { raw: '{"name":"a","public_key":"k"}' }, headers);
    const spaced = await r.call("POST", "/v3/public-keys", { raw: '{ "name": "a",\n  "public_key": "k" }' }, headers);
    expect(seen(spaced)).toEqual(seen(first));
    const reordered = await r.call("POST", "/v3/public-keys", { raw: '{"public_key":"k","name":"a"}' }, headers);
    expect(reordered.status).toBe(422);
  });

  test("/images and /v2/images are different paths for the same key", async () => {
    const body = { name: "img" };
    expect((await r.call("POST", "/images", body, key("p"))).status).toBe(201);
    expect((await r.call("POST", "/v2/images", body, key("p"))).status).toBe(422);
  });

  test("the replay is the first result even after the record changed", async () => {
    const first = await r.call("POST", "/v3/images", { name: "img" }, key("later"));
    const patched = await r.call("PATCH", `/v3/images/${first.body.id}`, { arch: "aarch64" });
    expect(patched.headers.get("etag")).toBe('"2"');
    const again = await r.call("POST", "/v3/images", { name: "img" }, key("later"));
    expect(seen(again)).toEqual(seen(first));
  });

  test("a retry whose link is now taken by the first attempt still gets the first result", async () => {
    await r.artifacts.write({ bucket: "ims", key: "recipes/r.tar.gz" }, "archive", "application/gzip");
    const body = { name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: "s3://ims/recipes/r.tar.gz", type: "s3" } };
    const first = await r.call("POST", "/v3/recipes", body, key("linked"));
    expect(first.status).toBe(201);
    expect(seen(await r.call("POST", "/v3/recipes", body, key("linked")))).toEqual(seen(first));
    // Without the key the same body is refused: the link is taken.
    expect((await r.call("POST", "/v3/recipes", body)).status).toBe(422);
  });

  test("a failed create stores nothing: the key can be used again", async () => {
    expect((await r.call("POST", "/v3/public-keys", { name: "" }, key("retry"))).status).toBe(422);
    expect((await r.call("POST", "/v3/public-keys", { raw: "" }, { ...key("retry"), "content-type": "application/json" })).status).toBe(400);
    expect((await r.call("POST", "/v3/public-keys", { name: "a", public_key: "k" }, key("retry"))).status).toBe(201);
  });

  test.each([
    ["256 characters", "k".repeat(256)],
    ["a tab", "a\tb"],
    ["a control character", "a\u0001b"],
    ["DEL", "a\u007fb"],
    ["nothing", ""],
  ])("a key of %s is a 400 problem and nothing is created", async (_, bad) => {
    const res = await r.call("POST", "/v3/public-keys", { name: "a", public_key: "k" }, key(bad));
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body.detail).toMatch(/Idempotency-Key/);
    expect((await r.call("GET", "/v3/public-keys")).body).toEqual([]);
  });

  test("a key of 255 characters (any printable text) is accepted", async () => {
    const long = "K".repeat(250) + "é:/ =";
    expect((await r.call("POST", "/v3/public-keys", { name: "a", public_key: "k" }, key(long))).status).toBe(201);
    expect((await r.call("POST", "/v3/public-keys", { name: "a", public_key: "k" }, key(long))).status).toBe(201);
    expect((await r.call("GET", "/v3/public-keys")).body).toHaveLength(1);
  });
});
