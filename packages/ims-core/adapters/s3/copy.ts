/**
 * Server-side copy of any size. At or under the threshold one CopyObject (S3 allows up to
 * 5 GiB); above it a multipart copy (multipart.ts). The ACL owner picks the credentials.
 */
import { CopyObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { ImsError } from "../../src/errors.ts";
import type { ObjectRef } from "../../src/ports.ts";
import type { S3Context } from "./client.ts";
import { toImsError } from "./errors.ts";
import { multipartCopy } from "./multipart.ts";
import { bareEtag, headForCopy, headWith } from "./objects.ts";
import { copyClientFor } from "./ownership.ts";
import { checkRef, copySource, show } from "./ref.ts";

export async function copy(ctx: S3Context, from: ObjectRef, to: ObjectRef): Promise<{ etag: string }> {
  checkRef(from);
  checkRef(to);
  if (from.bucket === to.bucket && from.key === to.key) {
    // S3 refuses a plain copy onto itself; the result we want is already there.
    const head = await headWith(ctx.ims, ctx, from);
    if (!head) throw new ImsError("not_found", `${show(from)} was not found.`);
    return { etag: head.etag };
  }
  const client = await copyClientFor(ctx, from);
  const source = await headForCopy(client, ctx, from);
  if (source.size === 0 || source.size <= ctx.limits.multipartThresholdBytes) {
    return simpleCopy(client, ctx, from, to);
  }
  return multipartCopy(client, ctx, from, to, source);
}

async function simpleCopy(client: S3Client, ctx: S3Context, from: ObjectRef, to: ObjectRef) {
  try {
    // The default metadata directive (COPY) keeps content type and user metadata (md5sum).
    const out = await client.send(new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: copySource(from) }));
    return { etag: bareEtag(out.CopyObjectResult?.ETag) };
  } catch (e) {
    throw toImsError(e, ctx.endpoint, `copy of ${show(from)} to ${show(to)}`);
  }
}
