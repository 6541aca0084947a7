/**
 * Copies against the real s3rver: the multipart path (small thresholds), the single-call path,
 * and the STS ownership rule (s3rver's stub ACL reports a configurable owner).
 */
import { afterAll, beforeAll, describe, expect, spyOn, test } from "bun:test";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import { imsErrorOf } from "../artifact-contract.ts";
import type { S3ArtifactsConfig } from "./config.ts";
import { MiB } from "./config.ts";
import { openS3Artifacts } from "./index.ts";
import { startS3Server, type S3Server } from "./test-server.ts";

const STS = { accessKeyId: "STSKEY", secretAccessKey: "STSSECRET" };
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

async function serverAndSdk(options: Parameters<typeof startS3Server>[0]) {
  const server = await startS3Server(options);
  const sdk = new S3Client({
    endpoint: server.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    forcePathStyle: true,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  return { server, sdk };
}

const config = (server: S3Server, extra: Partial<S3ArtifactsConfig> = {}): S3ArtifactsConfig => ({
  ...server,
  sslValidate: false,
  connectTimeoutMs: 2000,
  readTimeoutMs: 20_000,
  ...extra,
});

describe("multipart copy", () => {
  let server: S3Server;
  let sdk: S3Client;
  beforeAll(async () => ({ server, sdk } = await serverAndSdk({ buckets: ["boot-images"] })));
  afterAll(async () => {
    sdk?.destroy();
    await server?.stop();
  });

  test("a 12 MiB object above the threshold goes in 5 MiB part copies and arrives intact", async () => {
    const store = await openS3Artifacts(config(server, { multipartThresholdBytes: 5 * MiB, partSizeBytes: 5 * MiB, copyConcurrency: 2 }));
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
    expect(head?.etag).toBe(etag);
    expect(head?.metadata).toEqual({ md5sum: md5(body) }); // carried over by hand, unlike CopyObject
    expect((await store.head(from))?.size).toBe(body.length); // source kept
    store.close();
  });

  test("at the threshold a single CopyObject is used", async () => {
    const store = await openS3Artifacts(config(server, { multipartThresholdBytes: 5 * MiB, partSizeBytes: 5 * MiB }));
    const from = { bucket: "boot-images", key: "exact/rootfs" };
    await store.write(from, new Uint8Array(5 * MiB), "application/octet-stream");
    const rec = recordCalls();
    await store.copy(from, { bucket: "boot-images", key: "exact/copy" }).finally(rec.restore);
    expect(rec.calls.map((c) => c.command)).toEqual(["HeadObjectCommand", "CopyObjectCommand"]);
    store.close();
  });

  test("part sizes under 5 MiB are refused at open", async () => {
    await expect(openS3Artifacts(config(server, { partSizeBytes: MiB }))).rejects.toThrow(/partSizeBytes/);
  });
});

describe("ownership: objects owned by STS are copied with the STS credentials", () => {
  let server: S3Server;
  let sdk: S3Client;
  beforeAll(async () => ({ server, sdk } = await serverAndSdk({ buckets: ["ims"], aclOwnerId: "STS", extraKeys: [STS] })));
  afterAll(async () => {
    sdk?.destroy();
    await server?.stop();
  });

  test("copy signs with STS, deletes with IMS", async () => {
    const store = await openS3Artifacts(config(server, { sts: { ...STS, sslValidate: false } }));
    await store.write({ bucket: "ims", key: "r/recipe.tgz" }, "tgz", "application/gzip");
    const rec = recordCalls();
    try {
      await store.copy({ bucket: "ims", key: "r/recipe.tgz" }, { bucket: "ims", key: "deleted/r/recipe.tgz" });
      await store.remove({ bucket: "ims", key: "r/recipe.tgz" });
    } finally {
      rec.restore();
    }
    expect(rec.calls.map((c) => [c.command, c.key])).toEqual([
      ["GetObjectAclCommand", "S3RVER"],
      ["HeadObjectCommand", "STSKEY"],
      ["CopyObjectCommand", "STSKEY"],
      ["DeleteObjectCommand", "S3RVER"],
    ]);
    store.close();
  });

  test("wrong STS credentials make the copy fail (so they really are used)", async () => {
    const store = await openS3Artifacts(config(server, { sts: { accessKeyId: "STSKEY", secretAccessKey: "wrong", sslValidate: false } }));
    await store.write({ bucket: "ims", key: "s/recipe.tgz" }, "tgz", "application/gzip");
    const err = await imsErrorOf(() => store.copy({ bucket: "ims", key: "s/recipe.tgz" }, { bucket: "ims", key: "s/copy.tgz" }));
    expect(err.kind).toBe("unavailable");
    expect(err.detail).toContain("refused the credentials");
    store.close();
  });

  test("without STS configuration the ACL is not consulted", async () => {
    const store = await openS3Artifacts(config(server));
    await store.write({ bucket: "ims", key: "t/recipe.tgz" }, "tgz", "application/gzip");
    const rec = recordCalls();
    await store.copy({ bucket: "ims", key: "t/recipe.tgz" }, { bucket: "ims", key: "t/copy.tgz" }).finally(rec.restore);
    expect(rec.calls.map((c) => [c.command, c.key])).toEqual([
      ["HeadObjectCommand", "S3RVER"],
      ["CopyObjectCommand", "S3RVER"],
    ]);
    store.close();
  });
});
