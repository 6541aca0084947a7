/**
 * With tracing, a span per artifact store call (S3 or the local directory), named by call and
 * carrying the bucket and key. Without tracing the store is used as it is (steps are measured
 * by the worker's onStep, not here).
 */
import type { ArtifactStore, ObjectRef } from "@ims/core";
import type { Tracing } from "./tracing.ts";

export function instrumentArtifacts(artifacts: ArtifactStore, kind: string, tracing?: Tracing): ArtifactStore {
  if (!tracing) return artifacts;
  const at = (ref: ObjectRef) => ({ "ims.artifact_store": kind, "aws.s3.bucket": ref.bucket, "aws.s3.key": ref.key });
  const call = <T>(name: string, attributes: Record<string, string>, fn: () => Promise<T>) => tracing.span(`${kind} ${name}`, attributes, fn);
  return {
    ...artifacts,
    head: (ref) => call("head", at(ref), () => artifacts.head(ref)),
    read: (ref, maxBytes) => call("read", at(ref), () => artifacts.read(ref, maxBytes)),
    write: (ref, body, contentType) => call("write", at(ref), () => artifacts.write(ref, body, contentType)),
    copy: (from, to) =>
      call("copy", { ...at(from), "ims.copy_to.bucket": to.bucket, "ims.copy_to.key": to.key }, () => artifacts.copy(from, to)),
    remove: (ref) => call("remove", at(ref), () => artifacts.remove(ref)),
    presign: (ref, expires) => call("presign", at(ref), () => artifacts.presign(ref, expires)),
    abortUploads: (ref) => call("abort uploads", at(ref), () => artifacts.abortUploads(ref)),
  };
}
