/**
 * Delete, undelete and purge, written once for public keys, recipes and images. A kind
 * supplies its collections and artifact plans; the record change and the journaled artifact
 * work commit in one transaction.
 */
import { notFound } from "../errors.ts";
import { validateBody } from "../validate.ts";
import { Undelete } from "../schemas.ts";
import { isoMicros, nowMicros } from "../time.ts";
import { sortKeys } from "../canonical.ts";
import { unchanged, type Plan } from "../artifacts/plan.ts";
import type { Ctx } from "../context.ts";
import type { ArtifactLink, Collections } from "../records.ts";
import type { Stored } from "../ports.ts";
import type { ArtifactWaitOptions, ArtifactWork, DeleteMode, DeletedResource, WriteOptions } from "../service-types.ts";
import { awaitOperations } from "../operations/await.ts";
import { awaitSettled, checkIfMatch, commit, guarded, mustGet, mustGetJson, STALE } from "./common.ts";

type Live = "public_keys" | "recipes" | "images";
type Dead = "deleted_public_keys" | "deleted_recipes" | "deleted_images";
type Linked = { id: string; link?: ArtifactLink | null };

export interface KindSpec<L extends Live, D extends Dead> {
  what: string;
  live: L;
  deleted: D;
  softDelete(ctx: Ctx, rec: Collections[L], at: Date): Promise<Plan>;
  hardDelete(ctx: Ctx, rec: Collections[L], cascade: boolean): Promise<Plan>;
  purge(ctx: Ctx, rec: Collections[D]): Promise<Plan>;
  undelete(ctx: Ctx, rec: Collections[D]): Promise<Plan>;
}

const linkOfRecord = (r: unknown) => ((r as Linked).link ?? null) as ArtifactLink | null;
const withLink = <T>(r: T, plan: Plan): T => ("link" in (r as object) ? { ...r, link: plan.link } : r);

/** Deletes one record; its artifact work's ids are added to `ops` (the caller waits for them). */
async function deleteOne<L extends Live, D extends Dead>(ctx: Ctx, k: KindSpec<L, D>, id: string, how: DeleteMode, ops: string[], opts?: WriteOptions) {
  await guarded(opts, async () => {
    const cur = await mustGet(ctx, k.live, id);
    checkIfMatch(cur, opts);
    const micros = nowMicros(ctx.clock); // `deleted`, and (to the second) the deleted manifest's `created`
    const now = new Date(Math.floor(micros / 1000));
    const plan = how.mode === "soft" ? await k.softDelete(ctx, cur.data, now) : await k.hardDelete(ctx, cur.data, how.cascade);
    return commit(ctx, async (tx, journal) => {
      if (!(await tx.remove(k.live, id, cur.version))) return (await tx.get(k.live, id)) ? STALE : Promise.reject(notFound());
      if (how.mode === "soft") {
        const dead = sortKeys({ ...withLink(cur.data, plan), deleted: isoMicros(micros) }) as Collections[D];
        await tx.upsert(k.deleted, id, dead);
      }
      await journal(`${how.mode === "soft" ? "soft delete" : "delete"} ${k.what.toLowerCase()}`, k.live, id, plan.steps);
      return true;
    }, ops);
  });
}

export async function deleteLive<L extends Live, D extends Dead>(ctx: Ctx, k: KindSpec<L, D>, id: string, how: DeleteMode, opts?: WriteOptions): Promise<ArtifactWork> {
  const ops: string[] = [];
  await deleteOne(ctx, k, id, how, ops, opts);
  return awaitOperations(ctx, ops, opts?.artifactWaitMs);
}

/** Collection deletes work record by record, each in its own transaction; then wait for all their work at once. */
export async function deleteAllLive<L extends Live, D extends Dead>(ctx: Ctx, k: KindSpec<L, D>, how: DeleteMode, opts?: ArtifactWaitOptions): Promise<ArtifactWork> {
  const ops: string[] = [];
  for (const rec of await ctx.store.list(k.live)) {
    await deleteOne(ctx, k, (rec.data as Linked).id, how, ops).catch(ignoreNotFound);
  }
  return awaitOperations(ctx, ops, opts?.artifactWaitMs);
}

const ignoreNotFound = (e: unknown) => {
  if ((e as { kind?: string }).kind !== "not_found") throw e;
};

export function deletedResource<L extends Live, D extends Dead>(ctx: Ctx, k: KindSpec<L, D>): DeletedResource<Collections[D]> {
  const purge = async (id: string, ops: string[], opts?: WriteOptions) => {
    await awaitSettled(ctx, id);
    await guarded(opts, async () => {
      const cur = await mustGet(ctx, k.deleted, id);
      checkIfMatch(cur, opts);
      const plan = await k.purge(ctx, cur.data);
      return commit(ctx, async (tx, journal) => {
        if (!(await tx.remove(k.deleted, id, cur.version))) return (await tx.get(k.deleted, id)) ? STALE : Promise.reject(notFound());
        await journal(`purge ${k.what.toLowerCase()}`, k.deleted, id, plan.steps);
        return true;
      }, ops);
    });
  };
  const undelete = async (id: string, body: unknown, ops: string[], opts?: WriteOptions) => {
    await mustGet(ctx, k.deleted, id); // 404 is checked before the body
    validateBody(Undelete, body);
    await awaitSettled(ctx, id);
    await guarded(opts, async () => {
      const cur = await mustGet(ctx, k.deleted, id);
      checkIfMatch(cur, opts);
      const plan = linkOfRecord(cur.data) ? await k.undelete(ctx, cur.data) : unchanged(null);
      return commit(ctx, async (tx, journal) => {
        if (!(await tx.remove(k.deleted, id, cur.version))) return (await tx.get(k.deleted, id)) ? STALE : Promise.reject(notFound());
        const { deleted: _gone, ...live } = withLink(cur.data, plan) as Collections[D] & { deleted: string };
        await tx.upsert(k.live, id, sortKeys(live) as unknown as Collections[L]);
        await journal(`undelete ${k.what.toLowerCase()}`, k.live, id, plan.steps);
        return true;
      }, ops);
    });
  };
  /** Runs `fn` with a fresh list of operation ids, then waits for them (bounded). */
  const waiting = async (opts: ArtifactWaitOptions | undefined, fn: (ops: string[]) => Promise<void>) => {
    const ops: string[] = [];
    await fn(ops);
    return awaitOperations(ctx, ops, opts?.artifactWaitMs);
  };
  const ids = async () => (await ctx.store.list(k.deleted)).map((r) => (r.data as Linked).id);
  return {
    list: () => ctx.store.list(k.deleted) as Promise<Stored<Collections[D]>[]>,
    listJson: () => ctx.store.listJson(k.deleted),
    get: (id) => mustGet(ctx, k.deleted, id),
    getJson: (id) => mustGetJson(ctx, k.deleted, id),
    delete: (id, opts) => waiting(opts, (ops) => purge(id, ops, opts)),
    deleteAll: (opts) =>
      waiting(opts, async (ops) => {
        for (const id of await ids()) await purge(id, ops).catch(ignoreNotFound);
      }),
    undelete: (id, body, opts) => waiting(opts, (ops) => undelete(id, body, ops, opts)),
    undeleteAll: (body, opts) =>
      waiting(opts, async (ops) => {
        validateBody(Undelete, body);
        for (const id of await ids()) await undelete(id, body, ops).catch(ignoreNotFound);
      }),
  };
}
