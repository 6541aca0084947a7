/**
 * An artifact plan: the link a record will carry once the work is done, and the journaled
 * steps that do the work. Plans are built before the record's transaction (S3 reads only),
 * committed with it, and carried out by the worker, so no request waits for a copy.
 */
import { ImsError } from "../errors.ts";
import { linkOf, refOf } from "../links.ts";
import { headArtifact } from "../manifest.ts";
import type { Ctx } from "../context.ts";
import type { ArtifactLink } from "../records.ts";
import type { ArtifactStep, ObjectRef } from "../ports.ts";

export interface Plan {
  link: ArtifactLink | null;
  steps: ArtifactStep[];
}

export const unchanged = (link: ArtifactLink | null): Plan => ({ link, steps: [] });

/** A planned move: copy to the new key now, remove the old key after every copy is done. */
export interface Move {
  from: ObjectRef;
  to: ObjectRef;
  link: ArtifactLink;
}

export const DELETED_PREFIX = "deleted";

export const deletedKey = (key: string) => `${DELETED_PREFIX}/${key}`;

/** Upstream: the key must start with "deleted"; strip it and any leading slashes. */
export function undeletedKey(key: string): string | undefined {
  if (!key.startsWith(DELETED_PREFIX)) return undefined;
  const rest = key.slice(DELETED_PREFIX.length).replace(/^\/+/, "");
  return rest || undefined;
}

/** Plans moving a linked object to `newKey(key)` in its bucket (undefined: stays); HEAD failure throws 422. */
export async function planMove(ctx: Ctx, link: ArtifactLink, newKey: (key: string) => string | undefined): Promise<Move | undefined> {
  const from = refOf(link);
  const head = await headArtifact(ctx, link); // upstream checks the object before the key
  const key = newKey(from.key);
  if (key === undefined) return undefined;
  const to = { bucket: from.bucket, key };
  return { from, to, link: linkOf(to, head.etag) };
}

/** Copies first, removals last: until every copy exists, every original is still in place. */
export const moveSteps = (moves: Move[]): ArtifactStep[] => [
  ...moves.map((m): ArtifactStep => ({ op: "copy", from: m.from, to: m.to })),
  ...moves.map((m): ArtifactStep => ({ op: "remove", ref: m.from })),
];

/**
 * Upstream logs and skips most artifact failures during deletes; we do the same for a bad or
 * missing object, but an unreachable store must fail the request before anything changes.
 */
export async function orSkip<T>(ctx: Ctx, what: string, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ImsError && e.kind === "unavailable") throw e;
    ctx.log.warn(`${what}: skipped`, { error: e instanceof Error ? e.message : String(e) });
    return undefined;
  }
}
