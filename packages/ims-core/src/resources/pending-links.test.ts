/**
 * Moves can run after the DELETE answered (Prefer: respond-async, or past IMS_ARTIFACT_WAIT_MS),
 * so for a while the old objects still exist. A new link to
 * an object that a pending operation is about to remove must be refused (upstream, whose moves
 * are synchronous, answers 422 there because the object is already gone); otherwise the new
 * record would point at nothing once the move ends.
 */
import { afterEach, expect, test } from "bun:test";
import { openFixture, type Fixture } from "../../adapters/test-fixture.ts";
import { ImsError } from "../errors.ts";

let f: Fixture | undefined;
afterEach(async () => {
  await f?.cleanup();
  f = undefined;
});

/** A fixture whose copies wait until f.release(): the worker holds the operation mid-way. */
async function heldCopies() {
  f = await openFixture({}, { holdCopies: true });
  return f;
}

const NO_WAIT = { artifactWaitMs: 0 };
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error("expected a failure"); }, (e) => e as ImsError);

test("an image manifest, or an artifact it lists, that a pending delete moves away cannot be linked", async () => {
  const f = await heldCopies();
  const link = await f.putImage("a");
  const img = await f.ims.images.create({ name: "a", link });
  await f.ims.images.delete(img.data.id, { mode: "soft" }, NO_WAIT);

  const again = await failure(f.ims.images.create({ name: "again", link }));
  expect(again.kind).toBe("validation");
  expect(again.detail).toMatch(/s3:\/\/boot-images\/a\/manifest\.json is being moved or removed by artifact operation \S+ \(soft delete image\)/);

  // Another manifest listing the same rootfs: the rootfs is the one being moved.
  await f.put("s3://boot-images/b/manifest.json", JSON.stringify({
    version: "1.0",
    artifacts: [{ type: "application/vnd.cray.image.rootfs.squashfs", link: { path: "s3://boot-images/a/rootfs", type: "s3" } }],
  }));
  const shared = await failure(f.ims.images.create({ name: "b", link: { path: "s3://boot-images/b/manifest.json", type: "s3" } }));
  expect(shared.detail).toContain("s3://boot-images/a/rootfs is being moved or removed");

  // Once the move is done the path is free again (and the object gone: an ordinary 422).
  f!.release();
  await f.ims.worker.drain();
  expect((await failure(f.ims.images.create({ name: "again", link }))).detail).toStartWith("The s3 artifact {'path': 's3://boot-images/a/manifest.json', ");
  expect((await f.ims.images.list()).length).toBe(0);
});

test("a recipe archive that a pending v2 cascade delete removes cannot be linked", async () => {
  const f = await heldCopies();
  await f.put("s3://ims/recipes/r.tgz", "archive");
  const body = { name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: "s3://ims/recipes/r.tgz", type: "s3" } };
  const r = await f.ims.recipes.create(body);
  // The cascade is a lone remove step: keep the worker busy (held copy) with another recipe first.
  await f.put("s3://ims/recipes/other.tgz", "other");
  const other = await f.ims.recipes.create({ ...body, name: "o", link: { path: "s3://ims/recipes/other.tgz", type: "s3" } });
  await f.ims.recipes.delete(other.data.id, { mode: "soft" }, NO_WAIT);
  await f.ims.recipes.delete(r.data.id, { mode: "hard", cascade: true }, NO_WAIT);
  const again = await failure(f.ims.recipes.create(body));
  expect(again.kind).toBe("validation");
  expect(again.detail).toMatch(/s3:\/\/ims\/recipes\/r\.tgz is being moved or removed by artifact operation \S+ \(delete recipe\)/);
});
