import { expect, test } from "bun:test";
import { mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { imsErrorOf, runArtifactContract } from "../artifact-contract.ts";
import { openLocalArtifacts } from "./index.ts";

runArtifactContract("local directory", async () => {
  const dir = await mkdtemp(join(tmpdir(), "ims-local-artifacts-"));
  return { store: await openLocalArtifacts({ dir }), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

async function withStore(run: (store: Awaited<ReturnType<typeof openLocalArtifacts>>, dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), "ims-local-artifacts-"));
  try {
    await run(await openLocalArtifacts({ dir }), dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("s3://BUCKET/KEY is the file DIR/BUCKET/KEY, and presign points at it", () =>
  withStore(async (store, dir) => {
    await store.write({ bucket: "boot-images", key: "img/rootfs" }, "squash", "application/octet-stream");
    expect(await Bun.file(join(dir, "boot-images/img/rootfs")).text()).toBe("squash");
    expect(await store.presign({ bucket: "boot-images", key: "img/rootfs" }, 60)).toBe(`file://${join(dir, "boot-images/img/rootfs")}`);
  }));

test("a file placed by hand is an object; its ETag is recomputed when it changes", () =>
  withStore(async (store, dir) => {
    const ref = { bucket: "ims", key: "hand/made" };
    await store.write(ref, "first", "text/plain");
    await writeFile(join(dir, "ims/hand/made"), "second, longer"); // in place: same inode
    expect((await store.head(ref))?.etag).toBe(new Bun.CryptoHasher("md5").update("second, longer").digest("hex"));
  }));

test("no temp files are left behind, and listings never show store files", () =>
  withStore(async (store, dir) => {
    await store.write({ bucket: "ims", key: "a" }, "1", "text/plain");
    await store.copy({ bucket: "ims", key: "a" }, { bucket: "ims", key: "b" });
    expect(await readdir(join(dir, ".tmp"))).toEqual([]);
    const keys = [];
    for await (const o of store.list("ims", "")) keys.push(o.key);
    expect(keys).toEqual(["a", "b"]);
  }));

test("a key cannot be both an object and a prefix: conflict, not a crash", () =>
  withStore(async (store) => {
    await store.write({ bucket: "ims", key: "x/y" }, "1", "text/plain");
    expect((await imsErrorOf(() => store.write({ bucket: "ims", key: "x" }, "2", "text/plain"))).kind).toBe("conflict");
    await store.write({ bucket: "ims", key: "f" }, "1", "text/plain");
    expect((await imsErrorOf(() => store.write({ bucket: "ims", key: "f/g" }, "2", "text/plain"))).kind).toBe("conflict");
  }));

test("symlinks are not objects (they could lead outside the store)", () =>
  withStore(async (store, dir) => {
    await store.write({ bucket: "ims", key: "real" }, "1", "text/plain");
    await symlink("/etc", join(dir, "ims/etc"));
    const keys = [];
    for await (const o of store.list("ims", "")) keys.push(o.key);
    expect(keys).toEqual(["real"]);
  }));

test("empty key segments are refused (they would alias another key)", () =>
  withStore(async (store) => {
    for (const key of ["a//b", "a/"]) {
      expect((await imsErrorOf(() => store.write({ bucket: "ims", key }, "x", "text/plain"))).kind).toBe("validation");
    }
  }));
