/** Images: a manifest.json link plus metadata (spec: api.md §6, artifacts.md §4-§6, §8). */
import { sortKeys } from "../canonical.ts";
import { validationFailed, type FieldErrors } from "../errors.ts";
import { pyRepr } from "../python-repr.ts";
import { isPlainObject, setOwn, validateBody } from "../validate.ts";
import { ImageCreate, ImagePatch } from "../schemas.ts";
import { isoNow } from "../time.ts";
import { checkManifest, headArtifact, linkedArtifacts, readManifest } from "../manifest.ts";
import { hardDeleteImage, purgeDeletedImage, softDeleteImage, undeleteImage } from "../artifacts/image-plans.ts";
import { unchanged } from "../artifacts/plan.ts";
import type { Ctx } from "../context.ts";
import type { Arch, Image } from "../records.ts";
import type { PatchableResource } from "../service-types.ts";
import { checkIfMatch, commit, guarded, mustGet, mustGetJson, STALE } from "./common.ts";
import { commitCreate, idempotentCreate } from "./idempotency.ts";
import { deleteAllLive, deleteLive, type KindSpec } from "./lifecycle.ts";
import { assertNotLeaving, assertUniqueLink, patchConflict, sameLink, storedLink } from "./links.ts";

type LinkInput = { path: string; etag?: string; type: string };
type ImageInput = { name: string; link: LinkInput | null; arch: Arch; metadata: Record<string, string> };
type ImageChanges = { link?: LinkInput; arch?: Arch; metadata?: { operation: "set" | "remove"; key: string; value: string } };

export const imageKind: KindSpec<"images", "deleted_images"> = {
  what: "Image",
  live: "images",
  deleted: "deleted_images",
  softDelete: (ctx, r, at) => softDeleteImage(ctx, r.id, r.link, at),
  hardDelete: (ctx, r, cascade) => (cascade ? hardDeleteImage(ctx, r.link) : Promise.resolve(unchanged(null))),
  purge: (ctx, r) => purgeDeletedImage(ctx, r.link),
  undelete: (ctx, r) => undeleteImage(ctx, r.link),
};

/** A metadata key as Python's json.dumps writes a non-string dict key. */
const jsonKey = (k: null | boolean | number) => (k === null ? "null" : typeof k === "boolean" ? String(k) : pyRepr(k));

/**
 * Upstream turns {"key": k, "value": v} metadata into {k: v} before validating. A key that is
 * not a string is reported as marshmallow's Mapping reports it, under the key's JSON text.
 */
function preprocessMetadata(body: unknown): { body: unknown; keyErrors?: FieldErrors } {
  if (!isPlainObject(body) || !isPlainObject(body.metadata) || !Object.hasOwn(body.metadata, "key")) return { body };
  const { key } = body.metadata;
  const value = Object.hasOwn(body.metadata, "value") ? body.metadata.value : "";
  if (typeof key === "string") return { body: { ...body, metadata: setOwn({}, key, value) } };
  // A list or object as key crashes upstream (unhashable); it is not a string either way.
  if (typeof key === "object" && key !== null) throw validationFailed({ metadata: { key: ["Not a valid string."] } });
  const text = jsonKey(key as null | boolean | number);
  return {
    body: { ...body, metadata: setOwn({}, text, value) },
    keyErrors: { metadata: setOwn({}, text, { key: [key === null ? "Field may not be null." : "Not a valid string."] }) as FieldErrors },
  };
}

/** Full manifest validation (artifacts.md §4.1) for a link being set; `shown` is the link as upstream prints it. */
async function linkChecked(ctx: Ctx, link: LinkInput, shown: unknown, selfId?: string) {
  await assertUniqueLink(ctx.store, "images", link.path, selfId);
  await assertNotLeaving(ctx.store.journal, [link.path]);
  const stored = storedLink(link);
  const head = await headArtifact(ctx, stored, shown);
  const manifest = await readManifest(ctx, stored, { shown, head });
  await assertNotLeaving(ctx.store.journal, (linkedArtifacts(manifest) ?? []).map((a) => a.link!.path));
  await checkManifest(ctx, manifest, shown);
  return stored;
}

function applyMetadata(meta: Record<string, string>, op: NonNullable<ImageChanges["metadata"]>) {
  const next = { ...meta };
  if (op.operation === "set") setOwn(next, op.key, op.value ?? "");
  else delete next[op.key];
  return next;
}

export function images(ctx: Ctx): PatchableResource<Image> {
  return {
    list: () => ctx.store.list("images"),
    listJson: () => ctx.lists.json("images"),
    get: (id) => mustGet(ctx, "images", id),
    getJson: (id) => mustGetJson(ctx, "images", id),
    create: (body, opts) =>
      idempotentCreate(ctx, opts?.idempotency, async () => {
        const pre = preprocessMetadata(body);
        const input = validateBody<ImageInput>(ImageCreate, pre.body, pre.keyErrors);
        const link = input.link ? await linkChecked(ctx, input.link, input.link) : null;
        const record: Image = sortKeys({ ...input, link, id: ctx.ids.uuid(), created: isoNow(ctx.clock) });
        return commitCreate(ctx, opts?.idempotency, async (tx) => {
          await tx.lock("links:images");
          if (link) await assertUniqueLink(tx, "images", link.path);
          await tx.insert("images", record.id, record);
          return { data: record, version: 1 };
        });
      }),
    async patch(id, body, opts) {
      await mustGet(ctx, "images", id);
      const changes = validateBody<ImageChanges>(ImagePatch, body);
      return guarded(opts, async () => {
        const cur = await mustGet(ctx, "images", id);
        checkIfMatch(cur, opts);
        const next: Image = { ...cur.data };
        if (changes.arch) next.arch = changes.arch;
        if (changes.metadata) next.metadata = applyMetadata(cur.data.metadata ?? {}, changes.metadata);
        if (changes.link && cur.data.link && !sameLink(cur.data.link, (body as { link: unknown }).link)) throw patchConflict();
        // A PATCH is checked with the link as sent (no etag default), as upstream prints it.
        if (changes.link && !cur.data.link) next.link = await linkChecked(ctx, changes.link, (body as { link: unknown }).link, id);
        const record = sortKeys(next);
        return commit(ctx, async (tx) => {
          await tx.lock("links:images");
          if (record.link && !cur.data.link) await assertUniqueLink(tx, "images", record.link.path, id);
          const version = await tx.update("images", id, record, cur.version);
          return version === undefined ? STALE : { data: record, version };
        });
      });
    },
    delete: (id, how, opts) => deleteLive(ctx, imageKind, id, how, opts),
    deleteAll: (how, opts) => deleteAllLive(ctx, imageKind, how, opts),
  };
}
