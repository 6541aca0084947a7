/**
 * The change log on SQLite: the store writes a group's changes just before it commits (one
 * writer, so seq order is commit order); reads share the reader connection's turn snapshot.
 */
import type { Database } from "bun:sqlite";
import type { Change, ChangeBounds, ChangeLog, NewChange } from "../../src/changes.ts";
import { CommitWakers } from "../commit-wakers.ts";
import type { Mutex } from "../memory/mutex.ts";
import { retryBusy } from "./connection.ts";
import type { ReadSnapshot } from "./snapshot.ts";

interface ChangeRow {
  seq: number;
  collection: string;
  id: string;
  change: string;
  version: number | null;
  record: string | null;
  record_id: string | null;
  at: number;
}

const toChange = (r: ChangeRow): Change => ({
  seq: r.seq,
  collection: r.collection as Change["collection"],
  id: r.id,
  change: r.change as Change["change"],
  version: r.version,
  record: r.record,
  recordId: r.record_id,
  at: r.at,
});

/** Appends changes on the writer, inside its open transaction. */
export function writeChanges(db: Database, changes: readonly NewChange[], at: number): void {
  if (!changes.length) return;
  const insert = db.query("INSERT INTO changes (collection, id, change, version, record, record_id, at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  for (const c of changes) insert.run(c.collection, c.id, c.change, c.version, c.record, c.recordId, at);
}

/** Rows removed per statement when pruning, so the write lock is never held long. */
const PRUNE_BATCH = 2000;

export class SqliteChangeLog implements ChangeLog {
  readonly #wakers = new CommitWakers();

  constructor(
    private readonly writer: Database,
    private readonly reader: Database,
    private readonly mutex: Mutex,
    private readonly snapshot: ReadSnapshot,
  ) {}

  async after(seq: number, limit: number): Promise<Change[]> {
    return this.snapshot
      .read(() => this.reader.query<ChangeRow, [number, number]>("SELECT * FROM changes WHERE seq > ? ORDER BY seq LIMIT ?").all(seq, limit))
      .map(toChange);
  }

  async bounds(): Promise<ChangeBounds> {
    return this.snapshot.read(
      () =>
        this.reader
          .query<ChangeBounds, []>(
            "SELECT coalesce((SELECT max(seq) FROM changes), 0) AS latest, (SELECT through FROM changes_pruned) AS prunedThrough",
          )
          .get()!,
    );
  }

  onCommit(wake: () => void): () => void {
    return this.#wakers.add(wake);
  }

  /** Called by the store after each commit that wrote changes. */
  readonly committed = this.#wakers.wakeAll;

  async prune(beforeMs: number): Promise<number> {
    let removed = 0;
    for (;;) {
      const n = await this.mutex
        .run(() =>
          retryBusy(() =>
            this.writer.transaction(() => {
              // Each family's newest change stays: it is that family's list version.
              const rows = this.writer
                .query<{ seq: number }, [number, number]>(
                  `DELETE FROM changes WHERE seq IN (
                     SELECT seq FROM changes WHERE at < ? AND seq NOT IN (SELECT max(seq) FROM changes GROUP BY collection) ORDER BY seq LIMIT ?)
                   RETURNING seq`,
                )
                .all(beforeMs, PRUNE_BATCH);
              const through = rows.reduce((m, r) => Math.max(m, r.seq), 0);
              if (through) this.writer.run("UPDATE changes_pruned SET through = max(through, ?)", [through]);
              return rows.length;
            }).immediate(),
          ),
        )
        .finally(this.snapshot.end);
      removed += n;
      if (n < PRUNE_BATCH) return removed;
      await new Promise((r) => setImmediate(r)); // let requests in between batches
    }
  }
}
