/** RecordStore on a SQLite file (bun:sqlite): one writer connection plus one reader, WAL mode. */
import type { RecordStore } from "../../src/ports.ts";
import { Mutex } from "../memory/mutex.ts";
import { inTransaction, openReader, openWriter } from "./connection.ts";
import { SqliteJournal } from "./journal.ts";
import { migrate } from "./migrate.ts";
import { migrations } from "./migrations.ts";
import { SqliteReader } from "./reader.ts";
import { ReadSnapshot } from "./snapshot.ts";
import { SqliteTx } from "./tx.ts";
import { readerMethods } from "../reader-methods.ts";

export async function openSqliteStore(options: { filename: string }): Promise<RecordStore> {
  const { filename } = options;
  if (filename === "" || filename === ":memory:") {
    // Reads outside transactions need a second connection on the same file.
    throw new Error(`SQLite store needs a file path, not ${JSON.stringify(filename)}; use the memory adapter for a throwaway store`);
  }
  const writer = await openWriter(filename);
  try {
    await migrate(writer, migrations);
  } catch (e) {
    writer.close();
    throw e;
  }
  const readerDb = openReader(filename);
  const snapshot = new ReadSnapshot(readerDb);
  const reader = new SqliteReader(readerDb, snapshot);
  const mutex = new Mutex(); // one transaction at a time on the writer connection
  const journal = new SqliteJournal(writer, readerDb, mutex, snapshot);
  let closed = false;
  return {
    ...readerMethods(reader),
    journal,
    pruneIdempotent: (createdBeforeIso) => journal.pruneIdempotent(createdBeforeIso),
    transaction: (fn) =>
      mutex.run(() => {
        const tx = new SqliteTx(writer);
        // Ended after commit or rollback: the next read must see this transaction's outcome.
        return inTransaction(writer, () => fn(tx), () => tx.end()).finally(snapshot.end);
      }),
    close: () =>
      mutex.run(async () => {
        if (closed) return;
        closed = true;
        snapshot.end();
        readerDb.close();
        writer.close();
      }),
  };
}
