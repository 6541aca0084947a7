import type { SQL } from "bun";
import type { JournalSummary, Operation, OperationJournal, OperationState } from "../../src/ports.ts";
import { isStorableKey, unknownOperation } from "../memory/keys.ts";
import type { Mutex } from "../memory/mutex.ts";
import { cutoffText, journalSummary, progressEntries, type ProgressPatch } from "../memory/operations.ts";
import { PROGRESS_COLUMNS, rowToOperation, type OperationRow } from "../sqlite/rows.ts";

/**
 * Single statements through the pool. Writes also take the store's mutex, only so that calling
 * them inside a transaction fails the same way on every adapter.
 */
export class PgJournal implements OperationJournal {
  constructor(
    private readonly sql: SQL,
    private readonly mutex: Mutex,
  ) {}

  /** SKIP LOCKED: a claim racing another (any process) moves on to the next op instead of waiting. */
  claim(workerId: string, nowMs: number, leaseMs: number, onlyId?: string): Promise<Operation | undefined> {
    if (onlyId !== undefined && !isStorableKey(onlyId)) return Promise.resolve(undefined);
    const only = onlyId ?? null;
    return this.mutex.run(async () => {
      const rows: OperationRow[] = await this.sql`UPDATE operations SET lease_until = ${nowMs + leaseMs}::bigint, worker = ${workerId}
        WHERE seq = (SELECT seq FROM operations o WHERE state = 'pending' AND lease_until < ${nowMs}::bigint
                     AND (${only}::text IS NULL OR o.id = ${only}::text)
                     AND NOT EXISTS (SELECT 1 FROM operations p WHERE p.record_id = o.record_id AND p.state = 'pending' AND p.seq < o.seq)
                     ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING *`;
      return rows.map(rowToOperation)[0];
    });
  }

  progress(id: string, patch: ProgressPatch): Promise<void> {
    const entries = progressEntries(patch).map(([f, v]) => [PROGRESS_COLUMNS[f].column, PROGRESS_COLUMNS[f].encode(v)] as const);
    // Column names come from PROGRESS_COLUMNS, never from the caller.
    const sets = entries.length ? entries.map(([column], i) => `${column} = $${i + 2}`).join(", ") : "id = id";
    return this.mutex.run(async () => {
      const rows = isStorableKey(id)
        ? await this.sql.unsafe(`UPDATE operations SET ${sets} WHERE id = $1 RETURNING 1`, [id, ...entries.map(([, v]) => v)])
        : [];
      if (rows.length === 0) throw unknownOperation(id);
    });
  }

  async get(id: string): Promise<Operation | undefined> {
    if (!isStorableKey(id)) return undefined;
    const rows: OperationRow[] = await this.sql`SELECT * FROM operations WHERE id = ${id}`;
    return rows.map(rowToOperation)[0];
  }

  async list(filter: { state?: OperationState; recordId?: string } = {}): Promise<Operation[]> {
    if (filter.recordId !== undefined && !isStorableKey(filter.recordId)) return [];
    const state = filter.state ?? null;
    const recordId = filter.recordId ?? null;
    const rows: OperationRow[] = await this.sql`SELECT * FROM operations
      WHERE (${state}::text IS NULL OR state = ${state}) AND (${recordId}::text IS NULL OR record_id = ${recordId})
      ORDER BY seq`;
    return rows.map(rowToOperation);
  }

  /** Counts by state; the oldest pending through operations_runnable (seq, partial on pending). */
  async summary(): Promise<JournalSummary> {
    const counts: { state: string; n: string }[] = await this.sql`SELECT state, COUNT(*) AS n FROM operations GROUP BY state`;
    const oldest: { body: string }[] = await this.sql`SELECT body FROM operations WHERE state = 'pending' ORDER BY seq LIMIT 1`;
    return journalSummary(counts, oldest[0] ? (JSON.parse(oldest[0].body) as { created: string }).created : null);
  }

  /** COLLATE "C": bytes, as cutoffText needs, whatever the database's collation; operations_done serves it. */
  prune(doneBeforeIso: string): Promise<number> {
    return this.mutex.run(async () => {
      const before = cutoffText(doneBeforeIso);
      const rows = await this.sql`DELETE FROM operations WHERE state = 'done' AND updated COLLATE "C" < ${before} RETURNING 1`;
      return rows.length;
    });
  }

  /** The idempotency table's retention, here because it is written the same way; its column is COLLATE "C". */
  pruneIdempotent(createdBeforeIso: string): Promise<number> {
    return this.mutex.run(async () => {
      const before = cutoffText(createdBeforeIso);
      const rows = await this.sql`DELETE FROM idempotency WHERE created < ${before} RETURNING 1`;
      return rows.length;
    });
  }
}
