/**
 * Group commit, for the SQL adapters: transactions that arrive together (in one event-loop turn,
 * or while an earlier group runs) share one database transaction and so one durable commit.
 * Each runs in its own savepoint, so one that throws is undone alone and fails alone; every
 * caller is answered only after the group committed. They still run one after the other, in
 * call order, each seeing the writes of those before it: exactly as if committed one by one.
 */
import type { NewChange } from "../src/changes.ts";
import type { ChangeRecorder } from "./change-recorder.ts";
import { reentrant, type Mutex } from "./memory/mutex.ts";

/** A bigger group would hold the write lock (and the answers) too long. */
const MAX_GROUP = 256;

export interface GroupOptions {
  /** At most this many transactions per group (default 256). */
  maxGroup?: number;
}

export interface GroupTx {
  readonly recorder: ChangeRecorder;
  /** The transaction is over for this caller: later use throws. */
  end(): void;
}

/** One database transaction, as the adapter runs it. */
export interface GroupSession<Tx extends GroupTx> {
  tx(): Tx;
  savepoint(): Promise<void>;
  /** The transaction since the savepoint succeeded: its savepoint may go (SQLite: nested ones slow every write). */
  release(): Promise<void>;
  /** Undoes everything since the last savepoint. */
  undo(): Promise<void>;
  /** Writes the group's changes and commits. */
  commit(changes: NewChange[]): Promise<void>;
  /** After any failure: rolls back and frees the connection. */
  abort(): Promise<void>;
}

interface Entry {
  fn: (tx: never) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { entry: Entry; ok: true; value: unknown } | { entry: Entry; ok: false; error: unknown };

/**
 * Returns the store's `transaction`. Groups run under `mutex` (so journal writes take turns with
 * them); `begin` opens a session (BEGIN, locks); `committed` runs after each commit that wrote changes.
 */
export function groupCommit<Tx extends GroupTx>(mutex: Mutex, begin: () => Promise<GroupSession<Tx>>, committed: () => void, options: GroupOptions = {}) {
  const maxGroup = options.maxGroup ?? MAX_GROUP;
  const queue: Entry[] = [];
  let scheduled = false;

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    // After the turn: every request that arrived in it has queued its transaction by then.
    // Scheduled from inside a running group too (more queued than one group takes): outside().
    mutex.outside(() => setImmediate(() => void mutex.run(runGroup).catch(failQueued)));
  };

  /** runGroup answers every caller itself; only a mutex that refuses to run it lands here. */
  const failQueued = (error: unknown) => {
    for (const entry of queue.splice(0)) entry.reject(error);
  };

  async function runGroup(): Promise<void> {
    scheduled = false;
    const group = queue.splice(0, maxGroup);
    if (queue.length) schedule();
    if (!group.length) return;
    const outcomes: Outcome[] = [];
    const changes: NewChange[] = [];
    let session: GroupSession<Tx> | undefined;
    try {
      session = await begin();
      const many = group.length > 1;
      for (const entry of group) {
        if (many) await session.savepoint();
        const tx = session.tx();
        try {
          const value = await entry.fn(tx as never);
          tx.end();
          if (many) await session.release();
          outcomes.push({ entry, ok: true, value });
          changes.push(...tx.recorder.changes);
        } catch (error) {
          tx.end();
          if (!many) throw error;
          await session.undo();
          outcomes.push({ entry, ok: false, error });
        }
      }
      await session.commit(changes);
    } catch (error) {
      await session?.abort().catch(() => {});
      // Nothing of the group committed: each fails, with its own error where it had one.
      const own = new Map(outcomes.map((o) => [o.entry, o]));
      for (const entry of group) {
        const o = own.get(entry);
        entry.reject(o && !o.ok ? o.error : error);
      }
      return;
    }
    for (const o of outcomes) {
      if (o.ok) o.entry.resolve(o.value);
      else o.entry.reject(o.error);
    }
    if (changes.length) committed();
  }

  return function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (mutex.inside) return Promise.reject(reentrant());
    return new Promise<T>((resolve, reject) => {
      queue.push({ fn: fn as Entry["fn"], resolve: resolve as Entry["resolve"], reject });
      schedule();
    });
  };
}
