/**
 * The S3 ArtifactStore (Ceph RGW in production) on @aws-sdk/client-s3. Nothing is contacted
 * at open: the service starts while S3 is down and reports "unavailable" per call.
 */
import type { ArtifactStore } from "../../src/ports.ts";
import { makeContext } from "./client.ts";
import type { S3ArtifactsConfig } from "./config.ts";
import { copy } from "./copy.ts";
import { list } from "./list.ts";
import { headWith, presign, remove, write } from "./objects.ts";
import { read } from "./read.ts";
import { abortUploads } from "./uploads.ts";

export type { S3ArtifactsConfig } from "./config.ts";
export { parseSslValidate } from "./config.ts";

export interface S3ArtifactStore extends ArtifactStore {
  /** Closes pooled connections. */
  close(): void;
}

export async function openS3Artifacts(config: S3ArtifactsConfig): Promise<S3ArtifactStore> {
  const ctx = makeContext(config);
  return {
    head: (ref) => headWith(ctx.ims, ctx, ref),
    read: (ref, maxBytes) => read(ctx, ref, maxBytes),
    write: (ref, body, contentType) => write(ctx, ref, body, contentType),
    copy: (from, to) => copy(ctx, from, to),
    remove: (ref) => remove(ctx, ref),
    presign: (ref, expiresSeconds) => presign(ctx, ref, expiresSeconds),
    list: (bucket, prefix) => list(ctx, bucket, prefix),
    abortUploads: (ref) => abortUploads(ctx, ref),
    close() {
      ctx.ims.destroy();
      ctx.sts?.destroy();
    },
  };
}
