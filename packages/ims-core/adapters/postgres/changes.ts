/**
 * The change log on PostgreSQL. A group's changes go in with one statement just before COMMIT,
 * under the transaction lock every writer takes first, so seq order is commit order across
 * replicas; the same statement NOTIFYs, which PostgreSQL delivers on commit and drops on
 * rollback. Every replica LISTENs, so a change committed anywhere wakes readers everywhere.
 */
import type { SQL } from "bun";
import type { Change, ChangeBounds, ChangeLog, NewChange } from "../../src/changes.ts";
import { CommitWakers } from "../commit-wakers.ts";
import type { Mutex } from "../memory/mutex.ts";

export const CHANGES_CHANNEL = "ims_changes";

interface ChangeRow {
  seq: string | number;
  collection: string;
  id: string;
  change: string;
  version: number | null;
  record: string | null;
  record_id: string | null;
  at: string | number;
}

const toChange = (r: ChangeRow): Change => ({
  seq: Number(r.seq),
  collection: r.collection as Change["collection"],
  id: r.id,
  change: r.change as Change["change"],
  version: r.version,
  record: r.record,
  recordId: r.record_id,
  at: Number(r.at),
});

/** Appends changes (in order) on a transaction's connection and notifies the listeners. */
export async function writeChanges(sql: SQL, changes: readonly NewChange[], at: number): Promise<void> {
  if (!changes.length) return;
  const col = <K extends keyof NewChange>(k: K) => changes.map((c) => c[k]);
  await sql`WITH added AS (
      INSERT INTO changes (collection, id, change, version, record, record_id, at)
      SELECT collection, id, change, version, record, record_id, ${at}::bigint
      FROM unnest(${sql.array(col("collection"), "TEXT")}::text[], ${sql.array(col("id"), "TEXT")}::text[],
                  ${sql.array(col("change"), "TEXT")}::text[], ${sql.array(col("version"), "INT")}::int[],
                  ${sql.array(col("record"), "TEXT")}::text[], ${sql.array(col("recordId"), "TEXT")}::text[])
        WITH ORDINALITY AS c(collection, id, change, version, record, record_id, n)
      ORDER BY n
      RETURNING seq)
    SELECT pg_notify(${CHANGES_CHANNEL}, max(seq)::text) FROM added`;
}

const PRUNE_BATCH = 5000;

export class PgChangeLog implements ChangeLog {
  readonly #wakers = new CommitWakers();
  #listening: Promise<SQL.ListenSubscription | undefined> | undefined;

  constructor(
    private readonly sql: SQL,
    private readonly mutex: Mutex,
    /** Where a LISTEN that cannot be set up is reported (readers then only see this replica's commits at once). */
    private readonly warn: (message: string) => void,
  ) {}

  async after(seq: number, limit: number): Promise<Change[]> {
    const rows: ChangeRow[] = await this.sql`SELECT * FROM changes WHERE seq > ${seq}::bigint ORDER BY seq LIMIT ${limit}`;
    return rows.map(toChange);
  }

  async bounds(): Promise<ChangeBounds> {
    const [row]: { latest: string; pruned: string }[] = await this.sql`SELECT coalesce((SELECT max(seq) FROM changes), 0) AS latest,
      (SELECT through FROM changes_pruned) AS pruned`;
    return { latest: Math.max(Number(row!.latest), Number(row!.pruned)), prunedThrough: Number(row!.pruned) };
  }

  onCommit(wake: () => void): () => void {
    const remove = this.#wakers.add(wake);
    this.#listening ??= this.sql.listen(CHANGES_CHANNEL, this.committed).catch((e) => {
      this.warn(`cannot LISTEN for other replicas' changes (${(e as Error).message}); they are seen at the next poll`);
      this.#listening = undefined;
      return undefined;
    });
    return remove;
  }

  /** This replica committed changes, or another one did (NOTIFY). */
  readonly committed = this.#wakers.wakeAll;

  async prune(beforeMs: number): Promise<number> {
    let removed = 0;
    for (;;) {
      const n = await this.mutex.run(() =>
        this.sql.begin(async (t) => {
          // Each family's newest change stays: it is that family's list version.
          const rows: { seq: string }[] = await t`DELETE FROM changes WHERE seq IN (
              SELECT seq FROM changes WHERE at < ${beforeMs}::bigint
                AND seq NOT IN (SELECT max(seq) FROM changes GROUP BY collection) ORDER BY seq LIMIT ${PRUNE_BATCH})
            RETURNING seq`;
          const through = rows.reduce((m, r) => Math.max(m, Number(r.seq)), 0);
          if (through) await t`UPDATE changes_pruned SET through = greatest(through, ${through}::bigint)`;
          return rows.length;
        }),
      );
      removed += n;
      if (n < PRUNE_BATCH) return removed;
    }
  }

  /** Stops listening (before the pool closes). */
  async close(): Promise<void> {
    const subscription = await this.#listening;
    this.#listening = undefined;
    await subscription?.unlisten().catch(() => {});
  }
}
