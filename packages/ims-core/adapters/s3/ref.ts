/**
 * Object references are checked before any request: a hostile key (".." segments, NUL) could
 * be normalised by an HTTP layer into another object than the one the caller named.
 */
import type { ObjectRef } from "../../src/ports.ts";
import * as base from "../artifact-ref.ts";
import { invalidRef } from "../artifact-ref.ts";

const MAX_KEY_BYTES = 1024; // S3's limit

export { checkBucket, checkPrefix, show } from "../artifact-ref.ts";

/** The shared rules plus S3's key length limit. */
export function checkRef(ref: ObjectRef): ObjectRef {
  base.checkRef(ref);
  if (Buffer.byteLength(ref.key) > MAX_KEY_BYTES) throw invalidRef(ref, `the key is longer than ${MAX_KEY_BYTES} bytes`);
  return ref;
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
