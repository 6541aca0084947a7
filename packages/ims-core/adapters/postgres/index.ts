/** RecordStore on PostgreSQL through Bun's built-in client (Bun.SQL). */
import { SQL } from "bun";
import { ImsError } from "../../src/errors.ts";
import type { RecordStore } from "../../src/ports.ts";
import { Mutex } from "../memory/mutex.ts";
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
  const store = options.readOnly ? readOnlyStore(sql, options.url) : readWriteStore(sql);
  // A lost server is an "unavailable" error on every call (the journal's too); the pool
  // reconnects when it is back.
  return guarded(store, rethrow(whereOf(options.url)));
}

function readWriteStore(sql: SQL): RecordStore {
  const reader = new PgReader(sql);
  // Queues this process's transactions so they wait here, not holding pool connections.
  const mutex = new Mutex();
  const journal = new PgJournal(sql, mutex);
  let closed = false;
  const store: RecordStore = {
    ...readerMethods(reader),
    journal,
    pruneIdempotent: (createdBeforeIso) => journal.pruneIdempotent(createdBeforeIso),
    transaction: (fn) =>
      mutex.run(async () => {
        // Boxed: sql.begin would await a returned array of promises.
        const box = await sql.begin(async (t) => {
          await t.unsafe(`SELECT ${TRANSACTION_LOCK}`);
          const tx = new PgTx(t);
          try {
            return { value: await fn(tx) };
          } finally {
            tx.end();
          }
        });
        return box.value;
      }),
    close: () =>
      mutex.run(async () => {
        if (closed) return;
        closed = true;
        await sql.close();
      }),
  };
  return store;
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

function readOnlyStore(sql: SQL, url: string): RecordStore {
  const journal = new PgJournal(sql, new Mutex()); // its writes fail: the connections are read-only
  return {
    ...readerMethods(new PgReader(sql)),
    journal,
    pruneIdempotent: (before) => journal.pruneIdempotent(before),
    transaction: () => Promise.reject(new Error(`The PostgreSQL store at ${whereOf(url)} was opened read-only.`)),
    close: () => sql.close(),
  };
}
