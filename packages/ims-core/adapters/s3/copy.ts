/**
 * Server-side copy of any size. At or under the threshold one CopyObject (S3 allows up to
 * 5 GiB); above it a multipart copy (multipart.ts). The ACL owner picks the credentials.
 */
import { CopyObjectCommand } from "@aws-sdk/client-s3";
import { ImsError } from "../../src/errors.ts";
import type { ObjectRef } from "../../src/ports.ts";
import type { S3Context } from "./client.ts";
import { MAX_PART_BYTES } from "./config.ts";
import { toImsError } from "./errors.ts";
import { multipartCopy, PartCopyDenied } from "./multipart.ts";
import { bareEtag, headForCopy, headWith } from "./objects.ts";
import { type Copier, copierFor, ownerOf } from "./ownership.ts";
import { checkRef, copySource, show } from "./ref.ts";

/** CopyObject's own limit; S3 refuses larger sources. */
const COPY_OBJECT_MAX_BYTES = MAX_PART_BYTES;

export async function copy(ctx: S3Context, from: ObjectRef, to: ObjectRef): Promise<{ etag: string }> {
  checkRef(from);
  checkRef(to);
  if (from.bucket === to.bucket && from.key === to.key) {
    // S3 refuses a plain copy onto itself; the result we want is already there.
    const head = await headWith(ctx.ims, ctx, from);
    if (!head) throw new ImsError("not_found", `${show(from)} was not found.`);
    return { etag: head.etag };
  }
  const copier = await copierFor(ctx, from);
  const source = await headForCopy(copier.client, ctx, from, copier.as);
  if (source.size === 0 || source.size <= ctx.limits.multipartThresholdBytes) {
    return simpleCopy(copier, ctx, from, to);
  }
  try {
    return await multipartCopy(copier, ctx, from, to, source);
  } catch (e) {
    if (!(e instanceof PartCopyDenied)) throw e;
    // Another user's object that we may read but not copy part by part (Ceph RGW wants an
    // object ACL grant for that): one CopyObject does it, up to its 5 GiB limit.
    if (source.size <= COPY_OBJECT_MAX_BYTES) return simpleCopy(copier, ctx, from, to);
    throw new ImsError("unavailable", await tooLargeToCopyAs(ctx, copier, from, source.size));
  }
}

/** Why a copy cannot be done, and what would let it: the owner's credentials or an ACL grant. */
async function tooLargeToCopyAs(ctx: S3Context, copier: Copier, from: ObjectRef, size: number): Promise<string> {
  const owner = await ownerOf(ctx, from);
  const fix =
    owner === "STS" && copier.as === "IMS"
      ? "configure the STS credentials (S3_STS_ACCESS_KEY, S3_STS_SECRET_KEY) to copy it as its owner, or grant IMS read in its ACL"
      : `grant ${copier.as} read in its ACL (e.g. upload it with the bucket-owner-full-control ACL)`;
  return (
    `S3 at ${ctx.endpoint} denied the ${copier.as} credentials UploadPartCopy of ${show(from)} (AccessDenied): it is owned by ` +
    `${owner === undefined ? "another user" : JSON.stringify(owner)}, only its owner or a user its ACL grants read may copy it ` +
    `part by part, and at ${size} bytes it is too large for one CopyObject (5 GiB). To move it, ${fix}.`
  );
}

async function simpleCopy({ client, as }: Copier, ctx: S3Context, from: ObjectRef, to: ObjectRef) {
  try {
    // The default metadata directive (COPY) keeps content type and user metadata (md5sum).
    const out = await client.send(new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: copySource(from) }));
    // Ceph RGW leaves the quotes off; S3 has them.
    return { etag: bareEtag(out.CopyObjectResult?.ETag) };
  } catch (e) {
    throw toImsError(e, ctx.endpoint, `copy of ${show(from)} to ${show(to)}`, as);
  }
}
