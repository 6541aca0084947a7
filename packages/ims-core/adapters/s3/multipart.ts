/**
 * Multipart copy for objects above the CopyObject threshold: UploadPartCopy over byte ranges,
 * a bounded number in flight, then CompleteMultipartUpload. Any failure aborts the upload
 * (best effort: abortUploads() catches what a crash leaves behind) and rethrows.
 */
import {
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { ImsError } from "../../src/errors.ts";
import type { ObjectRef } from "../../src/ports.ts";
import type { S3Context } from "./client.ts";
import { MAX_PARTS } from "./config.ts";
import { isAccessDenied, toImsError } from "./errors.ts";
import { bareEtag, headWith } from "./objects.ts";
import type { Copier } from "./ownership.ts";
import { copySource, show } from "./ref.ts";
import { abortOne, uploadGone } from "./uploads.ts";

export interface CopySourceInfo {
  size: number;
  contentType?: string;
  metadata?: Record<string, string>;
}

/**
 * S3 refused UploadPartCopy itself (AccessDenied) though the source could be read: Ceph RGW
 * lets only the owner, or a user the object's ACL grants read, copy part by part (a bucket
 * policy is not enough). The caller may still copy it in one CopyObject.
 */
export class PartCopyDenied extends ImsError {}

/** Inclusive byte ranges of `partSize` (the last one shorter), as S3's Range syntax wants. */
export function partRanges(size: number, partSize: number): { first: number; last: number }[] {
  const ranges = [];
  for (let first = 0; first < size; first += partSize) ranges.push({ first, last: Math.min(first + partSize, size) - 1 });
  return ranges;
}

/** The configured part size, grown if needed: past 10,000 parts S3 refuses the upload. */
export const partSizeFor = (size: number, partSizeBytes: number) => Math.max(partSizeBytes, Math.ceil(size / MAX_PARTS));

export async function multipartCopy(
  { client, as }: Copier,
  ctx: S3Context,
  from: ObjectRef,
  to: ObjectRef,
  source: CopySourceInfo,
): Promise<{ etag: string }> {
  const what = `multipart copy of ${show(from)} to ${show(to)}`;
  const partSize = partSizeFor(source.size, ctx.limits.partSizeBytes);
  let uploadId: string | undefined;
  try {
    // Unlike CopyObject, a new upload does not inherit metadata: carry it (md5sum) over.
    const created = await client.send(
      new CreateMultipartUploadCommand({ Bucket: to.bucket, Key: to.key, ContentType: source.contentType, Metadata: source.metadata }),
    );
    uploadId = created.UploadId;
    if (!uploadId) throw new Error("CreateMultipartUpload returned no UploadId");
    const parts = await copyParts(client, from, to, uploadId, partRanges(source.size, partSize), ctx.limits.copyConcurrency);
    const done = await client.send(
      new CompleteMultipartUploadCommand({ Bucket: to.bucket, Key: to.key, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
    );
    const etag = bareEtag(done.ETag);
    if (etag) return { etag };
  } catch (e) {
    if (uploadId && (await uploadGone(client, to, uploadId))) {
      throw new ImsError("conflict", `The ${what} was interrupted: another process aborted its upload (crash recovery); it will be retried.`);
    }
    if (uploadId) await abortOne(client, to, uploadId).catch(() => {});
    if (e instanceof PartDenied) {
      throw new PartCopyDenied("unavailable", toImsError(e.cause, ctx.endpoint, what, as).detail);
    }
    throw toImsError(e, ctx.endpoint, what, as);
  }
  // Ceph RGW answers the completion with an empty ETag; the object's HEAD has the real one ("<md5>-<parts>").
  const head = await headWith(client, ctx, to, as);
  if (!head) throw new ImsError("unavailable", `S3 at ${ctx.endpoint} completed the ${what}, but the object is not there.`);
  return { etag: head.etag };
}

class PartDenied extends Error {}

/** At most `concurrency` parts in flight; after the first failure no new part starts. */
async function copyParts(
  client: S3Client,
  from: ObjectRef,
  to: ObjectRef,
  uploadId: string,
  ranges: { first: number; last: number }[],
  concurrency: number,
): Promise<CompletedPart[]> {
  const parts: CompletedPart[] = [];
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < ranges.length) {
      const index = next++;
      const { first, last } = ranges[index];
      try {
        const out = await client.send(
          new UploadPartCopyCommand({
            Bucket: to.bucket,
            Key: to.key,
            UploadId: uploadId,
            PartNumber: index + 1,
            CopySource: copySource(from),
            CopySourceRange: `bytes=${first}-${last}`,
          }),
        );
        // Ceph RGW leaves the quotes off a copied part's ETag; the completion wants them.
        parts[index] = { PartNumber: index + 1, ETag: `"${bareEtag(out.CopyPartResult?.ETag)}"` };
      } catch (error) {
        failure ??= { error: isAccessDenied(error) ? new PartDenied("UploadPartCopy denied", { cause: error }) : error };
      }
    }
  };
  // Waiting for every worker means no part lands after the abort that follows a failure.
  await Promise.all(Array.from({ length: Math.min(concurrency, ranges.length) }, worker));
  if (failure) throw failure.error;
  return parts;
}
