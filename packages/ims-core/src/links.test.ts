import { expect, test } from "bun:test";
import { refOf } from "./links.ts";
import { ImsError } from "./errors.ts";

test("s3 links split into bucket and key as upstream does", () => {
  expect(refOf({ path: "s3://boot-images/abc/manifest.json", type: "s3" })).toEqual({ bucket: "boot-images", key: "abc/manifest.json" });
  expect(refOf({ path: "s3://ims/recipes/r.tgz?versionId=1", type: "S3" })).toEqual({ bucket: "ims", key: "recipes/r.tgz?versionId=1" });
});

test("hostile or empty paths are validation errors that say why", () => {
  const cases: [string, string][] = [
    ["s3://ims/../etc/passwd", "'..'"],
    ["s3://ims/", "no object key"],
    ["s3:///key", "no bucket"],
    ["http://ims/key", "not an s3://"],
    ["s3://ims/a\u0000b", "NUL"],
  ];
  for (const [path, why] of cases) {
    try {
      refOf({ path, type: "s3" });
      throw new Error(`accepted ${path}`);
    } catch (e) {
      expect(e).toBeInstanceOf(ImsError);
      expect((e as ImsError).kind).toBe("validation");
      expect((e as ImsError).detail).toContain(why);
    }
  }
  expect(() => refOf({ path: "s3://ims/k", type: "http" })).toThrow("only 's3'");
});
