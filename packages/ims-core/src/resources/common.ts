/** Pieces every resource shares: lookups, guarded writes, journaling, waiting for artifact work. */
import { ImsError, notFound } from "../errors.ts";
import { isoNaive } from "../time.ts";
import type { Ctx } from "../context.ts";
import type { Collection, Collections } from "../records.ts";
import type { ArtifactStep, RecordTx, Stored, StoredJson } from "../ports.ts";
import type { WriteOptions } from "../service-types.ts";

export async function mustGet<C extends Collection>(ctx: Ctx, c: C, id: string): Promise<Stored<Collections[C]>> {
  const found = await ctx.store.get(c, id);
  if (!found) throw notFound();
  return found;
}

export async function mustGetJson(ctx: Ctx, c: Collection, id: string): Promise<StoredJson> {
  const found = await ctx.store.getJson(c, id);
  if (!found) throw notFound();
  return found;
}

/** A stale If-Match is a 412 before anything else happens. */
export function checkIfMatch(current: Stored<unknown>, opts?: WriteOptions): void {
  if (opts?.ifVersion !== undefined && opts.ifVersion !== current.version) {
    throw new ImsError("precondition_failed", `The record has changed (version ${current.version}, If-Match named ${opts.ifVersion}); fetch it again.`);
  }
}

export const STALE = Symbol("stale");

/**
 * Runs read-plan-write until the write's version guard holds. With If-Match the first stale
 * write is a 412; without it the work is redone on the fresh record (last writer wins, as
 * upstream behaves, but never on a half-seen record).
 */
export async function guarded<T>(opts: WriteOptions | undefined, attempt: () => Promise<T | typeof STALE>): Promise<T> {
  for (let i = 0; i < 8; i++) {
    const r = await attempt();
    if (r !== STALE) return r;
    if (opts?.ifVersion !== undefined) throw new ImsError("precondition_failed", "The record was changed by another request; fetch it again.");
  }
  throw new ImsError("conflict", "The record kept changing under concurrent requests; try again.");
}

/**
 * Commits `fn` and wakes the worker when artifact work was journaled; the ids of operations
 * that committed are added to `operations` when given.
 */
export async function commit<T>(ctx: Ctx, fn: (tx: RecordTx, journal: Journaler) => Promise<T>, operations?: string[]): Promise<T> {
  let queued: string[] = [];
  const result = await ctx.store.transaction((tx) => {
    queued = []; // a retried transaction journals afresh
    return fn(tx, async (action, collection, recordId, steps) => {
      if (!steps.length) return;
      const id = ctx.ids.uuid();
      await tx.enqueue({ id, action, collection, recordId, steps, created: isoNaive(ctx.clock.now()) });
      queued.push(id);
    });
  });
  if (queued.length) {
    operations?.push(...queued);
    ctx.kick();
  }
  return result;
}

export type Journaler = (action: string, collection: Collection, recordId: string, steps: ArtifactStep[]) => Promise<void>;

/**
 * An undelete or purge must not plan from objects an earlier operation is still moving.
 * Wait (bounded) for the record's pending operations; past the bound answer 409.
 */
export async function awaitSettled(ctx: Ctx, recordId: string): Promise<void> {
  const deadline = Date.now() + ctx.config.settleTimeoutMs;
  for (;;) {
    const pending = await ctx.store.journal.list({ recordId, state: "pending" });
    if (!pending.length) return;
    if (Date.now() >= deadline) {
      const op = pending[0]!;
      throw new ImsError(
        "conflict",
        `Artifact operation ${op.id} (${op.action}) for this record is still running (step ${op.nextStep + 1} of ${op.steps.length}${op.lastError ? `, last error: ${op.lastError}` : ""}); retry later.`,
      );
    }
    ctx.kick();
    await new Promise((r) => setTimeout(r, 50));
  }
}
