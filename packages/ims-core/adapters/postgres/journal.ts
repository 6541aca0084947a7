import type { SQL } from "bun";
import type { JournalSummary, Operation, OperationJournal, OperationState } from "../../src/ports.ts";
import { isStorableKey, unknownOperation } from "../memory/keys.ts";
import type { Mutex } from "../memory/mutex.ts";
import { cutoffText, journalSummary, progressEntries, type ProgressPatch } from "../memory/operations.ts";
import { PROGRESS_COLUMNS, rowToOperation, type OperationRow } from "../sqlite/rows.ts";
import { ChangeRecorder } from "../change-recorder.ts";
import { writeChanges } from "./changes.ts";
import { TRANSACTION_LOCK } from "./locks.ts";

/**
 * Single statements through the pool. Writes also take the store's mutex, only so that calling
 * them inside a transaction fails the same way on every adapter.
 */
export class PgJournal implements OperationJournal {
  constructor(
    private readonly sql: SQL,
    private readonly mutex: Mutex,
    /** Told after a committed change of state. */
    private readonly changed: () => void = () => {},
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

  /**
   * A change of state is logged as a change (an event) in the same transaction, under the
   * transaction lock like every other change, so changes stay in commit order.
   */
  progress(id: string, patch: ProgressPatch): Promise<void> {
    const entries = progressEntries(patch).map(([f, v]) => [PROGRESS_COLUMNS[f].column, PROGRESS_COLUMNS[f].encode(v)] as const);
    // Column names come from PROGRESS_COLUMNS, never from the caller.
    const sets = entries.length ? entries.map(([column], i) => `${column} = $${i + 2}`).join(", ") : "id = id";
    const update = (sql: SQL): Promise<OperationRow[]> => sql.unsafe(`UPDATE operations SET ${sets} WHERE id = $1 RETURNING *`, [id, ...entries.map(([, v]) => v)]);
    return this.mutex.run(async () => {
      if (!isStorableKey(id)) throw unknownOperation(id);
      if (patch.state === undefined) {
        if ((await update(this.sql)).length === 0) throw unknownOperation(id);
        return;
      }
      await this.sql.begin(async (t) => {
        await t.unsafe(`SELECT ${TRANSACTION_LOCK}`);
        const [row] = await update(t);
        if (!row) throw unknownOperation(id);
        const recorder = new ChangeRecorder();
        recorder.operation(rowToOperation(row));
        await writeChanges(t, recorder.changes, Date.now());
      });
      this.changed();
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
