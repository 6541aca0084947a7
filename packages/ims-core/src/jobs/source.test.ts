import { expect, test } from "bun:test";
import type { ImsError } from "../errors.ts";
import { JOB } from "../texts.ts";
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

const ID = "0a2c3d4e-0000-4000-8000-000000000001";
const detailOf = (manifest: unknown) => {
  try {
    rootfsOf(manifest, ID);
  } catch (e) {
    return `${(e as ImsError).kind}: ${(e as ImsError).detail}`;
  }
  return "accepted";
};

test("rootfs: exactly one, with a link, in a version 1.0 manifest", () => {
  const link = { type: "s3", path: "s3://b/rootfs" };
  expect(rootfsOf({ version: "1.0", artifacts: [{ type: ROOTFS, link, md5: "m" }, { type: "kernel", link }] }, ID)).toEqual({ link, md5: "m" });
});

test("a manifest upstream cannot read as version 1.0 with typed artifacts is corrupt (400), whatever else is wrong", () => {
  const corrupt = `bad_request: ${JOB.corruptManifest(ID)}`;
  const rootfs = { type: ROOTFS, link: { type: "s3", path: "s3://b/r" } };
  for (const bad of [
    null, [], "x", {}, { artifacts: [rootfs] }, { version: "2.0", artifacts: [rootfs] }, { version: "42.0", artifacts: [rootfs] },
    { version: 1.0, artifacts: [rootfs] }, { version: "1.0" }, { version: "1.0", artifacts: null }, { version: "1.0", artifacts: 5 },
    { version: "1.0", artifacts: { a: 1 } }, { version: "1.0", artifacts: [rootfs, { link: {} }] }, { version: "1.0", artifacts: ["x"] },
    { version: "1.0", artifacts: [rootfs, { type: 5 }] },
  ]) {
    expect({ bad, answer: detailOf(bad) }).toEqual({ bad, answer: corrupt });
  }
});

test("then the rootfs count and its link", () => {
  const rootfs = { type: ROOTFS, link: { type: "s3", path: "s3://b/r" } };
  expect(detailOf({ version: "1.0", artifacts: [] })).toBe(`bad_request: ${JOB.noRootfs(ID)}`);
  expect(detailOf({ version: "1.0", artifacts: "" })).toBe(`bad_request: ${JOB.noRootfs(ID)}`);
  expect(detailOf({ version: "1.0", artifacts: [rootfs, rootfs] })).toBe(`bad_request: ${JOB.manyRootfs(ID)}`);
  for (const link of [undefined, null, "", {}, []]) {
    expect(detailOf({ version: "1.0", artifacts: [{ type: ROOTFS, link }] })).toBe(`bad_request: ${JOB.rootfsNoLink(ID)}`);
  }
});
