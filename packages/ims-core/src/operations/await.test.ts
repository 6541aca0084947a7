/**
 * A delete, undelete or purge answers once its own artifact work is done (within the bound), so
 * S3 holds what upstream leaves when the caller looks; artifactWaitMs 0 answers at once.
 */
import { afterEach, expect, test } from "bun:test";
import { openFixture, type Fixture } from "../../adapters/test-fixture.ts";

let f: Fixture | undefined;
afterEach(async () => {
  await f?.cleanup();
  f = undefined;
});

/** Copies wait until f.release() when `held`; the worker loop is never started (no start()). */
async function fixture(opts: { held?: boolean; artifactWaitMs?: number } = {}) {
  f = await openFixture(opts.artifactWaitMs === undefined ? {} : { config: { artifactWaitMs: opts.artifactWaitMs } }, { holdCopies: opts.held });
  return f;
}

test("a v3 delete returns with every object moved and the deleted manifest written", async () => {
  const f = await fixture();
  const img = await f.ims.images.create({ name: "a", link: await f.putImage("a") });
  const work = await f.ims.images.delete(img.data.id, { mode: "soft" });
  expect(work).toEqual({ operations: [expect.any(String)], pending: [], waited: true });
  for (const name of ["rootfs", "kernel", "initrd", "manifest.json"]) {
    expect(await f.exists(`s3://boot-images/deleted/a/${name}`)).toBe(true);
    expect(await f.exists(`s3://boot-images/a/${name}`)).toBe(false);
  }
  expect(await f.exists(`s3://boot-images/deleted/${img.data.id}/deleted_manifest.json`)).toBe(true);
  expect((await f.store.journal.get(work.operations[0]!))?.state).toBe("done");
});

test("undelete and purge return with their moves done too", async () => {
  const f = await fixture();
  const img = await f.ims.images.create({ name: "u", link: await f.putImage("u") });
  await f.ims.images.delete(img.data.id, { mode: "soft" });
  expect((await f.ims.deletedImages.undelete(img.data.id, { operation: "undelete" })).pending).toEqual([]);
  expect(await f.exists("s3://boot-images/u/rootfs")).toBe(true);
  expect(await f.exists("s3://boot-images/deleted/u/rootfs")).toBe(false);
  await f.ims.images.delete(img.data.id, { mode: "soft" });
  expect((await f.ims.deletedImages.delete(img.data.id)).pending).toEqual([]);
  expect(await f.exists("s3://boot-images/deleted/u/rootfs")).toBe(false);
});

test("a deleted manifest removed right after the delete makes the undelete a 422, as upstream", async () => {
  const f = await fixture();
  const img = await f.ims.images.create({ name: "gone", link: await f.putImage("gone") });
  await f.ims.images.delete(img.data.id, { mode: "soft" });
  await f.artifacts.remove({ bucket: "boot-images", key: `deleted/${img.data.id}/deleted_manifest.json` });
  const err = await f.ims.deletedImages.undelete(img.data.id, { operation: "undelete" }).catch((e) => e);
  expect(err.kind).toBe("validation");
  expect((await f.ims.deletedImages.list()).map((r) => r.data.id)).toEqual([img.data.id]);
});

test("artifactWaitMs 0 answers at once with the operation still pending", async () => {
  const f = await fixture({ held: true });
  const img = await f.ims.images.create({ name: "n", link: await f.putImage("n") });
  const work = await f.ims.images.delete(img.data.id, { mode: "soft" }, { artifactWaitMs: 0 });
  expect(work.waited).toBe(false);
  expect(work.pending).toEqual(work.operations);
  expect(work.operations).toHaveLength(1);
  f!.release();
  await f.ims.worker.drain();
  expect((await f.store.journal.get(work.pending[0]!))?.state).toBe("done");
});

test("past the bound the call returns with the operation pending, and the journal finishes it", async () => {
  const f = await fixture({ held: true, artifactWaitMs: 100 });
  const img = await f.ims.images.create({ name: "b", link: await f.putImage("b") });
  const work = await f.ims.images.delete(img.data.id, { mode: "soft" });
  expect(work).toMatchObject({ waited: true, pending: work.operations });
  f!.release();
  await f.ims.worker.drain();
  expect(await f.exists("s3://boot-images/deleted/b/rootfs")).toBe(true);
  expect((await f.store.journal.get(work.operations[0]!))?.state).toBe("done");
});

test("a collection delete waits for every record's operation", async () => {
  const f = await fixture();
  for (const name of ["c1", "c2", "c3", "c4", "c5"]) await f.ims.images.create({ name, link: await f.putImage(name) });
  await f.ims.images.create({ name: "no-link" });
  const work = await f.ims.images.deleteAll({ mode: "soft" });
  expect(work.operations).toHaveLength(5);
  expect(work.pending).toEqual([]);
  for (const name of ["c1", "c2", "c3", "c4", "c5"]) expect(await f.exists(`s3://boot-images/deleted/${name}/manifest.json`)).toBe(true);
  const purged = await f.ims.deletedImages.deleteAll();
  expect(purged).toMatchObject({ pending: [], waited: true });
  expect(purged.operations).toHaveLength(5);
});

test("a delete without artifacts journals nothing and waits for nothing", async () => {
  const f = await fixture({ held: true });
  const key = await f.ims.publicKeys.create({ name: "k", public_key: "ssh-ed25519 AAAA k" });
  expect(await f.ims.publicKeys.delete(key.data.id, { mode: "soft" })).toEqual({ operations: [], pending: [], waited: true });
});
