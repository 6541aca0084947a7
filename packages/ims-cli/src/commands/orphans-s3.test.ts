/** `orphans` with S3_ENDPOINT set: the S3 adapter against real S3 servers (s3rver and Ceph RGW). */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { join } from "node:path";
import { openS3Artifacts, type S3ArtifactStore } from "@ims/core/s3";
import { IDS, legacyRecords, openTestS3, s3Config, s3Flavours, type S3Flavour, type TestS3 } from "@ims/core/test-support";
import { ims, tempDir, writeLegacyDir } from "../test-support/cli.ts";

const manifestKey = `${IDS.image1}/manifest.json`;
const rootfsKey = `${IDS.image1}/rootfs`;

for (const flavour of s3Flavours()) describe(`on ${flavour}`, () => suite(flavour));

function suite(flavour: S3Flavour) {
  let server: TestS3;
  let s3: S3ArtifactStore;
  let cleanup: () => Promise<void>;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await openTestS3(flavour, ["ims-recipes", "images"]);
    const { dir, cleanup: done } = await tempDir();
    cleanup = done;
    env = {
      DATABASE_URL: `sqlite:${join(dir, "ims.sqlite")}`,
      S3_ENDPOINT: server.endpoint,
      S3_ACCESS_KEY: server.accessKeyId,
      S3_SECRET_KEY: server.secretAccessKey,
      S3_IMS_BUCKET: "ims-recipes",
      S3_BOOT_IMAGES_BUCKET: "images",
    };
    // Point image1 at the renamed bucket so its manifest is what keeps rootfs referenced.
    const files = legacyRecords();
    files["v2.1_images.json"][0]!.link!.path = `s3://images/${manifestKey}`;
    const text = Object.fromEntries(Object.entries(files).map(([n, r]) => [n, JSON.stringify(r)]));
    const r = await ims(["migrate-legacy", await writeLegacyDir(dir, text)], env);
    if (r.code !== 0) throw new Error(r.stderr);
    s3 = await openS3Artifacts(s3Config(server));
    const artifact = { type: "application/vnd.cray.image.rootfs.squashfs", link: { path: `s3://images/${rootfsKey}`, etag: "", type: "s3" } };
    await s3.write({ bucket: "images", key: manifestKey }, JSON.stringify({ version: "1.0", artifacts: [artifact] }), "application/json");
    await s3.write({ bucket: "images", key: rootfsKey }, "squashfs", "application/octet-stream");
    // Left by a job pod with the STS credentials: on RGW owned by STS, still IMS's to delete.
    await server.client("sts").send(new PutObjectCommand({ Bucket: "images", Key: "stray/object", Body: "x" }));
    await s3.write({ bucket: "ims-recipes", key: "recipes/old.tar.gz" }, "x", "application/octet-stream");
  });
  afterAll(async () => {
    s3?.close();
    await server?.stop();
    await cleanup?.();
  });

  test("orphans lists and deletes only unreferenced objects in the configured buckets", async () => {
    const dry = await ims(["orphans"], env);
    expect(dry.stderr).toContain(`in S3 at ${server.endpoint}`);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe("s3://ims-recipes/recipes/old.tar.gz\t1\ns3://images/stray/object\t1\n");
    const r = await ims(["orphans", "--delete"], env);
    expect(r.code).toBe(0);
    expect(await s3.head({ bucket: "images", key: "stray/object" })).toBeUndefined();
    expect(await s3.head({ bucket: "ims-recipes", key: "recipes/old.tar.gz" })).toBeUndefined();
    expect(await s3.head({ bucket: "images", key: rootfsKey })).toBeDefined();
    expect(await s3.head({ bucket: "images", key: manifestKey })).toBeDefined();
  }, 30_000);
}
