/**
 * What the job downloads (spec api.md §7.1 step 4, artifacts.md §9): the recipe archive of a
 * create job, the rootfs of a customize job's image; with its md5 and a presigned URL.
 */
import { ImsError } from "../errors.ts";
import { headArtifact, ROOTFS_TYPE } from "../manifest.ts";
import { printable, refOf } from "../links.ts";
import { isPlainObject } from "../validate.ts";
import type { Ctx } from "../context.ts";
import type { Arch, ArtifactLink, JobType, Recipe } from "../records.ts";

export interface JobSource {
  arch: Arch;
  downloadUrl: string;
  /** "" when no md5 is known. */
  md5: string;
  /** Create jobs: the recipe (type, template_dictionary, require_dkms). */
  recipe?: Recipe;
}

const bad = (detail: string) => new ImsError("bad_request", detail);

/** S3 metadata md5sum wins over the manifest's md5; a disagreement is only worth a warning. */
export function chooseMd5(s3: string | undefined, manifest: unknown, warn?: (msg: string) => void): string {
  const fromManifest = typeof manifest === "string" ? manifest : "";
  if (s3 && fromManifest && s3 !== fromManifest) warn?.(`rootfs md5 in S3 metadata (${s3}) differs from the manifest's (${fromManifest}); using S3's`);
  return s3 || fromManifest;
}

async function presign(ctx: Ctx, link: ArtifactLink): Promise<string> {
  try {
    return await ctx.artifacts.presign(refOf(link), ctx.config.urlExpirationSeconds);
  } catch (e) {
    if (e instanceof ImsError && e.kind === "unavailable") throw e;
    throw bad(`Could not make a download URL for ${printable(link.path)}: ${(e as Error).message}`);
  }
}

async function recipeSource(ctx: Ctx, id: string): Promise<JobSource> {
  const recipe = (await ctx.store.get("recipes", id))?.data;
  if (!recipe) throw bad(`Recipe with id '${id}' was not found.`);
  if (!recipe.link) throw bad(`Recipe '${id}' has no link to a recipe archive.`);
  const head = await headArtifact(ctx, recipe.link);
  return { arch: recipe.arch, recipe, md5: head.metadata.md5sum ?? "", downloadUrl: await presign(ctx, recipe.link) };
}

/** Reads the manifest: missing 422 (HEAD), too large or not JSON 400. */
async function manifestOf(ctx: Ctx, link: ArtifactLink): Promise<unknown> {
  const head = await headArtifact(ctx, link);
  const limit = ctx.config.maxManifestBytes;
  if (head.size >= limit) throw bad(`The manifest ${printable(link.path)} is ${head.size} bytes; the limit is ${limit} bytes.`);
  const bytes = await ctx.artifacts.read(refOf(link), limit);
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw bad(`The manifest ${printable(link.path)} could not be read: it is not UTF-8 JSON.`);
  }
}

/** The single rootfs entry of a manifest, with a usable link; 400 otherwise. */
export function rootfsOf(manifest: unknown): { link: ArtifactLink; md5?: unknown } {
  const list = isPlainObject(manifest) && Array.isArray(manifest.artifacts) ? manifest.artifacts : [];
  const rootfs = list.filter((a) => isPlainObject(a) && typeof a.type === "string" && a.type.startsWith(ROOTFS_TYPE));
  if (rootfs.length !== 1) throw bad(`The image manifest must list exactly one rootfs artifact (${ROOTFS_TYPE}); it lists ${rootfs.length}.`);
  const entry = rootfs[0] as Record<string, unknown>;
  const link = entry.link;
  if (!isPlainObject(link) || typeof link.path !== "string" || typeof link.type !== "string") {
    throw bad("The rootfs artifact of the image manifest has no link.");
  }
  return { link: { path: link.path, type: link.type, etag: typeof link.etag === "string" ? link.etag : "" }, md5: entry.md5 };
}

async function imageSource(ctx: Ctx, id: string): Promise<JobSource> {
  const image = (await ctx.store.get("images", id))?.data;
  if (!image) throw bad(`Image with id '${id}' was not found.`);
  if (!image.link) throw bad(`Image '${id}' has no link to a manifest.`);
  const rootfs = rootfsOf(await manifestOf(ctx, image.link));
  const head = await headArtifact(ctx, rootfs.link);
  const md5 = chooseMd5(head.metadata.md5sum, rootfs.md5, (m) => ctx.log.warn(m, { image: id }));
  return { arch: image.arch, md5, downloadUrl: await presign(ctx, rootfs.link) };
}

export const lookupSource = (ctx: Ctx, jobType: JobType, artifactId: string): Promise<JobSource> =>
  jobType === "create" ? recipeSource(ctx, artifactId) : imageSource(ctx, artifactId);
