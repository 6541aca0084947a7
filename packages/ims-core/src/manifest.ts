/**
 * Reading and checking an image manifest.json (spec: artifacts.md §4), with upstream's checks
 * in upstream's order and its texts (texts.ts). `shown` is the link as upstream would print it
 * (the dict it held, in its key order); it defaults to the link itself.
 */
import { ImsError } from "./errors.ts";
import { refOf } from "./links.ts";
import { artifactNotValidated, MANIFEST, manifestNotJson, manifestTooLarge, manifestUnreadable } from "./texts.ts";
import { isFalsy, isPlainObject } from "./validate.ts";
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

type LinkLike = Pick<ArtifactLink, "path" | "type">;

/** A stored link of a live record as upstream holds it after a create: path, etag, type. */
export const asCreated = (l: ArtifactLink) => ({ path: l.path, etag: l.etag, type: l.type });

/** HEAD of the linked object; a missing object (or a bad path) is a 422. */
export async function headArtifact(ctx: Ctx, link: LinkLike, shown: unknown = link): Promise<ObjectHead> {
  const head = await ctx.artifacts.head(refOf(link));
  if (!head) throw new ImsError("validation", artifactNotValidated(shown));
  return head;
}

export interface ReadOptions {
  /** The link as upstream prints it. */
  shown?: unknown;
  /** The HEAD already made, if any. */
  head?: ObjectHead;
  /** Status of a missing, non-UTF-8 or non-JSON manifest: 422 (upstream's on undelete; it crashes elsewhere). */
  unreadable?: "validation" | "bad_request";
}

/** GETs and parses a manifest: too large 400; missing, not UTF-8 or not JSON per `unreadable`. */
export async function readManifest(ctx: Ctx, link: ArtifactLink, o: ReadOptions = {}): Promise<unknown> {
  const { shown = link, unreadable = "validation" } = o;
  const head = o.head ?? (await ctx.artifacts.head(refOf(link)));
  if (!head) throw new ImsError(unreadable, manifestUnreadable(shown));
  const limit = ctx.config.maxManifestBytes;
  if (head.size >= limit) throw new ImsError("bad_request", manifestTooLarge(shown));
  const bytes = await ctx.artifacts.read(refOf(link), limit);
  let text: string;
  try {
    // Python decodes with "utf-8", which keeps a BOM; json.loads then refuses it.
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ImsError(unreadable, manifestUnreadable(shown));
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ImsError(unreadable, manifestNotJson(shown));
  }
}

const malformed = (detail: string) => new ImsError("validation", detail);

/** Upstream's per-artifact checks, each artifact in turn (its HEAD included) before the next. */
async function checkArtifact(ctx: Ctx, a: unknown): Promise<void> {
  if (!isPlainObject(a)) throw malformed(MANIFEST.artifactNotDict);
  if (!Object.hasOwn(a, "link")) throw malformed(MANIFEST.noLink);
  const link = a.link;
  // A link that is not an object crashes upstream (500); it has no type either way.
  if (!isPlainObject(link) || !Object.hasOwn(link, "type")) throw malformed(MANIFEST.noLinkType);
  if (link.type !== "s3") throw malformed(MANIFEST.linkType(link.type));
  if (!Object.hasOwn(link, "path")) throw malformed(MANIFEST.noLinkPath);
  if (typeof link.path !== "string") throw new ImsError("validation", artifactNotValidated(link)); // upstream: 500
  await headArtifact(ctx, link as unknown as LinkLike, link);
}

/**
 * Checks a manifest being linked to an image (upstream's validate_image_manifest after its
 * HEAD): a falsy manifest passes; otherwise version 1.0, every artifact well formed and
 * present, then exactly one rootfs. Returns the manifest's artifacts.
 */
export async function checkManifest(ctx: Ctx, manifest: unknown, shown: unknown): Promise<ManifestArtifact[]> {
  if (isFalsy(manifest)) return [];
  // A truthy non-object crashes upstream (500).
  if (!isPlainObject(manifest) || !Object.hasOwn(manifest, "version")) throw malformed(MANIFEST.noVersion);
  if (manifest.version !== "1.0") throw malformed(MANIFEST.badVersion);
  if (!Object.hasOwn(manifest, "artifacts")) throw malformed(MANIFEST.noArtifacts);
  const artifacts = manifest.artifacts;
  if (!Array.isArray(artifacts)) throw malformed(MANIFEST.artifactsNotList);
  for (const a of artifacts) await checkArtifact(ctx, a);
  // A type that is not a string crashes upstream (500); we count it as missing.
  if (artifacts.some((a) => typeof (a as ManifestArtifact).type !== "string")) throw malformed(MANIFEST.noType);
  const rootfs = artifacts.filter((a) => (a as ManifestArtifact).type!.startsWith(ROOTFS_TYPE));
  if (rootfs.length === 0) throw new ImsError("bad_request", MANIFEST.noRootfs(shown));
  if (rootfs.length > 1) throw new ImsError("bad_request", MANIFEST.manyRootfs(shown));
  return artifacts as ManifestArtifact[];
}

/** Artifacts of a manifest that can be acted on (an object with a usable link), others skipped. */
export function linkedArtifacts(manifest: unknown): ManifestArtifact[] | undefined {
  if (!isPlainObject(manifest) || !Array.isArray(manifest.artifacts)) return undefined;
  return manifest.artifacts.filter(
    (a): a is ManifestArtifact => isPlainObject(a) && isPlainObject(a.link) && typeof a.link.path === "string",
  );
}
