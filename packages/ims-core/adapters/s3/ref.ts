/**
 * Object references are checked before any request: a hostile key (".." segments, NUL) could
 * be normalised by an HTTP layer into another object than the one the caller named.
 */
import { ImsError } from "../../src/errors.ts";
import type { ObjectRef } from "../../src/ports.ts";

const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_KEY_BYTES = 1024; // S3's limit

/** `s3://bucket/key` as JSON, so NULs and newlines show in messages. */
export const show = (ref: ObjectRef) => JSON.stringify(`s3://${ref.bucket}/${ref.key}`);

const invalid = (ref: ObjectRef, why: string) =>
  new ImsError("validation", `Invalid artifact reference ${show(ref)}: ${why}.`);

export function checkBucket(bucket: string): void {
  const ref = { bucket, key: "" };
  if (typeof bucket !== "string" || bucket === "") throw invalid(ref, "the bucket is empty");
  if (bucket.includes("\0")) throw invalid(ref, "the bucket contains a NUL character");
  if (CONTROL.test(bucket)) throw invalid(ref, "the bucket contains a control character");
  if (bucket.includes("/")) throw invalid(ref, "the bucket contains '/'");
  if (bucket.startsWith(".")) throw invalid(ref, "the bucket starts with '.'");
}

export function checkRef(ref: ObjectRef): ObjectRef {
  checkBucket(ref.bucket);
  const { key } = ref;
  if (typeof key !== "string" || key === "") throw invalid(ref, "the key is empty");
  if (key.includes("\0")) throw invalid(ref, "the key contains a NUL character");
  if (CONTROL.test(key)) throw invalid(ref, "the key contains a control character");
  if (key.startsWith("/")) throw invalid(ref, "the key starts with '/'");
  if (key.split("/").some((s) => s === "." || s === "..")) {
    throw invalid(ref, "the key contains a '.' or '..' segment");
  }
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw invalid(ref, `the key is longer than ${MAX_KEY_BYTES} bytes`);
  return ref;
}

/** A list prefix may be empty or partial, but carries no NUL or control characters. */
export function checkPrefix(bucket: string, prefix: string): void {
  checkBucket(bucket);
  if (typeof prefix !== "string" || CONTROL.test(prefix)) {
    throw invalid({ bucket, key: String(prefix) }, "the prefix contains a NUL or control character");
  }
}

/**
 * The x-amz-copy-source header is "bucket/key", URL-encoded like botocore does it (all but
 * unreserved characters and "/"). Note: s3rver decodes it with decodeURI, so keys with
 * + & = , ; : @ $ # ? cannot be copied there; real S3 and Ceph RGW decode them.
 */
export function copySource(ref: ObjectRef): string {
  const encode = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${encode(ref.bucket)}/${ref.key.split("/").map(encode).join("/")}`;
}
