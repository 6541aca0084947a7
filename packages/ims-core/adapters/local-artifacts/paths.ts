/**
 * s3://BUCKET/KEY lives at DIR/BUCKET/KEY. Refs are checked lexically so that none can name a
 * file outside DIR, nor one of the store's own files (.meta/, .tmp/: buckets never start with ".").
 */
import { randomUUID } from "node:crypto";
import { join, resolve, sep } from "node:path";
import { ImsError } from "../../src/errors.ts";
import type { ObjectRef } from "../../src/ports.ts";

const CONTROL = /[\u0000-\u001f\u007f]/;
const NAME_MAX = 255; // bytes per path segment on Linux file systems

export const show = (ref: ObjectRef) => JSON.stringify(`s3://${ref.bucket}/${ref.key}`);

const invalid = (ref: ObjectRef, why: string) =>
  new ImsError("validation", `Invalid artifact reference ${show(ref)}: ${why}.`);

export function checkBucket(bucket: string): void {
  const ref = { bucket, key: "" };
  if (typeof bucket !== "string" || bucket === "") throw invalid(ref, "the bucket is empty");
  if (bucket.includes("\0")) throw invalid(ref, "the bucket contains a NUL character");
  if (CONTROL.test(bucket)) throw invalid(ref, "the bucket contains a control character");
  if (bucket.includes("/") || bucket.includes("\\")) throw invalid(ref, "the bucket contains a path separator");
  if (bucket.startsWith(".")) throw invalid(ref, "the bucket starts with '.'");
  if (Buffer.byteLength(bucket) > NAME_MAX) throw invalid(ref, `the bucket is longer than ${NAME_MAX} bytes`);
}

export function checkRef(ref: ObjectRef): void {
  checkBucket(ref.bucket);
  const { key } = ref;
  if (typeof key !== "string" || key === "") throw invalid(ref, "the key is empty");
  if (key.includes("\0")) throw invalid(ref, "the key contains a NUL character");
  if (CONTROL.test(key)) throw invalid(ref, "the key contains a control character");
  if (key.startsWith("/")) throw invalid(ref, "the key starts with '/' (an absolute path)");
  const segments = key.split("/");
  if (segments.some((s) => s === "." || s === "..")) throw invalid(ref, "the key contains a '.' or '..' segment");
  // "a//b" and "a/" have no distinct file: refuse rather than alias another key.
  if (segments.some((s) => s === "")) throw invalid(ref, "the key has an empty path segment");
  if (segments.some((s) => Buffer.byteLength(s) > NAME_MAX)) {
    throw invalid(ref, `a key segment is longer than ${NAME_MAX} bytes`);
  }
}

export function checkPrefix(bucket: string, prefix: string): void {
  checkBucket(bucket);
  if (typeof prefix !== "string" || CONTROL.test(prefix)) {
    throw invalid({ bucket, key: String(prefix) }, "the prefix contains a NUL or control character");
  }
}

/** Where a store's files live; `dir` is absolute. */
export class Layout {
  constructor(readonly dir: string) {}

  bucketDir(bucket: string): string {
    checkBucket(bucket);
    return this.inside(join(this.dir, bucket));
  }

  data(ref: ObjectRef): string {
    checkRef(ref);
    return this.inside(join(this.dir, ref.bucket, ...ref.key.split("/")));
  }

  /** Sidecar with the cached ETag; a tree of its own so it never shows in listings. */
  meta(ref: ObjectRef): string {
    checkRef(ref);
    return this.inside(join(this.dir, ".meta", ref.bucket, ...ref.key.split("/")));
  }

  metaBucketDir(bucket: string): string {
    checkBucket(bucket);
    return this.inside(join(this.dir, ".meta", bucket));
  }

  /** Temp files share DIR's file system, so the final rename is atomic. */
  get tempDir(): string {
    return join(this.dir, ".tmp");
  }

  temp(): string {
    return join(this.tempDir, randomUUID());
  }

  /** Belt and braces after the lexical checks. */
  private inside(path: string): string {
    if (!resolve(path).startsWith(this.dir + sep)) throw new ImsError("validation", `Path ${JSON.stringify(path)} is outside the artifact store.`);
    return path;
  }
}
