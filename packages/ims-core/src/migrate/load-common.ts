/** Loaders shared by several record types: artifact links, string maps, arch. */
import { ARCHES, type Arch, type ArtifactLink } from "../records.ts";
import { setOwn } from "../validate.ts";
import { type Fields, oneOf, show, str } from "./fields.ts";

export const arch = oneOf(ARCHES);

/** Missing or null in old files means x86_64 (the only architecture before v2.1). */
export const archOf = (f: Fields): Arch => f.get("arch", arch, { value: "x86_64" as const });

/**
 * A link kept as stored, etag included; an absent etag is emitted as "" like upstream's dump.
 * The type is not checked against "s3": the stored value is what the API would emit.
 */
export function linkOf(f: Fields, name = "link"): ArtifactLink | null {
  const l = f.nested(name);
  if (!l) return null;
  return { etag: l.get("etag", str, { value: "" }), path: l.need("path", str), type: l.need("type", str) };
}

/** An object of string values (image metadata); "__proto__" stays a plain key. */
export function stringMap(f: Fields, name: string): Record<string, string> {
  const v = f.value(name);
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) f.fail(name, `must be an object, got ${show(v)}`);
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v as Record<string, unknown>)) {
    if (typeof value !== "string") f.fail(`${name}.${k}`, `must be a string, got ${show(value)}`);
    setOwn(out, k, value);
  }
  return out;
}
