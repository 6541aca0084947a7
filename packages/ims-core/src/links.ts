/** ArtifactLink <-> object reference, with the path checks upstream never made. */
import { ImsError } from "./errors.ts";
import type { ArtifactLink } from "./records.ts";
import type { ObjectRef } from "./ports.ts";

/** Parses "s3://bucket/key" as upstream does (key = path without its leading "/", plus ?query). */
export function refOf(link: Pick<ArtifactLink, "path" | "type">): ObjectRef {
  if (String(link.type).toLowerCase() !== "s3") {
    throw new ImsError("validation", `Artifact link type '${link.type}' is not supported; only 's3' is.`);
  }
  const m = /^s3:\/\/([^/?#]*)(\/[^?#]*)?(\?[^#]*)?$/i.exec(link.path);
  const bucket = m?.[1] ?? "";
  const key = ((m?.[2] ?? "").replace(/^\//, "") + (m?.[3] ?? "")).trim();
  const why = !m
    ? "is not an s3://<bucket>/<key> URL"
    : !bucket
      ? "has no bucket"
      : !key
        ? "has no object key"
        : key.split("/").some((s) => s === ".." || s === ".")
          ? "contains '.' or '..' path segments"
          : key.includes("\0") || bucket.includes("\0")
            ? "contains a NUL character"
            : undefined;
  if (why) throw new ImsError("validation", `Artifact link path '${printable(link.path)}' ${why}.`);
  return { bucket, key };
}

export const pathOf = (ref: ObjectRef) => `s3://${ref.bucket}/${ref.key}`;

export const linkOf = (ref: ObjectRef, etag: string, type = "s3"): ArtifactLink => ({ etag, path: pathOf(ref), type });

/** Keeps problem details readable when a path holds control characters or is huge. */
export const printable = (s: string) => JSON.stringify(s.length > 200 ? `${s.slice(0, 200)}…` : s).slice(1, -1);
