/**
 * What Ceph RGW (the S3 that CSM runs) does differently from AWS, and how the adapter copes,
 * on a real RGW: real object owners, the empty ETag of CompleteMultipartUpload, unquoted copy
 * ETags, UploadPartCopy of another user's object, uploads aborted under a copy, AccessDenied
 * without a message. Runs when the run covers RGW (IMS_TEST_S3 unset or "rgw").
 */
import { afterAll, beforeAll, describe, expect, spyOn, test } from "bun:test";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectAclCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { createHash, randomBytes } from "node:crypto";
import { imsErrorOf } from "../artifact-contract.ts";
import { MiB } from "./config.ts";
import { openS3Artifacts, type S3ArtifactStore } from "./index.ts";
import { openTestS3, s3Config, s3Flavours, type TestS3, withSts } from "./test-s3.ts";

const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");
const BUCKET = "ims";
const at = (key: string) => ({ bucket: BUCKET, key });
/** Small thresholds: a 12 MiB object is copied in three parts. */
const SMALL_PARTS = { multipartThresholdBytes: 5 * MiB, partSizeBytes: 5 * MiB, copyConcurrency: 1 };

/** The SDK commands sent while `run` runs, by name; `before` may act just before one is sent. */
async function commandsDuring<T>(run: () => Promise<T>, before?: (name: string, input: any) => Promise<void>) {
  const names: string[] = [];
  const original = S3Client.prototype.send;
  const spy = spyOn(S3Client.prototype, "send").mockImplementation(async function (this: S3Client, command: any, ...rest: any[]) {
    const name = command.constructor.name.replace(/Command$/, "");
    names.push(name);
    await before?.(name, command.input);
    return (original as any).call(this, command, ...rest);
  });
  try {
    return { result: await run().catch((e) => e), names };
  } finally {
    spy.mockRestore();
  }
}

describe.skipIf(!s3Flavours().includes("rgw"))("Ceph RGW", () => {
  let server: TestS3;
  let ims: S3Client;
  let sts: S3Client;
  const stores: S3ArtifactStore[] = [];
  const open = async (extra = {}) => {
    const store = await openS3Artifacts(s3Config(server, extra));
    stores.push(store);
    return store;
  };
  const ownerOf = async (key: string) => (await ims.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: key }))).Owner?.ID;
  /** 12 MiB uploaded as the STS user would (a job pod, `cray artifacts create`), optionally with an ACL. */
  async function putAsSts(key: string, acl?: "bucket-owner-full-control") {
    const body = new Uint8Array(randomBytes(12 * MiB));
    await sts.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ACL: acl, Metadata: { md5sum: md5(body) } }));
    return md5(body);
  }

  beforeAll(async () => {
    server = await openTestS3("rgw", [BUCKET, "strict"]);
    ims = server.client();
    sts = server.client("sts");
  });
  afterAll(async () => {
    stores.forEach((s) => s.close());
    await server?.stop();
  });

  test("an object STS uploads is owned by STS; IMS may read it (bucket policy), and copies it as its own", async () => {
    await sts.send(new PutObjectCommand({ Bucket: BUCKET, Key: "own/a", Body: "a" }));
    expect(await ownerOf("own/a")).toBe("STS");
    const store = await open();
    expect((await store.head(at("own/a")))?.size).toBe(1);
    await store.copy(at("own/a"), at("own/b"));
    expect(await ownerOf("own/b")).toBe("IMS"); // RGW: the copier owns the copy
  });

  test("CompleteMultipartUpload answers an empty ETag; a multipart copy reads the real one back with HEAD", async () => {
    // RGW's answer, straight from the SDK.
    const { UploadId } = await ims.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: "etag/raw" }));
    const part = await ims.send(new UploadPartCommand({ Bucket: BUCKET, Key: "etag/raw", UploadId, PartNumber: 1, Body: "x" }));
    const done = await ims.send(
      new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: "etag/raw", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }),
    );
    expect(done.ETag).toBe("");

    const store = await open(SMALL_PARTS);
    await store.write(at("etag/src"), randomBytes(12 * MiB), "application/octet-stream");
    const { result, names } = await commandsDuring(() => store.copy(at("etag/src"), at("etag/dst")));
    expect(names.slice(-2)).toEqual(["CompleteMultipartUpload", "HeadObject"]);
    expect(result.etag).toMatch(/^[0-9a-f]{32}-3$/);
    expect((await store.head(at("etag/dst")))?.etag).toBe(result.etag);
  });

  test("copy results carry their ETag without quotes; the adapter returns it bare, as HEAD has it", async () => {
    const store = await open();
    const { etag } = await store.write(at("quote/src"), "quoted?", "text/plain");
    const raw = await ims.send(new CopyObjectCommand({ Bucket: BUCKET, Key: "quote/raw", CopySource: `${BUCKET}/quote/src` }));
    expect(raw.CopyObjectResult?.ETag).toBe(etag); // AWS: `"${etag}"`
    expect(await store.copy(at("quote/src"), at("quote/dst"))).toEqual({ etag });
  });

  describe("UploadPartCopy of another user's object needs an object ACL grant", () => {
    test("without one IMS is denied the part copies and falls back to one CopyObject (up to 5 GiB)", async () => {
      const sum = await putAsSts("xo/plain");
      const store = await open(SMALL_PARTS); // no STS credentials
      const { result, names } = await commandsDuring(() => store.copy(at("xo/plain"), at("xo/plain-copy")));
      expect(result).toEqual({ etag: sum });
      expect(names).toEqual(["HeadObject", "CreateMultipartUpload", "UploadPartCopy", "ListParts", "AbortMultipartUpload", "CopyObject"]);
      expect(md5(await store.read(at("xo/plain-copy"), 13 * MiB))).toBe(sum);
      expect(await server.uploads(BUCKET)).toEqual([]); // the denied upload was aborted
    });

    test("with bucket-owner-full-control IMS copies it part by part", async () => {
      const sum = await putAsSts("xo/granted", "bucket-owner-full-control");
      const store = await open(SMALL_PARTS);
      const { result, names } = await commandsDuring(() => store.copy(at("xo/granted"), at("xo/granted-copy")));
      expect(result.etag).toMatch(/-3$/);
      expect(names.filter((n) => n === "UploadPartCopy").length).toBe(3);
      expect(names).not.toContain("CopyObject");
      expect(md5(await store.read(at("xo/granted-copy"), 13 * MiB))).toBe(sum);
    });

    test("with the STS credentials configured STS copies its own object part by part, and owns the copy", async () => {
      const sum = await putAsSts("xo/sts");
      const store = await open({ ...SMALL_PARTS, ...withSts(server) });
      const { result, names } = await commandsDuring(() => store.copy(at("xo/sts"), at("deleted/xo/sts")));
      expect(result.etag).toMatch(/-3$/);
      expect(names).toEqual(["GetObjectAcl", "HeadObject", "CreateMultipartUpload", ...Array(3).fill("UploadPartCopy"), "CompleteMultipartUpload", "HeadObject"]);
      expect(await ownerOf("deleted/xo/sts")).toBe("STS");
      expect((await store.head(at("deleted/xo/sts")))?.metadata).toEqual({ md5sum: sum });
    });
  });

  describe("an upload aborted under a copy (another worker's crash recovery) is a conflict, not a missing object", () => {
    const abortIt = async (input: any) => {
      await ims.send(new AbortMultipartUploadCommand({ Bucket: input.Bucket, Key: input.Key, UploadId: input.UploadId }));
    };

    test("the next part gets NoSuchUpload, ListParts NoSuchKey", async () => {
      const store = await open(SMALL_PARTS);
      await store.write(at("abort/src"), randomBytes(12 * MiB), "application/octet-stream");
      const { result } = await commandsDuring(
        () => store.copy(at("abort/src"), at("abort/dst")),
        async (name, input) => (name === "UploadPartCopy" && input.PartNumber === 2 ? abortIt(input) : undefined),
      );
      expect(result.kind).toBe("conflict");
      expect(result.detail).toBe(
        'The multipart copy of "s3://ims/abort/src" to "s3://ims/abort/dst" was interrupted: another process aborted its upload (crash recovery); it will be retried.',
      );
      expect(await store.copy(at("abort/src"), at("abort/dst"))).toEqual({ etag: expect.stringMatching(/-3$/) });
    });

    test("its completion gets a 500 ('This multipart completion is already in progress')", async () => {
      const store = await open(SMALL_PARTS);
      await store.write(at("abort2/src"), randomBytes(12 * MiB), "application/octet-stream");
      const { result } = await commandsDuring(
        () => store.copy(at("abort2/src"), at("abort2/dst")),
        async (name, input) => (name === "CompleteMultipartUpload" ? abortIt(input) : undefined),
      );
      expect(result.kind).toBe("conflict");
      expect(await store.head(at("abort2/dst"))).toBeUndefined();
    });
  });

  test("abortUploads drops an upload the STS user started (crash recovery of an STS copy)", async () => {
    const { UploadId } = await sts.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: "left/over" }));
    expect((await server.uploads(BUCKET)).map((u) => u.id)).toContain(UploadId!);
    await (await open(withSts(server))).abortUploads(at("left/over"));
    expect(await server.uploads(BUCKET)).toEqual([]);
  });

  describe("AccessDenied comes without a message; the error says what it means", () => {
    // A bucket whose policy lets STS upload but does not let IMS read what STS owns.
    beforeAll(async () => {
      const policy = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: ["arn:aws:iam:::user/STS"] }, Action: ["s3:PutObject"], Resource: ["arn:aws:s3:::strict/*"] }],
      };
      await ims.send(new PutBucketPolicyCommand({ Bucket: "strict", Policy: JSON.stringify(policy) }));
      await sts.send(new PutObjectCommand({ Bucket: "strict", Key: "private", Body: "mine" }));
    });

    test("HEAD (no body, so no code): a one-byte GET tells AccessDenied from refused credentials", async () => {
      const err = await imsErrorOf(async () => (await open()).head({ bucket: "strict", key: "private" }));
      expect(err.kind).toBe("unavailable"); // never skipped by a delete: no orphan
      expect(err.detail).toBe(
        `S3 at ${server.endpoint} denied the IMS credentials access to "s3://strict/private": AccessDenied, HTTP 403: ` +
          "the credentials are valid, but the object's ACL and the bucket policy do not allow this call",
      );
      const wrong = await imsErrorOf(async () => (await open({ secretAccessKey: "wrong" })).head({ bucket: "strict", key: "private" }));
      expect(wrong.detail).toStartWith(`S3 at ${server.endpoint} refused the IMS credentials for "s3://strict/private": SignatureDoesNotMatch, HTTP 403: `);
      const unknown = await imsErrorOf(async () => (await open({ accessKeyId: "NOSUCHKEY" })).head({ bucket: "strict", key: "private" }));
      expect(unknown.detail).toEndWith("InvalidAccessKeyId, HTTP 403: S3 has no such access key");
    });

    test("so does a copy of it", async () => {
      const err = await imsErrorOf(async () => (await open()).copy({ bucket: "strict", key: "private" }, { bucket: "strict", key: "copy" }));
      expect(err.kind).toBe("unavailable");
      expect(err.detail).toContain('denied the IMS credentials access to "s3://strict/private": AccessDenied, HTTP 403: the credentials are valid');
    });
  });
});
