import { afterEach, beforeEach, expect, test } from "bun:test";
import { openFixture, type Fixture } from "../../adapters/test-fixture.ts";
import type { ImsError } from "../errors.ts";

let f: Fixture;
beforeEach(async () => (f = await openFixture()));
afterEach(() => f.cleanup());

const base = { name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15" };
const failure = (p: Promise<unknown>) => p.then(() => Promise.reject(new Error("expected failure")), (e: ImsError) => e);

test("create defaults and link checks", async () => {
  const { data } = await f.ims.recipes.create(base);
  expect(data).toMatchObject({ template_dictionary: [], require_dkms: true, arch: "x86_64", link: null });
  expect((await f.ims.recipes.create({ ...base, template_dictionary: null })).data.template_dictionary).toBeNull();
  expect((await failure(f.ims.recipes.create({ ...base, link: { path: "s3://ims/nope.tgz", type: "s3" } }))).kind).toBe("validation");
  await f.put("s3://ims/r.tgz", "archive");
  const linked = await f.ims.recipes.create({ ...base, link: { path: "s3://ims/r.tgz", etag: "abc", type: "s3" } });
  expect(linked.data.link).toEqual({ etag: "abc", path: "s3://ims/r.tgz", type: "s3" });
  const dup = await failure(f.ims.recipes.create({ ...base, link: { path: "s3://ims/r.tgz", type: "s3" } }));
  expect([dup.kind, dup.detail.includes(linked.data.id)]).toEqual(["validation", true]);
});

test("patch: immutable fields are 422, link conflicts are 409, template_dictionary may be null", async () => {
  const { data } = await f.ims.recipes.create(base);
  expect((await failure(f.ims.recipes.patch(data.id, { name: "x" }))).kind).toBe("validation");
  await f.put("s3://ims/r.tgz", "archive");
  await f.ims.recipes.patch(data.id, { link: { path: "s3://ims/r.tgz", etag: "", type: "s3" }, template_dictionary: null });
  expect((await failure(f.ims.recipes.patch(data.id, { link: { path: "s3://ims/r.tgz", type: "s3" } }))).kind).toBe("conflict");
  const same = await f.ims.recipes.patch(data.id, { link: { path: "s3://ims/r.tgz", etag: "", type: "s3" }, require_dkms: false });
  expect(same.data).toMatchObject({ template_dictionary: null, require_dkms: false });
});

test("soft delete moves the archive; undelete moves it back; purge removes it", async () => {
  await f.put("s3://ims/recipes/r.tgz", "archive");
  const { data } = await f.ims.recipes.create({ ...base, link: { path: "s3://ims/recipes/r.tgz", type: "s3" } });
  await f.ims.recipes.delete(data.id, { mode: "soft" });
  const dead = (await f.ims.deletedRecipes.get(data.id)).data;
  expect(dead.link?.path).toBe("s3://ims/deleted/recipes/r.tgz");
  await f.ims.worker.drain();
  expect([await f.exists("s3://ims/recipes/r.tgz"), await f.exists("s3://ims/deleted/recipes/r.tgz")]).toEqual([false, true]);
  await f.ims.deletedRecipes.undelete(data.id, { operation: "undelete" });
  await f.ims.worker.drain();
  expect((await f.ims.recipes.get(data.id)).data.link?.path).toBe("s3://ims/recipes/r.tgz");
  expect([await f.exists("s3://ims/recipes/r.tgz"), await f.exists("s3://ims/deleted/recipes/r.tgz")]).toEqual([true, false]);
  await f.ims.recipes.delete(data.id, { mode: "soft" });
  await f.ims.deletedRecipes.deleteAll();
  await f.ims.worker.drain();
  expect([await f.exists("s3://ims/recipes/r.tgz"), await f.exists("s3://ims/deleted/recipes/r.tgz")]).toEqual([false, false]);
});

test("undelete of a recipe whose deleted archive is gone is a 422 and changes nothing", async () => {
  await f.put("s3://ims/r.tgz", "archive");
  const { data } = await f.ims.recipes.create({ ...base, link: { path: "s3://ims/r.tgz", type: "s3" } });
  await f.ims.recipes.delete(data.id, { mode: "soft" });
  await f.ims.worker.drain();
  await f.artifacts.remove({ bucket: "ims", key: "deleted/r.tgz" });
  expect((await failure(f.ims.deletedRecipes.undelete(data.id, { operation: "undelete" }))).kind).toBe("validation");
  expect((await f.ims.deletedRecipes.list()).length).toBe(1);
  expect(await f.ims.recipes.list()).toEqual([]);
});

test("v2 delete-all with cascade removes archives; public keys soft delete and undelete", async () => {
  await f.put("s3://ims/a.tgz", "a");
  await f.ims.recipes.create({ ...base, link: { path: "s3://ims/a.tgz", type: "s3" } });
  await f.ims.recipes.deleteAll({ mode: "hard", cascade: true });
  await f.ims.worker.drain();
  expect(await f.exists("s3://ims/a.tgz")).toBe(false);
  const key = await f.ims.publicKeys.create({ name: "k", public_key: "ssh-ed25519 AAAA" });
  await f.ims.publicKeys.deleteAll({ mode: "soft" });
  expect((await f.ims.deletedPublicKeys.get(key.data.id)).data.name).toBe("k");
  await f.ims.deletedPublicKeys.undeleteAll({ operation: "undelete" });
  expect((await f.ims.publicKeys.get(key.data.id)).data).toEqual(key.data);
});
