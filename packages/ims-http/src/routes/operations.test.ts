/** /v3/operations in process: the journal a v3 recipe delete writes, filters, and the problems. */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { rig, type Rig } from "../test-support/app.ts";

let r: Rig;
beforeEach(async () => {
  r = await rig();
});
afterEach(async () => {
  await r.close();
});

async function deletedRecipe() {
  await r.artifacts.write({ bucket: "ims", key: "recipes/r.tgz" }, "archive", "application/gzip");
  const created = await r.call("POST", "/v3/recipes", {
    name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: "s3://ims/recipes/r.tgz", type: "s3" },
  });
  expect(created.status).toBe(201);
  expect((await r.call("DELETE", `/v3/recipes/${created.body.id}`)).status).toBe(204);
  await r.ims.worker.drain();
  return created.body.id as string;
}

test("the soft delete's journal entry: steps, state, progress", async () => {
  const id = await deletedRecipe();
  const all = await r.call("GET", "/v3/operations");
  expect(all.status).toBe(200);
  expect(all.body).toHaveLength(1);
  const op = all.body[0];
  expect(op).toMatchObject({
    action: "soft delete recipe", collection: "recipes", recordId: id, state: "done", nextStep: 2, attempts: 0, lastError: null,
  });
  expect(op.steps).toEqual([
    { op: "copy", from: { bucket: "ims", key: "recipes/r.tgz" }, to: { bucket: "ims", key: "deleted/recipes/r.tgz" } },
    { op: "remove", ref: { bucket: "ims", key: "recipes/r.tgz" } },
  ]);
  expect(Object.keys(op).sort()).toEqual(
    ["action", "attempts", "collection", "created", "id", "lastError", "nextStep", "recordId", "state", "steps", "updated"],
  );
  const one = await r.call("GET", `/v3/operations/${op.id}`);
  expect(one.status).toBe(200);
  expect(one.body).toEqual(op);
});

test("filters: state and record_id", async () => {
  const id = await deletedRecipe();
  expect((await r.call("GET", "/v3/operations?state=done")).body).toHaveLength(1);
  expect((await r.call("GET", "/v3/operations?state=pending")).body).toEqual([]);
  expect((await r.call("GET", "/v3/operations?state=failed")).body).toEqual([]);
  expect((await r.call("GET", `/v3/operations?record_id=${id}`)).body).toHaveLength(1);
  expect((await r.call("GET", `/v3/operations?record_id=${crypto.randomUUID()}&state=done`)).body).toEqual([]);
});

test("a write step is shown without its body", async () => {
  await r.artifacts.write({ bucket: "boot-images", key: "i/rootfs" }, "rootfs", "application/octet-stream");
  const manifest = {
    version: "1.0",
    artifacts: [{ type: "application/vnd.cray.image.rootfs.squashfs", link: { path: "s3://boot-images/i/rootfs", type: "s3" } }],
  };
  await r.artifacts.write({ bucket: "boot-images", key: "i/manifest.json" }, JSON.stringify(manifest), "application/json");
  const img = await r.call("POST", "/v3/images", { name: "i", link: { path: "s3://boot-images/i/manifest.json", type: "s3" } });
  expect(img.status).toBe(201);
  await r.call("DELETE", `/v3/images/${img.body.id}`);
  const [op] = (await r.call("GET", `/v3/operations?record_id=${img.body.id}`)).body;
  expect(op.steps[0]).toEqual({ op: "write", ref: { bucket: "boot-images", key: `deleted/${img.body.id}/deleted_manifest.json` } });
});

test("problems: a bad state is 400, an unknown id 404", async () => {
  const bad = await r.call("GET", "/v3/operations?state=running");
  expect(bad.status).toBe(400);
  expect(bad.headers.get("content-type")).toBe("application/problem+json");
  expect(bad.body).toEqual({ status: 400, title: "Bad Request", detail: 'state must be one of pending, done, failed, got "running".' });
  const missing = await r.call("GET", "/v3/operations/nope");
  expect(missing.status).toBe(404);
  expect(missing.body).toMatchObject({ status: 404, title: "Not Found", detail: "Requested resource does not exist. Re-run request with valid ID." });
  expect((await r.call("POST", "/v3/operations", {})).status).toBe(405);
});
