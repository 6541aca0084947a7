/** Reading and checking an image manifest.json (spec: artifacts.md §4). */
import { ImsError } from "./errors.ts";
import { printable, refOf } from "./links.ts";
import { isPlainObject } from "./validate.ts";
import type { Ctx } from "./context.ts";
import type { ArtifactLink } from "./records.ts";
import type { ObjectHead } from "./ports.ts";

export const ROOTFS_TYPE = "application/vnd.cray.image.rootfs.squashfs";
export const MANIFEST_TYPE = "application/vnd.cray.image.manifest";

export interface ManifestArtifact {
  type?: string;
  md5?: string;
  link?: ArtifactLink;
}

/** HEAD of the linked object; a missing object (or a bad path) is a 422. */
export async function headArtifact(ctx: Ctx, link: Pick<ArtifactLink, "path" | "type">): Promise<ObjectHead> {
  const head = await ctx.artifacts.head(refOf(link));
  if (!head) {
    throw new ImsError("validation", `The artifact ${printable(link.path)} could not be validated: the object does not exist.`);
  }
  return head;
}

/** GETs and parses a manifest: missing 422, too large 400, not JSON 422. */
export async function readManifest(ctx: Ctx, link: ArtifactLink): Promise<unknown> {
  const head = await headArtifact(ctx, link);
  const limit = ctx.config.maxManifestBytes;
  if (head.size >= limit) {
    throw new ImsError("bad_request", `The manifest ${printable(link.path)} is ${head.size} bytes; the limit is ${limit} bytes.`);
  }
  const bytes = await ctx.artifacts.read(refOf(link), limit);
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new ImsError("validation", `The manifest ${printable(link.path)} could not be read: it is not UTF-8 JSON.`);
  }
}

const invalid = (why: string) => new ImsError("validation", `The image manifest is not valid: ${why}.`);

/** The checks of artifacts.md §4.1 steps 5-10, in order; returns the manifest's artifacts. */
export async function checkManifest(ctx: Ctx, manifest: unknown): Promise<ManifestArtifact[]> {
  if (!manifest || (isPlainObject(manifest) && Object.keys(manifest).length === 0)) return []; // upstream accepts falsy
  if (!isPlainObject(manifest) || !("version" in manifest)) throw invalid("it has no 'version'");
  if (manifest.version !== "1.0") throw invalid(`version ${JSON.stringify(manifest.version)} is not supported (only "1.0")`);
  const artifacts = manifest.artifacts;
  if (!Array.isArray(artifacts)) throw invalid("'artifacts' is missing or not a list");
  for (const [i, a] of artifacts.entries()) {
    if (!isPlainObject(a) || !isPlainObject(a.link) || typeof a.link.path !== "string" || typeof a.link.type !== "string") {
      throw invalid(`artifact ${i} has no link with a path and a type`);
    }
    if (a.link.type.toLowerCase() !== "s3") throw invalid(`artifact ${i} has link type '${printable(a.link.type)}', not 's3'`);
    await headArtifact(ctx, a.link as unknown as ArtifactLink);
  }
  for (const [i, a] of artifacts.entries()) {
    if (typeof (a as ManifestArtifact).type !== "string") throw invalid(`artifact ${i} has no 'type'`);
  }
  const rootfs = artifacts.filter((a) => (a as ManifestArtifact).type!.startsWith(ROOTFS_TYPE));
  if (rootfs.length !== 1) {
    throw new ImsError("bad_request", `The image manifest must list exactly one rootfs artifact (${ROOTFS_TYPE}); it lists ${rootfs.length}.`);
  }
  return artifacts as ManifestArtifact[];
}

/** Artifacts of a manifest that can be acted on (an object with a usable link), others skipped. */
export function linkedArtifacts(manifest: unknown): ManifestArtifact[] | undefined {
  if (!isPlainObject(manifest) || !Array.isArray(manifest.artifacts)) return undefined;
  return manifest.artifacts.filter(
    (a): a is ManifestArtifact => isPlainObject(a) && isPlainObject(a.link) && typeof a.link.path === "string",
  );
}
