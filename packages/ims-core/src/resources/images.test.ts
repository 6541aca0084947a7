import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { openFixture, type Fixture } from "../../adapters/test-fixture.ts";
import type { ImsError } from "../errors.ts";
import { artifactNotValidated, linkNotUnique, MANIFEST, manifestNotJson, manifestTooLarge } from "../texts.ts";

let f: Fixture;
beforeEach(async () => (f = await openFixture()));
afterEach(() => f.cleanup());

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as ImsError;
  }
  throw new Error("expected a failure");
};

describe("image create", () => {
  test("defaults, key/value metadata shorthand, sorted keys", async () => {
    const { data } = await f.ims.images.create({ name: "img", metadata: { key: "k", value: "v" } });
    expect(Object.keys(data)).toEqual(["arch", "created", "id", "link", "metadata", "name"]);
    expect(data).toMatchObject({ name: "img", arch: "x86_64", link: null, metadata: { k: "v" } });
  });

  test("a valid manifest link is accepted and stored as sent (etag defaulted)", async () => {
    const link = await f.putImage("a");
    const { data } = await f.ims.images.create({ name: "img", link });
    expect(data.link).toEqual({ etag: "", path: link.path, type: "s3" });
  });

  test("manifest checks answer the spec's statuses", async () => {
    const missing = { path: "s3://boot-images/missing", type: "s3" };
    const shown = (i: number) => ({ path: `s3://boot-images/bad${i}/manifest.json`, etag: "", type: "s3" });
    const cases: [unknown, string, string | ((i: number) => string)][] = [
      [{ artifacts: [] }, "validation", MANIFEST.noVersion],
      [{ version: "2.0", artifacts: [] }, "validation", MANIFEST.badVersion],
      [{ version: "1.0" }, "validation", MANIFEST.noArtifacts],
      [{ version: "1.0", artifacts: {} }, "validation", MANIFEST.artifactsNotList],
      [{ version: "1.0", artifacts: ["x"] }, "validation", MANIFEST.artifactNotDict],
      [{ version: "1.0", artifacts: [{ type: "x" }] }, "validation", MANIFEST.noLink],
      [{ version: "1.0", artifacts: [{ type: "x", link: { path: "s3://b/k" } }] }, "validation", MANIFEST.noLinkType],
      [{ version: "1.0", artifacts: [{ type: "x", link: { path: "s3://b/k", type: "S3" } }] }, "validation", MANIFEST.linkType("S3")],
      [{ version: "1.0", artifacts: [{ type: "x", link: { type: "s3" } }] }, "validation", MANIFEST.noLinkPath],
      [{ version: "1.0", artifacts: [{ type: "x", link: missing }] }, "validation", artifactNotValidated(missing)],
      [{ version: "1.0", artifacts: [] }, "bad_request", (i) => MANIFEST.noRootfs(shown(i))],
      ["not json {", "validation", (i) => manifestNotJson(shown(i))],
    ];
    for (const [i, [manifest, kind, detail]] of cases.entries()) {
      const link = await f.putImage(`bad${i}`, { manifest });
      const e = await failure(f.ims.images.create({ name: "img", link }));
      expect([e.kind, e.detail]).toEqual([kind, typeof detail === "string" ? detail : detail(i)]);
    }
    const twoRoots = await f.putImage("two", {
      manifest: { version: "1.0", artifacts: ["r1", "r2"].map((n) => ({ type: "application/vnd.cray.image.rootfs.squashfs", link: { path: `s3://boot-images/two/${n}`, type: "s3" } })) },
    });
    await f.put("s3://boot-images/two/r1", "1");
    await f.put("s3://boot-images/two/r2", "2");
    expect((await failure(f.ims.images.create({ name: "img", link: twoRoots }))).kind).toBe("bad_request");
    expect((await failure(f.ims.images.create({ name: "i", link: { path: "s3://boot-images/none", type: "s3" } }))).kind).toBe("validation");
    expect(await f.ims.images.list()).toEqual([]);
  });

  test("a manifest over the size limit is a 400", async () => {
    const link = await f.putImage("big", { manifest: JSON.stringify({ version: "1.0", pad: "x".repeat(1_100_000) }) });
    const e = await failure(f.ims.images.create({ name: "img", link }));
    expect(e.kind).toBe("bad_request");
    expect(e.detail).toBe(manifestTooLarge({ path: link.path, etag: "", type: "s3" }));
  });

  test("a link already used by another image is a 422 naming it", async () => {
    const link = await f.putImage("a");
    const first = await f.ims.images.create({ name: "one", link });
    const e = await failure(f.ims.images.create({ name: "two", link }));
    expect(e.kind).toBe("validation");
    expect(e.detail).toBe(linkNotUnique(link.path, "image", first.data.id));
  });
});

describe("image patch", () => {
  test("metadata set/remove, arch, link idempotent, different link 409", async () => {
    const link = await f.putImage("a");
    const { data } = await f.ims.images.create({ name: "img" });
    await f.ims.images.patch(data.id, { metadata: { operation: "set", key: "a", value: "1" } });
    await f.ims.images.patch(data.id, { metadata: { operation: "set", key: "b" } });
    await f.ims.images.patch(data.id, { metadata: { operation: "remove", key: "a" } });
    await f.ims.images.patch(data.id, { metadata: { operation: "remove", key: "zz" } });
    const patched = await f.ims.images.patch(data.id, { arch: "aarch64", link: { ...link, etag: "" } });
    expect(patched.data).toMatchObject({ arch: "aarch64", metadata: { b: "" }, link: { path: link.path, etag: "", type: "s3" } });
    expect(patched.version).toBe(6);
    await f.ims.images.patch(data.id, { link: { path: link.path, etag: "", type: "s3" } });
    const other = await f.putImage("b");
    expect((await failure(f.ims.images.patch(data.id, { link: other }))).kind).toBe("conflict");
  });

  test("order of checks: 404, then 400, then 422; a failed patch writes nothing", async () => {
    expect((await failure(f.ims.images.patch("00000000-0000-0000-0000-000000000000", {}))).kind).toBe("not_found");
    const { data } = await f.ims.images.create({ name: "img" });
    expect((await failure(f.ims.images.patch(data.id, {}))).kind).toBe("missing_input");
    expect((await failure(f.ims.images.patch(data.id, { name: "x", arch: "aarch64" }))).kind).toBe("validation");
    expect((await failure(f.ims.images.patch(data.id, { arch: "aarch64", link: { path: "s3://boot-images/none", type: "s3" } }))).kind).toBe("validation");
    expect((await f.ims.images.get(data.id)).data).toEqual(data);
  });

  test("a stale If-Match is a 412 and a current one succeeds", async () => {
    const { data, version } = await f.ims.images.create({ name: "img" });
    await f.ims.images.patch(data.id, { arch: "aarch64" }, { ifVersion: version });
    const e = await failure(f.ims.images.patch(data.id, { arch: "x86_64" }, { ifVersion: version }));
    expect(e.kind).toBe("precondition_failed");
  });
});

describe("image soft delete, undelete, purge", () => {
  test("v3 delete moves every artifact under deleted/ and writes the deleted manifest", async () => {
    const link = await f.putImage("a");
    const { data } = await f.ims.images.create({ name: "img", link, metadata: { k: "v" } });
    await f.ims.images.delete(data.id, { mode: "soft" });
    const dead = (await f.ims.deletedImages.get(data.id)).data;
    expect(dead.link).toEqual({ etag: "", path: `s3://boot-images/deleted/${data.id}/deleted_manifest.json`, type: "s3" });
    expect(dead).toMatchObject({ name: "img", metadata: { k: "v" }, created: data.created });
    expect(typeof dead.deleted).toBe("string");
    await f.ims.worker.drain();
    for (const n of ["rootfs", "kernel", "initrd", "manifest.json"]) {
      expect(await f.exists(`s3://boot-images/a/${n}`)).toBe(false);
      expect(await f.exists(`s3://boot-images/deleted/a/${n}`)).toBe(true);
    }
    const deletedManifest = JSON.parse(new TextDecoder().decode(await f.artifacts.read({ bucket: "boot-images", key: `deleted/${data.id}/deleted_manifest.json` }, 1e6)));
    expect(deletedManifest.version).toBe("1.0");
    expect(deletedManifest.created).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(deletedManifest.artifacts.map((a: { link: { path: string } }) => a.link.path)).toEqual(
      ["rootfs", "kernel", "initrd", "manifest.json"].map((n) => `s3://boot-images/deleted/a/${n}`),
    );
    expect(await f.ims.images.list()).toEqual([]);
  });

  test("undelete restores the keys and the manifest link with its etag", async () => {
    const link = await f.putImage("a");
    const { data } = await f.ims.images.create({ name: "img", link });
    await f.ims.images.delete(data.id, { mode: "soft" });
    await f.ims.deletedImages.undelete(data.id, { operation: "undelete" });
    await f.ims.worker.drain();
    const back = (await f.ims.images.get(data.id)).data;
    expect(back.link?.path).toBe(link.path);
    expect(back.link?.etag).not.toBe("");
    expect(back).toMatchObject({ id: data.id, created: data.created, name: "img" });
    expect("deleted" in back).toBe(false);
    for (const n of ["rootfs", "kernel", "initrd", "manifest.json"]) expect(await f.exists(`s3://boot-images/a/${n}`)).toBe(true);
    expect(await f.exists(`s3://boot-images/deleted/${data.id}/deleted_manifest.json`)).toBe(false);
    expect(await f.ims.deletedImages.list()).toEqual([]);
  });

  test("purge removes every deleted object; v2 cascade removes the live ones", async () => {
    const a = await f.ims.images.create({ name: "a", link: await f.putImage("a") });
    const b = await f.ims.images.create({ name: "b", link: await f.putImage("b") });
    const c = await f.ims.images.create({ name: "c", link: await f.putImage("c") });
    await f.ims.images.delete(a.data.id, { mode: "soft" });
    await f.ims.deletedImages.delete(a.data.id);
    await f.ims.images.delete(b.data.id, { mode: "hard", cascade: true });
    await f.ims.images.delete(c.data.id, { mode: "hard", cascade: false });
    await f.ims.worker.drain();
    const files = await Array.fromAsync(f.artifacts.list("boot-images", ""));
    expect(files.map((x) => x.key).sort()).toEqual(["c/initrd", "c/kernel", "c/manifest.json", "c/rootfs"]);
    expect(await f.ims.images.list()).toEqual([]);
    expect(await f.ims.deletedImages.list()).toEqual([]);
  });

  test("undelete body rules: 404 first, then 400, then 422", async () => {
    expect((await failure(f.ims.deletedImages.undelete("00000000-0000-0000-0000-000000000000", null))).kind).toBe("not_found");
    const { data } = await f.ims.images.create({ name: "img" });
    await f.ims.images.delete(data.id, { mode: "soft" });
    expect((await failure(f.ims.deletedImages.undelete(data.id, null))).kind).toBe("missing_input");
    expect((await failure(f.ims.deletedImages.undelete(data.id, { operation: "restore" }))).kind).toBe("validation");
    await f.ims.deletedImages.undeleteAll({ operation: "undelete" });
    expect((await f.ims.images.list()).length).toBe(1);
  });

  test("an image whose manifest is gone is still soft deleted, keeping its link", async () => {
    const link = await f.putImage("a");
    const { data } = await f.ims.images.create({ name: "img", link });
    await f.artifacts.remove({ bucket: "boot-images", key: "a/manifest.json" });
    await f.ims.images.delete(data.id, { mode: "soft" });
    expect((await f.ims.deletedImages.get(data.id)).data.link?.path).toBe(link.path);
  });
});
