/** Single-object calls: head, write, remove, presign. All use the IMS credentials. */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { ImsError } from "../../src/errors.ts";
import type { ObjectHead, ObjectRef } from "../../src/ports.ts";
import type { S3Context } from "./client.ts";
import { codeOf, type Credentials, isNotFound, statusOf, toImsError } from "./errors.ts";
import { checkRef, show } from "./ref.ts";

/** S3 wraps ETags in quotes; the port (and IMS links) carry them bare. */
export const bareEtag = (etag: string | undefined) => (etag ?? "").replace(/"/g, "");

/** HEAD with a given client (copy heads with the STS one); missing objects are undefined. */
export async function headWith(client: S3Client, ctx: S3Context, ref: ObjectRef, as: Credentials = "IMS"): Promise<ObjectHead | undefined> {
  checkRef(ref);
  try {
    const out = await client.send(new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
    return { etag: bareEtag(out.ETag), size: out.ContentLength ?? 0, metadata: lowerKeys(out.Metadata) };
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw toImsError(await whyForbidden(client, ref, e), ctx.endpoint, show(ref), as);
  }
}

/** Head plus what a copy must carry over to a multipart target. */
export async function headForCopy(client: S3Client, ctx: S3Context, ref: ObjectRef, as: Credentials) {
  try {
    const out = await client.send(new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
    return { size: out.ContentLength ?? 0, etag: bareEtag(out.ETag), contentType: out.ContentType, metadata: out.Metadata };
  } catch (e) {
    throw toImsError(await whyForbidden(client, ref, e), ctx.endpoint, show(ref), as);
  }
}

/**
 * A 403 to a HEAD has no body, so no error code: refused credentials and a denied object look
 * alike. A one-byte GET of the same object answers the code (AccessDenied, SignatureDoesNotMatch...).
 */
async function whyForbidden(client: S3Client, ref: ObjectRef, e: unknown): Promise<unknown> {
  if (statusOf(e) !== 403 || codeOf(e)) return e;
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, Range: "bytes=0-0" }));
    (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
    return e; // allowed now: keep the HEAD's answer
  } catch (probe) {
    return statusOf(probe) === 403 && codeOf(probe) ? probe : e;
  }
}

export async function write(ctx: S3Context, ref: ObjectRef, body: Uint8Array | string, contentType: string) {
  checkRef(ref);
  // Bytes with a length: a stream without ContentLength gets chunk-encoded by the SDK.
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  try {
    const out = await ctx.ims.send(
      new PutObjectCommand({ Bucket: ref.bucket, Key: ref.key, Body: bytes, ContentLength: bytes.byteLength, ContentType: contentType }),
    );
    return { etag: bareEtag(out.ETag) };
  } catch (e) {
    throw toImsError(e, ctx.endpoint, show(ref));
  }
}

export async function remove(ctx: S3Context, ref: ObjectRef): Promise<void> {
  checkRef(ref);
  try {
    await ctx.ims.send(new DeleteObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
  } catch (e) {
    if (!isNotFound(e)) throw toImsError(e, ctx.endpoint, show(ref));
  }
}

/** Signing is local (no request), so this works even when S3 is down. */
export async function presign(ctx: S3Context, ref: ObjectRef, expiresSeconds: number): Promise<string> {
  checkRef(ref);
  try {
    return await getSignedUrl(ctx.ims, new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }), { expiresIn: expiresSeconds });
  } catch (e) {
    throw new ImsError("bad_request", `Cannot presign ${show(ref)}: ${(e as Error).message}`);
  }
}

const lowerKeys = (m: Record<string, string> | undefined) =>
  Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
