/** Artifact plans for images: manifest plus listed artifacts (spec: artifacts.md §5, §6, §8). */
import { ImsError } from "../errors.ts";
import { linkOf, refOf } from "../links.ts";
import { asCreated, linkedArtifacts, MANIFEST_TYPE, readManifest } from "../manifest.ts";
import { pyDumps } from "../python-json.ts";
import { MANIFEST } from "../texts.ts";
import { spacedSeconds } from "../time.ts";
import type { Ctx } from "../context.ts";
import type { ArtifactLink } from "../records.ts";
import type { ArtifactStep } from "../ports.ts";
import { deletedKey, moveSteps, orSkip, planMove, unchanged, undeletedKey, type Move, type Plan } from "./plan.ts";

const DELETED_MANIFEST = "deleted_manifest.json";

/** v3 delete: every artifact and the manifest move under deleted/, a deleted manifest lists them. */
export async function softDeleteImage(ctx: Ctx, id: string, link: ArtifactLink | null, deletedAt: Date): Promise<Plan> {
  if (!link) return unchanged(link);
  const manifest = await orSkip(ctx, `reading manifest ${link.path}`, () => readManifest(ctx, link));
  if (manifest === undefined) return unchanged(link);
  const moves: Move[] = [];
  const listed: { type: unknown; md5: unknown; link: ArtifactLink }[] = [];
  for (const a of linkedArtifacts(manifest) ?? []) {
    const move = await orSkip(ctx, `soft delete of artifact ${a.link!.path}`, () => planMove(ctx, a.link!, deletedKey));
    if (!move) continue;
    moves.push(move);
    listed.push({ type: a.type, md5: a.md5 ?? "", link: move.link });
  }
  const self = await orSkip(ctx, `soft delete of manifest ${link.path}`, () => planMove(ctx, link, deletedKey));
  if (self) {
    moves.push(self);
    listed.push({ type: MANIFEST_TYPE, md5: undefined as unknown, link: self.link });
  }
  const target = { bucket: ctx.config.bootImagesBucket, key: `deleted/${id}/${DELETED_MANIFEST}` };
  // json.dumps, as upstream writes it: the same bytes, so the same etag.
  const body = pyDumps({
    version: "1.0",
    created: spacedSeconds(deletedAt),
    artifacts: listed.map(({ type, md5, link }) => (type === MANIFEST_TYPE ? { type, link } : { type, md5, link })),
  });
  const write: ArtifactStep = { op: "write", ref: target, body, contentType: "application/json" };
  return { link: linkOf(target, "", link.type), steps: [write, ...moveSteps(moves)] };
}

/**
 * A deleted image's link as upstream holds it: the deleted manifest's link it wrote without an
 * etag, or (when the soft delete skipped the artifacts) the image's own link.
 */
const deletedShown = (l: ArtifactLink) =>
  l.etag === "" && l.path.endsWith(`/${DELETED_MANIFEST}`) ? { path: l.path, type: l.type } : asCreated(l);

/** Undelete: read the deleted manifest (422 if unreadable or without artifacts), move all back. */
export async function undeleteImage(ctx: Ctx, link: ArtifactLink | null): Promise<Plan> {
  if (!link) return unchanged(link);
  const manifest = await readManifest(ctx, link, { shown: deletedShown(link) });
  const artifacts = linkedArtifacts(manifest);
  if (!artifacts) throw new ImsError("validation", MANIFEST.noArtifactsSection);
  const moves: Move[] = [];
  let restored: ArtifactLink | undefined;
  for (const a of artifacts) {
    const move = await orSkip(ctx, `undelete of artifact ${a.link!.path}`, () => planMove(ctx, a.link!, undeletedKey));
    if (!move) continue;
    moves.push(move);
    if (a.type === MANIFEST_TYPE) restored = move.link;
  }
  const steps = moveSteps(moves);
  if (restored) steps.push({ op: "remove", ref: refOf(link) });
  return { link: restored ?? link, steps };
}

/** v2 cascade delete: remove every listed artifact and the manifest; an unreadable manifest is skipped. */
export async function hardDeleteImage(ctx: Ctx, link: ArtifactLink | null): Promise<Plan> {
  if (!link) return unchanged(null);
  const manifest = await orSkip(ctx, `reading manifest ${link.path}`, () => readManifest(ctx, link));
  return removeAll(ctx, link, manifest);
}

/** Purge of a deleted image: like the cascade, but a manifest without artifacts is a 422. */
export async function purgeDeletedImage(ctx: Ctx, link: ArtifactLink | null): Promise<Plan> {
  if (!link) return unchanged(null);
  let manifest: unknown;
  try {
    manifest = await readManifest(ctx, link, { shown: deletedShown(link) });
  } catch (e) {
    // Upstream answers a manifest over the size limit (400, record kept) and skips any other unreadable one.
    if (e instanceof ImsError && (e.kind === "unavailable" || e.kind === "bad_request")) throw e;
    ctx.log.warn(`reading deleted manifest ${link.path}: skipped`, { error: e instanceof Error ? e.message : String(e) });
    return { link: null, steps: [] };
  }
  if (!linkedArtifacts(manifest)) throw new ImsError("validation", MANIFEST.noManifestSection);
  return removeAll(ctx, link, manifest);
}

async function removeAll(ctx: Ctx, link: ArtifactLink, manifest: unknown): Promise<Plan> {
  const steps: ArtifactStep[] = [];
  for (const a of [...(linkedArtifacts(manifest) ?? []), { link }]) {
    const ref = await orSkip(ctx, `hard delete of ${a.link!.path}`, async () => refOf(a.link!));
    if (ref) steps.push({ op: "remove", ref });
  }
  return { link: null, steps };
}
