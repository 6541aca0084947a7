/**
 * Retention, run by the artifact worker so the operation journal, the Idempotency-Key table and
 * the change log do not grow forever. Every replica prunes; the deletes are idempotent, so that is harmless.
 */
import type { Logger } from "../context.ts";
import type { Clock, RecordStore } from "../ports.ts";
import { isoNaive } from "../time.ts";

const HOUR = 3_600_000;

export interface RetentionOptions {
  /** How often the worker prunes; default 1 h. */
  pruneIntervalMs?: number;
  /** How long done operations stay listed (GET /operations); default 30 days. */
  operationRetentionMs?: number;
  /** How long an Idempotency-Key replays its first answer; default 24 h. */
  idempotencyTtlMs?: number;
  /** How long committed changes stay in the change log (events can be replayed); default 24 h. */
  changeRetentionMs?: number;
}

/** Returns `prune`: does the work when pruneIntervalMs has passed since the last time, else nothing. Never throws. */
export function createPruner(o: RetentionOptions & { store: RecordStore; clock: Clock; log: Logger }): () => Promise<void> {
  const interval = o.pruneIntervalMs ?? HOUR;
  const operationRetention = o.operationRetentionMs ?? 30 * 24 * HOUR;
  const idempotencyTtl = o.idempotencyTtlMs ?? 24 * HOUR;
  const changeRetention = o.changeRetentionMs ?? 24 * HOUR;
  let last = -Infinity;

  async function run(what: string, before: string, prune: (before: string) => Promise<number>) {
    try {
      const count = await prune(before);
      if (count > 0) o.log.info(`pruned ${what}`, { count, before });
    } catch (e) {
      o.log.error(`cannot prune ${what}`, { before, error: String(e) });
    }
  }

  return async () => {
    const now = o.clock.now().getTime();
    // abs: a clock set back must not stop pruning until it catches up again.
    if (Math.abs(now - last) < interval) return;
    last = now; // a failed prune waits for the next interval too, instead of logging every poll
    await run("done artifact operations", isoNaive(new Date(now - operationRetention)), (b) => o.store.journal.prune(b));
    await run("idempotency results", isoNaive(new Date(now - idempotencyTtl)), (b) => o.store.pruneIdempotent(b));
    await run("changes (events)", isoNaive(new Date(now - changeRetention)), () => o.store.changes.prune(now - changeRetention));
  };
}
