import type { Database } from "bun:sqlite";
import type { JournalSummary, Operation, OperationJournal, OperationState } from "../../src/ports.ts";
import { isStorableKey, unknownOperation } from "../memory/keys.ts";
import type { Mutex } from "../memory/mutex.ts";
import { cutoffText, journalSummary, progressEntries, type ProgressPatch } from "../memory/operations.ts";
import { ChangeRecorder } from "../change-recorder.ts";
import { writeChanges } from "./changes.ts";
import { retryBusy } from "./connection.ts";
import { PROGRESS_COLUMNS, rowToOperation, type OperationRow } from "./rows.ts";
import type { ReadSnapshot } from "./snapshot.ts";

/**
 * Writes are single statements on the writer connection, taken under the store's mutex so they
 * never land inside a transaction that connection has open. Reads use the reader connection
 * (inside the turn's shared snapshot when one is open, which every write here ends).
 */
export class SqliteJournal implements OperationJournal {
  constructor(
    private readonly writer: Database,
    private readonly reader: Database,
    private readonly mutex: Mutex,
    private readonly snapshot?: ReadSnapshot,
    /** Told after a committed change of state. */
    private readonly changed: () => void = () => {},
  ) {}

  claim(workerId: string, nowMs: number, leaseMs: number, onlyId?: string): Promise<Operation | undefined> {
    if (onlyId !== undefined && !isStorableKey(onlyId)) return Promise.resolve(undefined);
    const claim = this.writer.query<OperationRow, [number, string, number, string | null, string | null]>(
      `UPDATE operations SET lease_until = ?, worker = ?
       WHERE seq = (SELECT seq FROM operations o WHERE state = 'pending' AND lease_until < ? AND (? IS NULL OR o.id = ?)
         AND NOT EXISTS (SELECT 1 FROM operations p WHERE p.record_id = o.record_id AND p.state = 'pending' AND p.seq < o.seq)
         ORDER BY seq LIMIT 1)
       RETURNING *`,
    );
    return this.mutex.run(() => retryBusy(() => claim.all(nowMs + leaseMs, workerId, nowMs, onlyId ?? null, onlyId ?? null).map(rowToOperation)[0])).finally(this.snapshot?.end);
  }

  /** A change of state is logged as a change (an event), in the same transaction as the update. */
  progress(id: string, patch: ProgressPatch): Promise<void> {
    const entries = progressEntries(patch).map(([f, v]) => [PROGRESS_COLUMNS[f].column, PROGRESS_COLUMNS[f].encode(v)] as const);
    const sets = entries.length ? entries.map(([column]) => `${column} = ?`).join(", ") : "id = id";
    const update = this.writer.query<OperationRow, [string]>(`UPDATE operations SET ${sets} WHERE id = ? RETURNING *`);
    const values = [...entries.map(([, v]) => v), id] as [string];
    const logged = patch.state !== undefined;
    const write = this.writer.transaction(() => {
      const row = update.get(...values);
      if (row && logged) {
        const recorder = new ChangeRecorder();
        recorder.operation(rowToOperation(row));
        writeChanges(this.writer, recorder.changes, Date.now());
      }
      return row !== null;
    });
    return this.mutex.run(async () => {
      const found = isStorableKey(id) && (await retryBusy(() => write.immediate()));
      if (!found) throw unknownOperation(id);
      if (logged) this.changed();
    }).finally(this.snapshot?.end);
  }

  async get(id: string): Promise<Operation | undefined> {
    if (!isStorableKey(id)) return undefined;
    const row = this.reader.query<OperationRow, [string]>("SELECT * FROM operations WHERE id = ?").get(id);
    return row ? rowToOperation(row) : undefined;
  }

  async list(filter: { state?: OperationState; recordId?: string } = {}): Promise<Operation[]> {
    if (filter.recordId !== undefined && !isStorableKey(filter.recordId)) return [];
    const rows = this.reader
      .query<OperationRow, [string | null, string | null, string | null, string | null]>(
        `SELECT * FROM operations WHERE (? IS NULL OR state = ?) AND (? IS NULL OR record_id = ?) ORDER BY seq`,
      )
      .all(filter.state ?? null, filter.state ?? null, filter.recordId ?? null, filter.recordId ?? null);
    return rows.map(rowToOperation);
  }

  /** Counts from the state index; the oldest pending by seq (pending operations are few). */
  async summary(): Promise<JournalSummary> {
    const counts = this.reader.query<{ state: string; n: number }, []>("SELECT state, COUNT(*) AS n FROM operations GROUP BY state").all();
    const oldest = this.reader.query<{ body: string }, []>("SELECT body FROM operations WHERE state = 'pending' ORDER BY seq LIMIT 1").get();
    return journalSummary(counts, oldest ? (JSON.parse(oldest.body) as { created: string }).created : null);
  }

  /** One statement; `updated` is JSON text, compared as bytes (see cutoffText), served by operations_done. */
  prune(doneBeforeIso: string): Promise<number> {
    const remove = this.writer.query("DELETE FROM operations WHERE state = 'done' AND updated < ?");
    return this.mutex
      .run(async () => {
        const before = cutoffText(doneBeforeIso);
        return (await retryBusy(() => remove.run(before))).changes;
      })
      .finally(this.snapshot?.end);
  }

  /** The idempotency table's retention, here because it is written the same way (see the class comment). */
  pruneIdempotent(createdBeforeIso: string): Promise<number> {
    const remove = this.writer.query("DELETE FROM idempotency WHERE created < ?");
    return this.mutex
      .run(async () => {
        const before = cutoffText(createdBeforeIso);
        return (await retryBusy(() => remove.run(before))).changes;
      })
      .finally(this.snapshot?.end);
  }
}
