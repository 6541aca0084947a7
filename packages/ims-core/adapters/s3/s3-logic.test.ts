/**
 * Decisions that a local server cannot provoke (failed parts, ACL errors, upload listings,
 * error shapes), checked against a scripted fake of the SDK client.
 */
import { describe, expect, test } from "bun:test";
import type { S3Client } from "@aws-sdk/client-s3";
import { imsErrorOf } from "../artifact-contract.ts";
import type { S3Context } from "./client.ts";
import { MiB } from "./config.ts";
import { copy } from "./copy.ts";
import { toImsError } from "./errors.ts";
import { partRanges, partSizeFor } from "./multipart.ts";
import { checkRef, copySource } from "./ref.ts";
import { abortUploads } from "./uploads.ts";

type Handler = (command: string, input: any) => unknown;

/** A client whose answers come from `handler`; records calls and the most in flight at once. */
function fake(handler: Handler) {
  const calls: [string, any][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const client = {
    async send(command: { constructor: { name: string }; input: unknown }) {
      const name = command.constructor.name.replace(/Command$/, "");
      calls.push([name, command.input]);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        await Bun.sleep(1);
        return await handler(name, command.input);
      } finally {
        inFlight--;
      }
    },
  } as unknown as S3Client;
  return { client, calls, names: () => calls.map(([n]) => n), maxInFlight: () => maxInFlight };
}

const sdkError = (name: string, status?: number, code?: string) =>
  Object.assign(new Error(`${name} happened`), { name, code, $metadata: { httpStatusCode: status } });

const context = (ims: S3Client, sts?: S3Client, limits = {}): S3Context => ({
  ims,
  sts,
  endpoint: "http://s3.test",
  limits: { multipartThresholdBytes: 5 * MiB, partSizeBytes: 5 * MiB, copyConcurrency: 3, ...limits },
});

const from = { bucket: "boot-images", key: "img/rootfs" };
const to = { bucket: "boot-images", key: "deleted/img/rootfs" };
const bigHead = (size: number) => ({ ContentLength: size, ETag: '"src"', Metadata: { md5sum: "abc" }, ContentType: "x/y" });

describe("multipart copy", () => {
  test("at most copyConcurrency parts in flight; metadata and type carried to the new upload", async () => {
    const s3 = fake((cmd) =>
      cmd === "HeadObject" ? bigHead(50 * MiB)
      : cmd === "CreateMultipartUpload" ? { UploadId: "u1" }
      : cmd === "UploadPartCopy" ? { CopyPartResult: { ETag: '"p"' } }
      : { ETag: '"whole-10"' },
    );
    expect(await copy(context(s3.client), from, to)).toEqual({ etag: "whole-10" });
    expect(s3.names().filter((n) => n === "UploadPartCopy").length).toBe(10);
    expect(s3.maxInFlight()).toBe(3);
    expect(s3.calls.find(([n]) => n === "CreateMultipartUpload")![1]).toMatchObject({ Metadata: { md5sum: "abc" }, ContentType: "x/y" });
    const parts = s3.calls.find(([n]) => n === "CompleteMultipartUpload")![1].MultipartUpload.Parts;
    expect(parts.map((p: any) => p.PartNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  test("a failed part stops new parts, aborts the upload and rethrows as an ImsError", async () => {
    const s3 = fake((cmd, input) => {
      if (cmd === "HeadObject") return bigHead(30 * MiB);
      if (cmd === "CreateMultipartUpload") return { UploadId: "u2" };
      if (cmd === "UploadPartCopy" && input.PartNumber === 2) throw sdkError("InternalError", 500);
      if (cmd === "UploadPartCopy") return { CopyPartResult: { ETag: '"p"' } };
      if (cmd === "AbortMultipartUpload") return {};
      throw new Error(`unexpected ${cmd}`);
    });
    const err = await imsErrorOf(() => copy(context(s3.client, undefined, { copyConcurrency: 1 }), from, to));
    expect(err.kind).toBe("unavailable");
    expect(err.detail).toContain("InternalError");
    // ListParts: was the upload aborted by someone else? (No: the part failed on its own.)
    expect(s3.names()).toEqual(["HeadObject", "CreateMultipartUpload", "UploadPartCopy", "UploadPartCopy", "ListParts", "AbortMultipartUpload"]);
    expect(s3.calls.at(-1)![1]).toEqual({ Bucket: to.bucket, Key: to.key, UploadId: "u2" });
  });

  test("a failing abort does not hide the original error", async () => {
    const s3 = fake((cmd) => {
      if (cmd === "HeadObject") return bigHead(12 * MiB);
      if (cmd === "CreateMultipartUpload") return { UploadId: "u3" };
      if (cmd === "CompleteMultipartUpload") throw sdkError("InvalidPart", 400);
      if (cmd === "AbortMultipartUpload") throw sdkError("MethodNotAllowed", 405);
      return { CopyPartResult: { ETag: '"p"' } };
    });
    const err = await imsErrorOf(() => copy(context(s3.client), from, to));
    expect(err.kind).toBe("bad_request");
    expect(err.detail).toContain("InvalidPart");
  });

  test("an empty ETag from CompleteMultipartUpload (Ceph RGW) is read back with HEAD", async () => {
    const s3 = fake((cmd) =>
      cmd === "HeadObject" ? { ...bigHead(12 * MiB), ETag: '"whole-3"' }
      : cmd === "CreateMultipartUpload" ? { UploadId: "u" }
      : cmd === "UploadPartCopy" ? { CopyPartResult: { ETag: "unquoted" } }
      : { ETag: "" },
    );
    expect(await copy(context(s3.client), from, to)).toEqual({ etag: "whole-3" });
    expect(s3.names().slice(-2)).toEqual(["CompleteMultipartUpload", "HeadObject"]);
    expect(s3.calls.at(-1)![1]).toEqual({ Bucket: to.bucket, Key: to.key });
    // Part ETags go back quoted, whatever form they came in.
    const parts = s3.calls.find(([n]) => n === "CompleteMultipartUpload")![1].MultipartUpload.Parts;
    expect(parts.map((p: any) => p.ETag)).toEqual(['"unquoted"', '"unquoted"', '"unquoted"']);
  });

  test("an upload aborted by someone else (parts NoSuchUpload, ListParts NoSuchKey) is a conflict, not a missing source", async () => {
    const s3 = fake((cmd) => {
      if (cmd === "HeadObject") return bigHead(12 * MiB);
      if (cmd === "CreateMultipartUpload") return { UploadId: "u" };
      if (cmd === "UploadPartCopy") throw sdkError("NoSuchUpload", 404);
      if (cmd === "ListParts") throw sdkError("NoSuchKey", 404); // Ceph RGW's answer after an abort
      throw new Error(`unexpected ${cmd}`);
    });
    const err = await imsErrorOf(() => copy(context(s3.client, undefined, { copyConcurrency: 1 }), from, to));
    expect(err.kind).toBe("conflict");
    expect(err.detail).toContain("another process aborted its upload");
    expect(s3.names()).not.toContain("AbortMultipartUpload"); // nothing left to abort
  });

  test("a part copy denied (another owner, no ACL grant) falls back to one CopyObject up to 5 GiB", async () => {
    const s3 = fake((cmd) => {
      if (cmd === "HeadObject") return bigHead(12 * MiB);
      if (cmd === "CreateMultipartUpload") return { UploadId: "u" };
      if (cmd === "UploadPartCopy") throw sdkError("AccessDenied", 403, "AccessDenied");
      if (cmd === "ListParts") return { Parts: [] };
      if (cmd === "AbortMultipartUpload") return {};
      return { CopyObjectResult: { ETag: "src" } };
    });
    expect(await copy(context(s3.client, undefined, { copyConcurrency: 1 }), from, to)).toEqual({ etag: "src" });
    expect(s3.names()).toEqual(["HeadObject", "CreateMultipartUpload", "UploadPartCopy", "ListParts", "AbortMultipartUpload", "CopyObject"]);
  });

  test("a denied part copy of an object over 5 GiB fails naming its owner and the fix", async () => {
    const size = 6 * 1024 * MiB;
    const ims = fake((cmd) => {
      if (cmd === "HeadObject") return bigHead(size);
      if (cmd === "CreateMultipartUpload") return { UploadId: "u" };
      if (cmd === "UploadPartCopy") throw sdkError("AccessDenied", 403, "AccessDenied");
      if (cmd === "GetObjectAcl") return { Owner: { ID: "STS" } };
      return {};
    });
    const err = await imsErrorOf(() => copy(context(ims.client, undefined, { copyConcurrency: 1, partSizeBytes: 512 * MiB }), from, to));
    expect(err.kind).toBe("unavailable");
    expect(err.detail).toBe(
      `S3 at http://s3.test denied the IMS credentials UploadPartCopy of "s3://boot-images/img/rootfs" (AccessDenied): it is owned by "STS", ` +
        `only its owner or a user its ACL grants read may copy it part by part, and at ${size} bytes it is too large for one CopyObject (5 GiB). ` +
        "To move it, configure the STS credentials (S3_STS_ACCESS_KEY, S3_STS_SECRET_KEY) to copy it as its owner, or grant IMS read in its ACL.",
    );
    expect(ims.names()).not.toContain("CopyObject");
  });

  test("inclusive byte ranges; parts grow past partSizeBytes rather than exceed 10,000", () => {
    expect(partRanges(12, 5)).toEqual([{ first: 0, last: 4 }, { first: 5, last: 9 }, { first: 10, last: 11 }]);
    expect(partRanges(10, 5).length).toBe(2);
    expect(partSizeFor(100 * MiB, 5 * MiB)).toBe(5 * MiB);
    const huge = 10_000 * 5 * MiB + 1;
    expect(partRanges(huge, partSizeFor(huge, 5 * MiB)).length).toBe(10_000);
  });
});

describe("ownership", () => {
  const simple = (owner: string | Error) => {
    const ims = fake((cmd) => {
      if (cmd === "GetObjectAcl") {
        if (owner instanceof Error) throw owner;
        return { Owner: { ID: owner } };
      }
      return cmd === "HeadObject" ? bigHead(10) : { CopyObjectResult: { ETag: '"e"' } };
    });
    const sts = fake((cmd) => (cmd === "HeadObject" ? bigHead(10) : { CopyObjectResult: { ETag: '"e"' } }));
    return { ims, sts };
  };

  test('owner "STS" copies with STS; any other owner with IMS', async () => {
    for (const [owner, expected] of [["STS", "sts"], ["sts", "ims"], ["STS-user", "ims"], ["", "ims"]] as const) {
      const { ims, sts } = simple(owner);
      await copy(context(ims.client, sts.client), from, to);
      const copier = expected === "sts" ? sts : ims;
      expect({ owner, calls: copier.names().filter((n) => n !== "GetObjectAcl") }).toEqual({ owner, calls: ["HeadObject", "CopyObject"] });
    }
  });

  test("an ACL that cannot be read falls back to the IMS credentials", async () => {
    const { ims, sts } = simple(sdkError("AccessDenied", 403));
    await copy(context(ims.client, sts.client), from, to);
    expect(ims.names()).toEqual(["GetObjectAcl", "HeadObject", "CopyObject"]);
    expect(sts.names()).toEqual([]);
  });
});

describe("abortUploads", () => {
  test("pages through uploads and aborts only those for exactly this key", async () => {
    const s3 = fake((cmd, input) => {
      if (cmd === "ListMultipartUploads" && !input.KeyMarker) {
        return { IsTruncated: true, NextKeyMarker: "img/rootfs", NextUploadIdMarker: "a", Uploads: [{ Key: "img/rootfs", UploadId: "a" }, { Key: "img/rootfs.bak", UploadId: "b" }] };
      }
      if (cmd === "ListMultipartUploads") return { IsTruncated: false, Uploads: [{ Key: "img/rootfs", UploadId: "c" }] };
      if (cmd === "AbortMultipartUpload" && input.UploadId === "c") throw sdkError("NoSuchUpload", 404); // gone meanwhile
      return {};
    });
    await abortUploads(context(s3.client), from);
    expect(s3.calls.filter(([n]) => n === "AbortMultipartUpload").map(([, i]) => i.UploadId)).toEqual(["a", "c"]);
    expect(s3.calls[2]![1]).toMatchObject({ Prefix: "img/rootfs", KeyMarker: "img/rootfs", UploadIdMarker: "a" });
  });

  test("an upload the IMS credentials may not abort is aborted with the STS ones", async () => {
    const ims = fake((cmd) => {
      if (cmd === "ListMultipartUploads") return { Uploads: [{ Key: from.key, UploadId: "s" }] };
      throw sdkError("AccessDenied", 403);
    });
    const sts = fake(() => ({}));
    await abortUploads(context(ims.client, sts.client), from);
    expect(sts.names()).toEqual(["AbortMultipartUpload"]);
  });

  test("a server that cannot list uploads (501) has nothing to abort", async () => {
    const s3 = fake(() => {
      throw sdkError("NotImplemented", 501);
    });
    await abortUploads(context(s3.client), from);
    expect(s3.names()).toEqual(["ListMultipartUploads"]);
  });
});

describe("errors and references", () => {
  test("SDK failures map to kinds", () => {
    const kind = (e: unknown) => toImsError(e, "http://s3.test", '"s3://b/k"').kind;
    expect(kind(sdkError("NotFound", 404))).toBe("not_found");
    expect(kind(sdkError("NoSuchBucket", 404))).toBe("not_found");
    expect(kind(sdkError("SlowDown", 503))).toBe("unavailable");
    expect(kind(sdkError("InternalError", 500))).toBe("unavailable");
    expect(kind(sdkError("AccessDenied", 403))).toBe("unavailable");
    expect(kind(sdkError("AccessDenied", 403, "AccessDenied"))).toBe("unavailable"); // a delete must not skip it
    expect(kind(sdkError("InvalidRange", 416))).toBe("bad_request");
    expect(kind(sdkError("Error", undefined, "ECONNRESET"))).toBe("unavailable");
    expect(kind(sdkError("TimeoutError"))).toBe("unavailable");
    expect(kind(new TypeError("x is not a function"))).toBe("internal");
    expect(toImsError(sdkError("Error", undefined, "ECONNREFUSED"), "http://s3.test", "k").detail).toBe(
      "S3 at http://s3.test is unavailable: ECONNREFUSED: Error happened",
    );
  });

  test("Ceph RGW's empty error messages (the SDK says UnknownError) are explained", () => {
    const detail = (name: string, code?: string, as?: "STS") =>
      toImsError(Object.assign(sdkError(name, 403, code), { message: "UnknownError" }), "http://s3.test", '"s3://b/k"', as).detail;
    expect(detail("AccessDenied", "AccessDenied")).toBe(
      'S3 at http://s3.test denied the IMS credentials access to "s3://b/k": AccessDenied, HTTP 403: ' +
        "the credentials are valid, but the object's ACL and the bucket policy do not allow this call",
    );
    expect(detail("SignatureDoesNotMatch", "SignatureDoesNotMatch", "STS")).toBe(
      'S3 at http://s3.test refused the STS credentials for "s3://b/k": SignatureDoesNotMatch, HTTP 403: the secret key does not belong to the access key',
    );
    expect(detail("InvalidAccessKeyId", "InvalidAccessKeyId")).toContain("InvalidAccessKeyId, HTTP 403: S3 has no such access key");
    expect(detail("Unknown")).toBe('S3 at http://s3.test refused the IMS credentials for "s3://b/k": HTTP 403: no message'); // a HEAD: no body
  });

  test("copy sources are percent-encoded as botocore does (all but unreserved and '/')", () => {
    expect(copySource({ bucket: "ims", key: "a b/ü+(1)&~x.txt" })).toBe("ims/a%20b/%C3%BC%2B%281%29%26~x.txt");
  });

  test("keys longer than S3's 1024 bytes are refused", () => {
    expect(() => checkRef({ bucket: "ims", key: "é".repeat(513) })).toThrow(/longer than 1024 bytes/);
    expect(() => checkRef({ bucket: "ims", key: "é".repeat(512) })).not.toThrow();
  });
});
