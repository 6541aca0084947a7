/**
 * What the job downloads (spec api.md §7.1 step 4, artifacts.md §9): the recipe archive of a
 * create job, the rootfs of a customize job's image; with its md5 and a presigned URL. Checked
 * in upstream's order, with its statuses and texts.
 */
import { ImsError } from "../errors.ts";
import { asCreated, headArtifact, readManifest, ROOTFS_TYPE } from "../manifest.ts";
import { refOf } from "../links.ts";
import { artifactTypeNotSupported, downloadUrlFailed, JOB } from "../texts.ts";
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

async function presign(ctx: Ctx, link: ArtifactLink, shown: unknown): Promise<string> {
  try {
    return await ctx.artifacts.presign(refOf(link), ctx.config.urlExpirationSeconds);
  } catch (e) {
    if (e instanceof ImsError && e.kind === "unavailable") throw e;
    throw bad(downloadUrlFailed(shown));
  }
}

async function recipeSource(ctx: Ctx, id: string): Promise<JobSource> {
  const recipe = (await ctx.store.get("recipes", id))?.data;
  if (!recipe) throw bad(JOB.noArtifact("recipe", id));
  if (!recipe.link) throw bad(JOB.noArtifactLink("recipe", id));
  const shown = asCreated(recipe.link);
  const head = await headArtifact(ctx, recipe.link, shown);
  return { arch: recipe.arch, recipe, md5: head.metadata.md5sum ?? "", downloadUrl: await presign(ctx, recipe.link, shown) };
}

/**
 * The single rootfs entry of a customize job's manifest. Anything upstream cannot read as a
 * version 1.0 manifest whose artifacts all have a type is "corrupt" (400), checked before the
 * rootfs count and its link.
 */
export function rootfsOf(manifest: unknown, imageId: string): { link: unknown; md5?: unknown } {
  const corrupt = () => bad(JOB.corruptManifest(imageId));
  if (!isPlainObject(manifest) || manifest.version !== "1.0" || !Object.hasOwn(manifest, "artifacts")) throw corrupt();
  const artifacts = manifest.artifacts;
  // Python iterates a str by character and a dict by key: both fail on ["type"] unless empty.
  const list = Array.isArray(artifacts) ? artifacts : artifacts === "" || (isPlainObject(artifacts) && !Object.keys(artifacts).length) ? [] : undefined;
  if (!list || list.some((a) => !isPlainObject(a) || typeof a.type !== "string")) throw corrupt();
  const rootfs = list.filter((a) => (a.type as string).startsWith(ROOTFS_TYPE)) as Record<string, unknown>[];
  if (rootfs.length === 0) throw bad(JOB.noRootfs(imageId));
  if (rootfs.length > 1) throw bad(JOB.manyRootfs(imageId));
  const entry = rootfs[0]!;
  if (!entry.link || (Array.isArray(entry.link) && !entry.link.length) || (isPlainObject(entry.link) && !Object.keys(entry.link).length)) {
    throw bad(JOB.rootfsNoLink(imageId));
  }
  return { link: entry.link, md5: entry.md5 };
}

/** The rootfs link as upstream's validate_artifact takes it: without a type or a path it is "not supported" (422). */
function usableLink(link: unknown): ArtifactLink {
  // A link that is not an object crashes upstream (500); it has no type either way.
  if (!isPlainObject(link) || typeof link.type !== "string" || typeof link.path !== "string") {
    throw new ImsError("validation", artifactTypeNotSupported(link));
  }
  return { path: link.path, type: link.type, etag: typeof link.etag === "string" ? link.etag : "" };
}

async function imageSource(ctx: Ctx, id: string): Promise<JobSource> {
  const image = (await ctx.store.get("images", id))?.data;
  if (!image) throw bad(JOB.noArtifact("image", id));
  if (!image.link) throw bad(JOB.noArtifactLink("image", id));
  const shown = asCreated(image.link);
  const head = await headArtifact(ctx, image.link, shown);
  const manifest = await readManifest(ctx, image.link, { shown, head, unreadable: "bad_request" });
  const rootfs = rootfsOf(manifest, id);
  const link = usableLink(rootfs.link);
  const rootfsHead = await headArtifact(ctx, link, rootfs.link);
  const md5 = chooseMd5(rootfsHead.metadata.md5sum, rootfs.md5, (m) => ctx.log.warn(m, { image: id }));
  return { arch: image.arch, md5, downloadUrl: await presign(ctx, link, rootfs.link) };
}

export const lookupSource = (ctx: Ctx, jobType: JobType, artifactId: string): Promise<JobSource> =>
  jobType === "create" ? recipeSource(ctx, artifactId) : imageSource(ctx, artifactId);
