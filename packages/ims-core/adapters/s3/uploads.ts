/** Crash recovery: drop unfinished multipart uploads to one key (they hold storage until then). */
import { AbortMultipartUploadCommand, ListMultipartUploadsCommand, ListPartsCommand, type S3Client } from "@aws-sdk/client-s3";
import type { ObjectRef } from "../../src/ports.ts";
import type { S3Context } from "./client.ts";
import { isNotFound, statusOf, toImsError } from "./errors.ts";
import { checkRef, show } from "./ref.ts";

export async function abortUploads(ctx: S3Context, ref: ObjectRef): Promise<void> {
  checkRef(ref);
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  do {
    let page;
    try {
      page = await ctx.ims.send(
        new ListMultipartUploadsCommand({ Bucket: ref.bucket, Prefix: ref.key, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
      );
    } catch (e) {
      // 501: the server cannot list uploads (s3rver), so there is nothing we could abort.
      if (statusOf(e) === 501 || isNotFound(e)) return;
      throw toImsError(e, ctx.endpoint, show(ref));
    }
    // The prefix also matches longer keys ("a/rootfs" matches "a/rootfs.bak"): exact key only.
    for (const u of page.Uploads ?? []) {
      if (u.Key === ref.key && u.UploadId) await abortAsOwner(ctx, ref, u.UploadId);
    }
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
  } while (keyMarker);
}

/** The upload may have been started with the STS credentials (copy of an STS-owned object). */
async function abortAsOwner(ctx: S3Context, ref: ObjectRef, uploadId: string): Promise<void> {
  try {
    await abortOne(ctx.ims, ref, uploadId);
  } catch (e) {
    const denied = statusOf(e) === 401 || statusOf(e) === 403;
    if (!(denied && ctx.sts)) throw toImsError(e, ctx.endpoint, show(ref));
    try {
      await abortOne(ctx.sts, ref, uploadId);
    } catch (e2) {
      throw toImsError(e2, ctx.endpoint, show(ref), "STS");
    }
  }
}

/** Aborts one upload; an upload that is already gone (NoSuchUpload) is fine. */
export async function abortOne(client: S3Client, ref: ObjectRef, uploadId: string): Promise<void> {
  try {
    await client.send(new AbortMultipartUploadCommand({ Bucket: ref.bucket, Key: ref.key, UploadId: uploadId }));
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/**
 * Whether our upload was aborted meanwhile (by another worker's abortUploads after our lease
 * ran out). Its parts then fail NoSuchUpload, and Ceph RGW answers its completion with a 500
 * ("This multipart completion is already in progress") and ListParts with NoSuchKey.
 */
export async function uploadGone(client: S3Client, to: ObjectRef, uploadId: string): Promise<boolean> {
  try {
    await client.send(new ListPartsCommand({ Bucket: to.bucket, Key: to.key, UploadId: uploadId, MaxParts: 1 }));
    return false;
  } catch (e) {
    return isNotFound(e);
  }
}
