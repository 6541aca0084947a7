/**
 * Delete, undelete and purge, written once for public keys, recipes and images. A kind
 * supplies its collections and artifact plans; the record change and the journaled artifact
 * work commit in one transaction. Collection-wide ones go in bounded batches (batches.ts).
 */
import { notFound } from "../errors.ts";
import { validateBody } from "../validate.ts";
import { Undelete } from "../schemas.ts";
import { isoMicros, nowMicros } from "../time.ts";
import { sortKeys } from "../canonical.ts";
import { unchanged, type Plan } from "../artifacts/plan.ts";
import type { Ctx } from "../context.ts";
import type { ArtifactLink, Collections } from "../records.ts";
import type { RecordTx, Stored } from "../ports.ts";
import type { ArtifactWaitOptions, ArtifactWork, DeleteMode, DeletedResource, WriteOptions } from "../service-types.ts";
import { awaitOperations } from "../operations/await.ts";
import { inBatches } from "./batches.ts";
import { awaitSettled, checkIfMatch, commit, guarded, mustGet, mustGetJson, STALE, type Journaler } from "./common.ts";

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
const idOf = (r: Stored<unknown>) => (r.data as Linked).id;

/** A record read, with the artifact work planned for it. */
interface Planned<T> {
  cur: Stored<T>;
  plan: Plan;
}

/**
 * The writes of one delete, undelete or purge, inside a transaction: `from` loses the record
 * (only at the version that was read), `to` gets `moved` when given, the artifact work is
 * journaled. False when the record changed or went since it was read.
 */
async function move(tx: RecordTx, journal: Journaler, step: { from: Live | Dead; to?: Live | Dead; action: string; work: Live | Dead }, id: string, version: number, moved: unknown, plan: Plan): Promise<boolean> {
  if (!(await tx.remove(step.from, id, version))) return false;
  if (step.to) await tx.upsert(step.to, id, moved as never);
  await journal(step.action, step.work, id, plan.steps);
  return true;
}

/** Retries a single move until its version guard holds (or answers 404/412/409 as `guarded` does). */
function moveOne<T>(ctx: Ctx, from: Live | Dead, id: string, ops: string[], opts: WriteOptions | undefined, prepare: () => Promise<Planned<T>>, write: (tx: RecordTx, journal: Journaler, p: Planned<T>) => Promise<boolean>) {
  return guarded(opts, async () => {
    const p = await prepare();
    return commit(ctx, async (tx, journal) => ((await write(tx, journal, p)) ? true : (await tx.get(from, id)) ? STALE : Promise.reject(notFound())), ops);
  });
}

/**
 * Applies `write` to every record of `collection` in bounded batches; those found changed are
 * redone one by one, as are those `alone` names (after the batches).
 */
async function everyRecord<T>(ctx: Ctx, collection: Live | Dead, ops: string[], plan: (cur: Stored<T>) => Promise<Plan>, write: (tx: RecordTx, journal: Journaler, p: Planned<T>) => Promise<boolean>, one: (id: string) => Promise<unknown>, alone: ReadonlySet<string> = new Set()) {
  const redo: string[] = [];
  await inBatches<T>(ctx.store, collection, async (records, timed) => {
    const planned: Planned<T>[] = [];
    for (const cur of records) {
      if (alone.has(idOf(cur))) redo.push(idOf(cur));
      else planned.push({ cur, plan: await plan(cur) });
    }
    if (!planned.length) return;
    // Issued together: PostgreSQL pipelines them on the transaction's connection.
    const done = await timed(() => commit(ctx, (tx, journal) => Promise.all(planned.map((p) => write(tx, journal, p))), ops));
    planned.forEach((p, i) => done[i] || redo.push(idOf(p.cur)));
  });
  for (const id of redo) await one(id).catch(ignoreNotFound);
}

const ignoreNotFound = (e: unknown) => {
  if ((e as { kind?: string }).kind !== "not_found") throw e;
};

function deletes<L extends Live, D extends Dead>(ctx: Ctx, k: KindSpec<L, D>, how: DeleteMode) {
  const soft = how.mode === "soft";
  const step = { from: k.live, to: soft ? k.deleted : undefined, action: `${soft ? "soft delete" : "delete"} ${k.what.toLowerCase()}`, work: k.live };
  // `micros` is the record's `deleted`; to the second, the deleted manifest's `created`.
  const plan = (cur: Stored<Collections[L]>, micros: number) =>
    soft ? k.softDelete(ctx, cur.data, new Date(Math.floor(micros / 1000))) : k.hardDelete(ctx, cur.data, how.cascade);
  const write = (micros: number) => (tx: RecordTx, journal: Journaler, p: Planned<Collections[L]>) =>
    move(tx, journal, step, idOf(p.cur), p.cur.version, soft ? sortKeys({ ...withLink(p.cur.data, p.plan), deleted: isoMicros(micros) }) : undefined, p.plan);
  /** Deletes one record; its artifact work's ids are added to `ops` (the caller waits for them). */
  const one = (id: string, ops: string[], opts?: WriteOptions) => {
    let micros = nowMicros(ctx.clock);
    return moveOne(ctx, k.live, id, ops, opts, async () => {
      const cur = await mustGet(ctx, k.live, id);
      checkIfMatch(cur, opts);
      micros = nowMicros(ctx.clock);
      return { cur, plan: await plan(cur, micros) };
    }, (tx, journal, p) => write(micros)(tx, journal, p));
  };
  const all = async (ops: string[]) => {
    const micros = nowMicros(ctx.clock);
    await everyRecord(ctx, k.live, ops, (cur) => plan(cur, micros), write(micros), (id) => one(id, ops));
  };
  return { one, all };
}

/** Runs `fn` with a fresh list of operation ids to fill, then waits for them (bounded). */
async function waiting(ctx: Ctx, opts: ArtifactWaitOptions | undefined, fn: (ops: string[]) => Promise<unknown>): Promise<ArtifactWork> {
  const ops: string[] = [];
  await fn(ops);
  return awaitOperations(ctx, ops, opts?.artifactWaitMs);
}

export function deleteLive<L extends Live, D extends Dead>(ctx: Ctx, k: KindSpec<L, D>, id: string, how: DeleteMode, opts?: WriteOptions): Promise<ArtifactWork> {
  return waiting(ctx, opts, (ops) => deletes(ctx, k, how).one(id, ops, opts));
}

/** Every record, in bounded batches; then waits for all their artifact work at once. */
export function deleteAllLive<L extends Live, D extends Dead>(ctx: Ctx, k: KindSpec<L, D>, how: DeleteMode, opts?: ArtifactWaitOptions): Promise<ArtifactWork> {
  return waiting(ctx, opts, (ops) => deletes(ctx, k, how).all(ops));
}

export function deletedResource<L extends Live, D extends Dead>(ctx: Ctx, k: KindSpec<L, D>): DeletedResource<Collections[D]> {
  const purgeStep = { from: k.deleted, action: `purge ${k.what.toLowerCase()}`, work: k.deleted };
  const undeleteStep = { from: k.deleted, to: k.live, action: `undelete ${k.what.toLowerCase()}`, work: k.live };
  const purgePlan = (cur: Stored<Collections[D]>) => k.purge(ctx, cur.data);
  const undeletePlan = async (cur: Stored<Collections[D]>) => (linkOfRecord(cur.data) ? k.undelete(ctx, cur.data) : unchanged(null));
  const writePurge = (tx: RecordTx, journal: Journaler, p: Planned<Collections[D]>) => move(tx, journal, purgeStep, idOf(p.cur), p.cur.version, undefined, p.plan);
  const writeUndelete = (tx: RecordTx, journal: Journaler, p: Planned<Collections[D]>) => {
    const { deleted: _gone, ...live } = withLink(p.cur.data, p.plan) as Collections[D] & { deleted: string };
    return move(tx, journal, undeleteStep, idOf(p.cur), p.cur.version, sortKeys(live), p.plan);
  };
  /** An undelete or purge of one record, once the record's earlier artifact work is settled. */
  const one = (plan: typeof purgePlan, write: typeof writePurge) => async (id: string, ops: string[], opts?: WriteOptions) => {
    await awaitSettled(ctx, id);
    await moveOne(ctx, k.deleted, id, ops, opts, async () => {
      const cur = await mustGet(ctx, k.deleted, id);
      checkIfMatch(cur, opts);
      return { cur, plan: await plan(cur) };
    }, write);
  };
  const purge = one(purgePlan, writePurge);
  const undelete = one(undeletePlan, writeUndelete);
  /**
   * Every deleted record in batches. A record with artifact work still pending goes one by one
   * (it waits for that work); a move journaled after this looked changes the record's version,
   * so its batched write finds it changed and it is redone one by one too.
   */
  const all = async (ops: string[], plan: typeof purgePlan, write: typeof writePurge, single: typeof purge) => {
    const busy = new Set((await ctx.store.journal.list({ state: "pending" })).map((o) => o.recordId));
    await everyRecord(ctx, k.deleted, ops, plan, write, (id) => single(id, ops), busy);
  };
  return {
    list: () => ctx.store.list(k.deleted) as Promise<Stored<Collections[D]>[]>,
    listJson: () => ctx.lists.json(k.deleted),
    get: (id) => mustGet(ctx, k.deleted, id),
    getJson: (id) => mustGetJson(ctx, k.deleted, id),
    delete: (id, opts) => waiting(ctx, opts, (ops) => purge(id, ops, opts)),
    deleteAll: (opts) => waiting(ctx, opts, (ops) => all(ops, purgePlan, writePurge, purge)),
    async undelete(id, body, opts) {
      await mustGet(ctx, k.deleted, id); // 404 is checked before the body
      validateBody(Undelete, body);
      return waiting(ctx, opts, (ops) => undelete(id, ops, opts));
    },
    undeleteAll: (body, opts) =>
      waiting(ctx, opts, async (ops) => {
        validateBody(Undelete, body);
        await all(ops, undeletePlan, writeUndelete, undelete);
      }),
  };
}
