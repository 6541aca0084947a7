/** RecordStore on PostgreSQL through Bun's built-in client (Bun.SQL). */
import { SQL } from "bun";
import type { RecordStore } from "../../src/ports.ts";
import { Mutex } from "../memory/mutex.ts";
import { PgJournal } from "./journal.ts";
import { TRANSACTION_LOCK } from "./locks.ts";
import { migrate } from "./migrate.ts";
import { migrations } from "./migrations.ts";
import { reportingOutages } from "./outage.ts";
import { PgReader } from "./reader.ts";
import { PgTx } from "./tx.ts";
import { readerMethods } from "../reader-methods.ts";

export async function openPostgresStore(options: { url: string; maxConnections?: number }): Promise<RecordStore> {
  const sql = new SQL({ url: options.url, max: options.maxConnections ?? 10 });
  try {
    await migrate(sql, migrations);
  } catch (e) {
    await sql.close();
    // The URL is left out: it may hold a password.
    throw new Error(`Cannot open the PostgreSQL store: ${(e as Error).message}`, { cause: e });
  }
  const reader = new PgReader(sql);
  // Queues this process's transactions so they wait here, not holding pool connections.
  const mutex = new Mutex();
  const journal = reportingOutages(new PgJournal(sql, mutex), ["claim", "progress", "get", "list", "prune", "pruneIdempotent"]);
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
  return reportingOutages(store, ["get", "getJson", "list", "listJson", "count", "transaction", "pruneIdempotent"]);
}
