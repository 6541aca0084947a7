/** Setting a link on a recipe or image: uniqueness among live records, idempotent re-set, 409. */
import { ImsError } from "../errors.ts";
import { linkNotUnique, PATCH_CONFLICT } from "../texts.ts";
import { pathOf, printable, refOf } from "../links.ts";
import type { ArtifactLink } from "../records.ts";
import type { OperationJournal, RecordReader } from "../ports.ts";

/** The link as stored: etag defaults to "". */
export const storedLink = (l: { path: string; etag?: string; type: string }): ArtifactLink => ({
  etag: l.etag ?? "",
  path: l.path,
  type: l.type,
});

/** Upstream compares the stored link with the link as sent, as whole objects. */
export function sameLink(stored: ArtifactLink, sent: unknown): boolean {
  const s = sent as Record<string, unknown>;
  const keys = Object.keys(s);
  return keys.length === 3 && keys.every((k) => (stored as unknown as Record<string, unknown>)[k] === s[k]);
}

/** A link, once set, can only be set again to the very same value. */
export const patchConflict = () => new ImsError("conflict", PATCH_CONFLICT);

/** 422 when another live record of the collection already links the same path. */
export async function assertUniqueLink(
  reader: RecordReader,
  collection: "recipes" | "images",
  path: string,
  selfId?: string,
): Promise<void> {
  for (const r of await reader.list(collection)) {
    if (r.data.id !== selfId && r.data.link?.path === path) {
      // Upstream means to answer this for recipes too, but crashes there (500).
      throw new ImsError("validation", linkNotUnique(path, collection === "recipes" ? "recipe" : "image", r.data.id));
    }
  }
}

/**
 * 422 when a pending artifact operation will still remove the object (every move ends with
 * removing its source): the new link would dangle once the work is done. Upstream moves before
 * answering, so there the same request finds the object gone (also 422).
 */
export async function assertNotLeaving(journal: OperationJournal, paths: string[]): Promise<void> {
  const wanted = new Set(paths.flatMap((p) => {
    try {
      return [pathOf(refOf({ path: p, type: "s3" }))];
    } catch {
      return []; // a bad path is reported by the HEAD that follows
    }
  }));
  if (!wanted.size) return;
  for (const op of await journal.list({ state: "pending" })) {
    for (const step of op.steps.slice(op.nextStep)) {
      if (step.op === "remove" && wanted.has(pathOf(step.ref))) {
        throw new ImsError(
          "validation",
          `The artifact ${printable(pathOf(step.ref))} is being moved or removed by artifact operation ${op.id} (${op.action}); it cannot be linked.`,
        );
      }
    }
  }
}
