/** RecordStore on PostgreSQL through Bun's built-in client (Bun.SQL). */
import { SQL } from "bun";
import { ImsError } from "../../src/errors.ts";
import type { RecordStore } from "../../src/ports.ts";
import { groupCommit, type GroupSession } from "../group-commit.ts";
import { Mutex } from "../memory/mutex.ts";
import { BatchedGets } from "./batched-gets.ts";
import { PgChangeLog, writeChanges } from "./changes.ts";
import { PgJournal } from "./journal.ts";
import { TRANSACTION_LOCK } from "./locks.ts";
import { migrate } from "./migrate.ts";
import { migrations } from "./migrations.ts";
import { PgReader } from "./reader.ts";
import { PgTx } from "./tx.ts";
import { readerMethods } from "../reader-methods.ts";
import { guarded, rethrow } from "./unavailable.ts";

/** Seconds to wait for a connection: an unreachable server must not hold requests forever. */
const CONNECT_TIMEOUT_S = 10;

export interface PostgresStoreOptions {
  url: string;
  maxConnections?: number;
  /**
   * Read only: no migrations and no writes (transactions throw). A database without IMS tables
   * is not_found.
   */
  readOnly?: boolean;
  /** Where trouble that is not an error of a call is reported (a failed LISTEN). Default console.warn. */
  warn?: (message: string) => void;
}

/**
 * One transaction on a connection of its own. Round trips are what a group costs, so statements
 * that need no answer first are pipelined behind the next: BEGIN with the transaction lock (taken
 * first by every transaction: transactions never interleave, in one process or many), each
 * SAVEPOINT with its transaction's first statement, the changes with COMMIT. A failure in any of
 * them still fails the group (a COMMIT after a failed statement only rolls back).
 */
async function session(sql: SQL): Promise<GroupSession<PgTx>> {
  const conn = await sql.reserve();
  let held = true;
  const release = () => {
    if (held) conn.release();
    held = false;
  };
  const rollback = async () => {
    try {
      await conn.unsafe("ROLLBACK");
    } finally {
      release();
    }
  };
  try {
    await conn.unsafe(`BEGIN; SELECT ${TRANSACTION_LOCK}`).simple();
  } catch (e) {
    await rollback().catch(() => {});
    throw e;
  }
  let savepoint: Promise<unknown> = Promise.resolve();
  return {
    tx: () => new PgTx(conn),
    savepoint: async () => {
      savepoint = conn.unsafe("SAVEPOINT g");
      savepoint.catch(() => {}); // awaited before the group's next step; a failure fails the group
    },
    // Nothing to gain on PostgreSQL: a released savepoint still counts as a subtransaction.
    release: async () => {},
    undo: async () => {
      await savepoint;
      await conn.unsafe("ROLLBACK TO SAVEPOINT g");
    },
    async commit(changes) {
      await Promise.all([savepoint, writeChanges(conn, changes, Date.now()), conn.unsafe("COMMIT")]);
      release();
    },
    abort: rollback,
  };
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<RecordStore> {
  // Read only at the server too: every transaction of these connections refuses writes.
  const readOnly = options.readOnly ? { connection: { default_transaction_read_only: "on" } } : {};
  const sql = new SQL({ url: options.url, max: options.maxConnections ?? 10, connectionTimeout: CONNECT_TIMEOUT_S, ...readOnly });
  try {
    if (!options.readOnly) await migrate(sql, migrations);
    else if (!(await hasRecordsTable(sql))) throw new ImsError("not_found", `No IMS database at ${whereOf(options.url)}: it has no IMS tables.`);
  } catch (e) {
    await sql.close();
    if (e instanceof ImsError) throw e;
    throw new Error(`Cannot open the PostgreSQL store at ${whereOf(options.url)}: ${(e as Error).message}`, { cause: e });
  }
  const warn = options.warn ?? ((m: string) => console.warn(`postgres: ${m}`));
  const store = options.readOnly ? readOnlyStore(sql, options.url, warn) : readWriteStore(sql, warn);
  // A lost server is an "unavailable" error on every call (the journal's too); the pool
  // reconnects when it is back.
  return guarded(store, rethrow(whereOf(options.url)));
}

function readWriteStore(sql: SQL, warn: (message: string) => void): RecordStore {
  const reader = new PgReader(sql, new BatchedGets(sql));
  // Queues this process's transactions so they wait here, not holding pool connections.
  const mutex = new Mutex();
  const changes = new PgChangeLog(sql, mutex, warn);
  const journal = new PgJournal(sql, mutex, changes.committed);
  let closed = false;
  return {
    ...readerMethods(reader),
    journal,
    changes,
    pruneIdempotent: (createdBeforeIso) => journal.pruneIdempotent(createdBeforeIso),
    // 64: beyond that many subtransactions a PostgreSQL backend's cache overflows, which slows
    // every other session's snapshots for as long as the transaction runs.
    transaction: groupCommit(mutex, () => session(sql), changes.committed, { maxGroup: 64 }),
    close: () =>
      mutex.run(async () => {
        if (closed) return;
        closed = true;
        await changes.close();
        await sql.close();
      }),
  };
}

/** host:port/database of a URL: never the user or the password. */
export function whereOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "5432"}${u.pathname.length > 1 ? u.pathname : ""}`;
  } catch {
    return "the configured URL";
  }
}

async function hasRecordsTable(sql: SQL): Promise<boolean> {
  const [row]: { present: boolean }[] = await sql`SELECT to_regclass('records') IS NOT NULL AS present`;
  return row!.present;
}

function readOnlyStore(sql: SQL, url: string, warn: (message: string) => void): RecordStore {
  const mutex = new Mutex();
  const changes = new PgChangeLog(sql, mutex, warn);
  const journal = new PgJournal(sql, mutex, changes.committed); // its writes fail: the connections are read-only
  return {
    ...readerMethods(new PgReader(sql, new BatchedGets(sql))),
    journal,
    changes,
    pruneIdempotent: (before) => journal.pruneIdempotent(before),
    transaction: () => Promise.reject(new Error(`The PostgreSQL store at ${whereOf(url)} was opened read-only.`)),
    close: async () => {
      await changes.close();
      await sql.close();
    },
  };
}
