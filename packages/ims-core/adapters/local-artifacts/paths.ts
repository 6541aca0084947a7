/**
 * s3://BUCKET/KEY lives at DIR/BUCKET/KEY. Refs are checked lexically so that none can name a
 * file outside DIR, nor one of the store's own files (.meta/, .tmp/: buckets never start with ".").
 */
import { randomUUID } from "node:crypto";
import { join, resolve, sep } from "node:path";
import { ImsError } from "../../src/errors.ts";
import type { ObjectRef } from "../../src/ports.ts";
import * as base from "../artifact-ref.ts";
import { invalidRef } from "../artifact-ref.ts";

const NAME_MAX = 255; // bytes per path segment on Linux file systems

export { checkPrefix, show } from "../artifact-ref.ts";

/** The shared rules, plus what a file system needs: no "\\", no empty or over-long segments. */
export function checkBucket(bucket: string): void {
  base.checkBucket(bucket);
  const ref = { bucket, key: "" };
  if (bucket.includes("\\")) throw invalidRef(ref, "the bucket contains a path separator");
  if (Buffer.byteLength(bucket) > NAME_MAX) throw invalidRef(ref, `the bucket is longer than ${NAME_MAX} bytes`);
}

export function checkRef(ref: ObjectRef): void {
  checkBucket(ref.bucket);
  base.checkRef(ref);
  const segments = ref.key.split("/");
  // "a//b" and "a/" have no distinct file: refuse rather than alias another key.
  if (segments.some((s) => s === "")) throw invalidRef(ref, "the key has an empty path segment");
  if (segments.some((s) => Buffer.byteLength(s) > NAME_MAX)) {
    throw invalidRef(ref, `a key segment is longer than ${NAME_MAX} bytes`);
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
