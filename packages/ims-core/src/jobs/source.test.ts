import { expect, test } from "bun:test";
import { chooseMd5, rootfsOf } from "./source.ts";

const ROOTFS = "application/vnd.cray.image.rootfs.squashfs";

test("md5: S3 metadata, else the manifest's, else empty; a mismatch warns", () => {
  const warnings: string[] = [];
  expect(chooseMd5("s3md5", "man", (w) => warnings.push(w))).toBe("s3md5");
  expect(warnings.length).toBe(1);
  expect(chooseMd5(undefined, "man")).toBe("man");
  expect(chooseMd5("", "man")).toBe("man");
  expect(chooseMd5(undefined, undefined)).toBe("");
  expect(chooseMd5(undefined, 42)).toBe("");
});

test("rootfs: exactly one, with a link", () => {
  const link = { path: "s3://b/rootfs", type: "s3" };
  expect(rootfsOf({ artifacts: [{ type: ROOTFS, link, md5: "m" }, { type: "kernel", link }] })).toEqual({ link: { ...link, etag: "" }, md5: "m" });
  for (const bad of [{}, null, { artifacts: [] }, { artifacts: [{ type: ROOTFS, link }, { type: ROOTFS, link }] }, { artifacts: [{ type: ROOTFS }] }]) {
    expect(() => rootfsOf(bad)).toThrow();
  }
});
