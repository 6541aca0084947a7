/**
 * The object-reference rules every ArtifactStore enforces before touching storage: a hostile
 * key (".." segments, NUL, control characters) could otherwise name another object than the
 * caller meant, after an HTTP layer or a file system normalises it. Adapters add their own limits.
 */
import { ImsError } from "../src/errors.ts";
import type { ObjectRef } from "../src/ports.ts";

const CONTROL = /[\u0000-\u001f\u007f]/;

/** `s3://bucket/key` as JSON, so NULs and newlines show in messages. */
export const show = (ref: ObjectRef) => JSON.stringify(`s3://${ref.bucket}/${ref.key}`);

export const invalidRef = (ref: ObjectRef, why: string) =>
  new ImsError("validation", `Invalid artifact reference ${show(ref)}: ${why}.`);

export function checkBucket(bucket: string): void {
  const ref = { bucket, key: "" };
  if (typeof bucket !== "string" || bucket === "") throw invalidRef(ref, "the bucket is empty");
  if (bucket.includes("\0")) throw invalidRef(ref, "the bucket contains a NUL character");
  if (CONTROL.test(bucket)) throw invalidRef(ref, "the bucket contains a control character");
  if (bucket.includes("/")) throw invalidRef(ref, "the bucket contains '/'");
  if (bucket.startsWith(".")) throw invalidRef(ref, "the bucket starts with '.'");
}

export function checkRef(ref: ObjectRef): ObjectRef {
  checkBucket(ref.bucket);
  const { key } = ref;
  if (typeof key !== "string" || key === "") throw invalidRef(ref, "the key is empty");
  if (key.includes("\0")) throw invalidRef(ref, "the key contains a NUL character");
  if (CONTROL.test(key)) throw invalidRef(ref, "the key contains a control character");
  if (key.startsWith("/")) throw invalidRef(ref, "the key starts with '/' (an absolute path)");
  if (key.split("/").some((s) => s === "." || s === "..")) throw invalidRef(ref, "the key contains a '.' or '..' segment");
  return ref;
}

/** A list prefix may be empty or partial, but carries no NUL or control characters. */
export function checkPrefix(bucket: string, prefix: string): void {
  checkBucket(bucket);
  if (typeof prefix !== "string" || CONTROL.test(prefix)) {
    throw invalidRef({ bucket, key: String(prefix) }, "the prefix contains a NUL or control character");
  }
}
