/**
 * Copies against real S3 servers (s3rver and Ceph RGW): the multipart path (small thresholds),
 * the single-call path, and the STS ownership rule (on RGW objects STS uploads are owned by STS;
 * s3rver's stub ACL reports a configurable owner for every object).
 */
import { afterAll, beforeAll, describe, expect, spyOn, test } from "bun:test";
import { GetObjectAclCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import { imsErrorOf } from "../artifact-contract.ts";
import { MiB } from "./config.ts";
import { openS3Artifacts } from "./index.ts";
import { openTestS3, s3Config, s3Flavours, type TestS3, withSts } from "./test-s3.ts";

const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");

/** Records every SDK call: command name, the access key that signed it, calls in flight. */
function recordCalls() {
  const calls: { command: string; key: string; input: Record<string, unknown> }[] = [];
  let inFlight = 0;
  let maxInFlight = { UploadPartCopyCommand: 0 } as Record<string, number>;
  const original = S3Client.prototype.send;
  const spy = spyOn(S3Client.prototype, "send").mockImplementation(async function (this: S3Client, command: any, ...rest: any[]) {
    const name = command.constructor.name;
    const { accessKeyId } = await (this.config.credentials as () => Promise<{ accessKeyId: string }>)();
    calls.push({ command: name, key: accessKeyId, input: command.input });
    if (name === "UploadPartCopyCommand") maxInFlight[name] = Math.max(maxInFlight[name]!, ++inFlight);
    try {
      return await (original as any).call(this, command, ...rest);
    } finally {
      if (name === "UploadPartCopyCommand") inFlight--;
    }
  });
  return { calls, maxInFlight: () => maxInFlight.UploadPartCopyCommand!, restore: () => spy.mockRestore() };
}

for (const flavour of s3Flavours()) {
  describe(`multipart copy (${flavour})`, () => {
    let server: TestS3;
    let sdk: S3Client;
    beforeAll(async () => {
      server = await openTestS3(flavour, ["boot-images"]);
      sdk = server.client();
    });
    afterAll(() => server?.stop());

    test("a 12 MiB object above the threshold goes in 5 MiB part copies and arrives intact", async () => {
      const store = await openS3Artifacts(s3Config(server, { multipartThresholdBytes: 5 * MiB, partSizeBytes: 5 * MiB, copyConcurrency: 2 }));
      const body = new Uint8Array(randomBytes(12 * MiB));
      const from = { bucket: "boot-images", key: "img/rootfs" };
      const to = { bucket: "boot-images", key: "deleted/img/rootfs" };
      await sdk.send(new PutObjectCommand({ Bucket: from.bucket, Key: from.key, Body: body, ContentType: "application/vnd.squashfs", Metadata: { md5sum: md5(body) } }));
      await store.write(to, "to be overwritten", "text/plain");

      const rec = recordCalls();
      const { etag } = await store.copy(from, to).finally(rec.restore);
      const parts = rec.calls.filter((c) => c.command === "UploadPartCopyCommand");
      expect(parts.map((p) => p.input.CopySourceRange)).toEqual([
        `bytes=0-${5 * MiB - 1}`,
        `bytes=${5 * MiB}-${10 * MiB - 1}`,
        `bytes=${10 * MiB}-${12 * MiB - 1}`,
      ]);
      expect(rec.calls.map((c) => c.command)).not.toContain("CopyObjectCommand");
      expect(rec.maxInFlight()).toBeLessThanOrEqual(2);

      const copied = await store.read(to, 13 * MiB);
      expect(md5(copied)).toBe(md5(body)); // compare digests: a 12 MiB diff is no help
      expect(copied.length).toBe(body.length);
      const head = await store.head(to);
      // S3's multipart ETag: md5 of the parts' md5s, and the part count (s3rver leaves it off).
      expect(etag).toMatch(flavour === "s3rver" ? /^[0-9a-f]{32}$/ : /^[0-9a-f]{32}-3$/);
      expect(head?.etag).toBe(etag);
      expect(head?.metadata).toEqual({ md5sum: md5(body) }); // carried over by hand, unlike CopyObject
      expect((await store.head(from))?.size).toBe(body.length); // source kept
      store.close();
    });

    test("at the threshold a single CopyObject is used", async () => {
      const store = await openS3Artifacts(s3Config(server, { multipartThresholdBytes: 5 * MiB, partSizeBytes: 5 * MiB }));
      const from = { bucket: "boot-images", key: "exact/rootfs" };
      await store.write(from, new Uint8Array(5 * MiB), "application/octet-stream");
      const rec = recordCalls();
      await store.copy(from, { bucket: "boot-images", key: "exact/copy" }).finally(rec.restore);
      expect(rec.calls.map((c) => c.command)).toEqual(["HeadObjectCommand", "CopyObjectCommand"]);
      store.close();
    });

    test("part sizes under 5 MiB are refused at open", async () => {
      await expect(openS3Artifacts(s3Config(server, { partSizeBytes: MiB }))).rejects.toThrow(/partSizeBytes/);
    });
  });

  describe(`ownership: objects owned by STS are copied with the STS credentials (${flavour})`, () => {
    let server: TestS3;
    let ims: S3Client;
    let sts: S3Client;
    // s3rver has one account; its stub ACL reports "STS" as the owner of everything.
    beforeAll(async () => {
      server = await openTestS3(flavour, ["ims"], { aclOwnerId: "STS" });
      ims = server.client();
      sts = server.client("sts");
    });
    afterAll(() => server?.stop());
    /** As `cray artifacts create` or a job pod with STS credentials uploads it. */
    const putAsSts = (key: string) => sts.send(new PutObjectCommand({ Bucket: "ims", Key: key, Body: "tgz" }));
    const ownerOf = async (key: string) => (await ims.send(new GetObjectAclCommand({ Bucket: "ims", Key: key }))).Owner?.ID;

    test("copy signs with STS, deletes with IMS", async () => {
      const store = await openS3Artifacts(s3Config(server, withSts(server)));
      await putAsSts("r/recipe.tgz");
      const rec = recordCalls();
      try {
        await store.copy({ bucket: "ims", key: "r/recipe.tgz" }, { bucket: "ims", key: "deleted/r/recipe.tgz" });
        await store.remove({ bucket: "ims", key: "r/recipe.tgz" });
      } finally {
        rec.restore();
      }
      expect(rec.calls.map((c) => [c.command, c.key])).toEqual([
        ["GetObjectAclCommand", server.accessKeyId],
        ["HeadObjectCommand", server.sts.accessKeyId],
        ["CopyObjectCommand", server.sts.accessKeyId],
        ["DeleteObjectCommand", server.accessKeyId],
      ]);
      // On RGW the copier owns the copy: proof that STS made it.
      if (flavour === "rgw") expect(await ownerOf("deleted/r/recipe.tgz")).toBe("STS");
      store.close();
    });

    test("wrong STS credentials make the copy fail, naming them (so they really are used)", async () => {
      const store = await openS3Artifacts(s3Config(server, withSts(server, { accessKeyId: server.sts.accessKeyId, secretAccessKey: "wrong" })));
      await putAsSts("s/recipe.tgz");
      const err = await imsErrorOf(() => store.copy({ bucket: "ims", key: "s/recipe.tgz" }, { bucket: "ims", key: "s/copy.tgz" }));
      expect(err.kind).toBe("unavailable");
      expect(err.detail).toStartWith(`S3 at ${server.endpoint} refused the STS credentials for "s3://ims/s/recipe.tgz": SignatureDoesNotMatch, HTTP 403: `);
      expect(await store.head({ bucket: "ims", key: "s/copy.tgz" })).toBeUndefined();
      store.close();
    });

    test("without STS configuration the ACL is not consulted", async () => {
      const store = await openS3Artifacts(s3Config(server));
      await putAsSts("t/recipe.tgz");
      const rec = recordCalls();
      await store.copy({ bucket: "ims", key: "t/recipe.tgz" }, { bucket: "ims", key: "t/copy.tgz" }).finally(rec.restore);
      expect(rec.calls.map((c) => [c.command, c.key])).toEqual([
        ["HeadObjectCommand", server.accessKeyId],
        ["CopyObjectCommand", server.accessKeyId],
      ]);
      if (flavour === "rgw") expect(await ownerOf("t/copy.tgz")).toBe("IMS");
      store.close();
    });
  });
}
