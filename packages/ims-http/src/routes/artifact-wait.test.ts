/**
 * Deletes, undeletes and purges answer once their artifact moves are done (204, S3 as upstream
 * leaves it), or at once with 202 Accepted when the client sends `Prefer: respond-async` (or
 * the service is configured with artifactWaitMs 0).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { rig, type Rig } from "../test-support/app.ts";

let r: Rig | undefined;
afterEach(async () => {
  await r?.close();
  r = undefined;
});

const ASYNC = { prefer: "respond-async" };

async function image(r: Rig, name: string): Promise<string> {
  const at = (file: string) => ({ bucket: "boot-images", key: `${name}/${file}` });
  await r.artifacts.write(at("rootfs"), "rootfs", "application/octet-stream");
  const manifest = {
    version: "1.0",
    created: "2024-01-01 00:00:00",
    artifacts: [{ type: "application/vnd.cray.image.rootfs.squashfs", md5: "", link: { path: `s3://boot-images/${name}/rootfs`, etag: "", type: "s3" } }],
  };
  await r.artifacts.write(at("manifest.json"), JSON.stringify(manifest), "application/json");
  const res = await r.call("POST", "/v3/images", { name, link: { path: `s3://boot-images/${name}/manifest.json`, type: "s3" } });
  expect(res.status).toBe(201);
  return res.body.id;
}

const exists = async (r: Rig, key: string) => (await r.artifacts.head({ bucket: "boot-images", key })) !== undefined;

describe("waiting for the artifact moves", () => {
  test("v3 DELETE answers 204 with every object already under deleted/", async () => {
    r = await rig();
    const id = await image(r, "a");
    const res = await r.call("DELETE", `/v3/images/${id}`);
    expect(res.status).toBe(204);
    expect(res.headers.get("preference-applied")).toBeNull();
    expect(await exists(r, "deleted/a/rootfs")).toBe(true);
    expect(await exists(r, "a/rootfs")).toBe(false);
    expect(await exists(r, `deleted/${id}/deleted_manifest.json`)).toBe(true);
    expect((await r.call("GET", "/v3/operations?state=pending")).body).toEqual([]);
  });

  test("undelete and purge answer 204 with their moves done", async () => {
    r = await rig();
    const id = await image(r, "u");
    await r.call("DELETE", `/v3/images/${id}`);
    expect((await r.call("PATCH", `/v3/deleted/images/${id}`, { operation: "undelete" })).status).toBe(204);
    expect(await exists(r, "u/rootfs")).toBe(true);
    await r.call("DELETE", `/v3/images/${id}`);
    expect((await r.call("DELETE", `/v3/deleted/images/${id}`)).status).toBe(204);
    expect(await exists(r, "deleted/u/rootfs")).toBe(false);
  });
});

describe("Prefer: respond-async", () => {
  test("202 Accepted at once, with Preference-Applied and the operation in Location", async () => {
    r = await rig();
    const id = await image(r, "q");
    const res = await r.call("DELETE", `/v3/images/${id}`, undefined, ASYNC);
    expect(res.status).toBe(202);
    expect(res.text).toBe("");
    expect(res.headers.get("preference-applied")).toBe("respond-async");
    const location = res.headers.get("location")!;
    expect(location).toMatch(/^\/v3\/operations\/[0-9a-f-]{36}$/);
    expect((await r.call("GET", `/v3/images/${id}`)).status).toBe(404); // the record change is committed
    const op = await r.call("GET", location);
    expect(op.status).toBe(200);
    expect(op.body).toMatchObject({ action: "soft delete image", recordId: id });
    await r.ims.worker.drain();
    expect((await r.call("GET", location)).body.state).toBe("done");
    expect(await exists(r, "deleted/q/rootfs")).toBe(true);
  });

  test("among other preferences, in any case; a delete with nothing to move is still 204", async () => {
    r = await rig();
    const id = await image(r, "p");
    expect((await r.call("PATCH", `/v3/images/${id}`, { arch: "aarch64" })).status).toBe(200);
    expect((await r.call("DELETE", `/v3/images/${id}`, undefined, { prefer: "wait=10, Respond-Async; x=1" })).status).toBe(202);
    const key = await r.call("POST", "/v3/public-keys", { name: "k", public_key: "ssh-ed25519 AAAA k" });
    const res = await r.call("DELETE", `/v3/public-keys/${key.body.id}`, undefined, ASYNC);
    expect(res.status).toBe(204);
    expect(res.headers.get("preference-applied")).toBeNull();
    expect((await r.call("DELETE", "/v3/images/nope", undefined, ASYNC)).status).toBe(404);
  });

  test("a collection delete names the pending operations in Location", async () => {
    r = await rig();
    await image(r, "c1");
    await image(r, "c2");
    const res = await r.call("DELETE", "/v3/images", undefined, ASYNC);
    expect(res.status).toBe(202);
    expect(res.headers.get("location")).toBe("/v3/operations?state=pending");
    expect((await r.call("GET", "/v3/operations?state=pending")).body).toHaveLength(2);
  });

  test("v2 cascade, purge and undelete honour it too", async () => {
    r = await rig();
    const a = await image(r, "v2");
    expect((await r.call("DELETE", `/v2/images/${a}`, undefined, ASYNC)).status).toBe(202);
    const b = await image(r, "d");
    await r.call("DELETE", `/v3/images/${b}`);
    expect((await r.call("PATCH", `/v3/deleted/images/${b}`, { operation: "undelete" }, ASYNC)).status).toBe(202);
    await r.ims.worker.drain();
    await r.call("DELETE", `/v3/images/${b}`);
    expect((await r.call("DELETE", `/v3/deleted/images/${b}`, undefined, ASYNC)).status).toBe(202);
  });
});

test("artifactWaitMs 0 in the configuration makes 202 the answer for every client", async () => {
  r = await rig({}, { core: { config: { artifactWaitMs: 0 } } });
  const id = await image(r, "z");
  const res = await r.call("DELETE", `/v3/images/${id}`);
  expect(res.status).toBe(202);
  expect(res.headers.get("location")).toStartWith("/v3/operations/");
});
