/** RecordStore on a SQLite file (bun:sqlite): one writer connection plus one reader, WAL mode. */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type { Database } from "bun:sqlite";
import { ImsError } from "../../src/errors.ts";
import type { RecordStore } from "../../src/ports.ts";
import { Mutex } from "../memory/mutex.ts";
import { inTransaction, openQueryOnly, openReader, openWriter } from "./connection.ts";
import { SqliteJournal } from "./journal.ts";
import { migrate } from "./migrate.ts";
import { migrations } from "./migrations.ts";
import { SqliteReader } from "./reader.ts";
import { ReadSnapshot } from "./snapshot.ts";
import { SqliteTx } from "./tx.ts";
import { readerMethods } from "../reader-methods.ts";

export interface SqliteStoreOptions {
  filename: string;
  /** Create the database file when it is missing (default true); false: a missing file is not_found. */
  create?: boolean;
  /**
   * Also create the file's missing parent directories (default true). A process that takes the
   * path from its user passes false for any path but its own default, so a mistyped path fails
   * instead of growing a new directory tree with an empty database in it.
   */
  createParents?: boolean;
  /**
   * Read only: no migrations and no writes (transactions throw), nothing left behind on disk. A
   * missing file, or one without IMS tables, is not_found.
   */
  readOnly?: boolean;
}

export async function openSqliteStore(options: SqliteStoreOptions): Promise<RecordStore> {
  const { filename } = options;
  if (filename === "" || filename === ":memory:") {
    // Reads outside transactions need a second connection on the same file.
    throw new Error(`SQLite store needs a file path, not ${JSON.stringify(filename)}; use the memory adapter for a throwaway store`);
  }
  checkPath(filename, options);
  try {
    return options.readOnly ? openReadOnly(filename) : await openReadWrite(filename, options.create ?? true);
  } catch (e) {
    if (e instanceof ImsError) throw e;
    throw new Error(`Cannot open the SQLite database ${filename}: ${(e as Error).message}`, { cause: e });
  }
}

/** A missing file or directory is told apart from a file SQLite cannot open, and named. */
function checkPath(filename: string, options: SqliteStoreOptions): void {
  if (existsSync(filename)) {
    if (statSync(filename).isDirectory()) throw new Error(`Cannot open the SQLite database ${filename}: it is a directory.`);
    return;
  }
  if (options.readOnly || options.create === false) throw new ImsError("not_found", `No IMS database at ${filename}.`);
  const dir = dirname(filename);
  if (options.createParents ?? true) mkdirSync(dir, { recursive: true });
  else if (!existsSync(dir)) throw new Error(`Cannot create the SQLite database ${filename}: directory ${dir} does not exist.`);
  else if (!statSync(dir).isDirectory()) throw new Error(`Cannot create the SQLite database ${filename}: ${dir} is not a directory.`);
}

async function openReadWrite(filename: string, create: boolean): Promise<RecordStore> {
  const writer = await openWriter(filename, create);
  try {
    await migrate(writer, migrations);
  } catch (e) {
    writer.close();
    throw e;
  }
  const readerDb = openReader(filename);
  const snapshot = new ReadSnapshot(readerDb);
  const mutex = new Mutex(); // one transaction at a time on the writer connection
  const journal = new SqliteJournal(writer, readerDb, mutex, snapshot);
  return {
    ...storeReads(readerDb, snapshot, journal),
    transaction: (fn) =>
      mutex.run(() => {
        const tx = new SqliteTx(writer);
        // Ended after commit or rollback: the next read must see this transaction's outcome.
        return inTransaction(writer, () => fn(tx), () => tx.end()).finally(snapshot.end);
      }),
    close: closer(mutex, snapshot, [readerDb, writer]),
  };
}

function openReadOnly(filename: string): RecordStore {
  const db = openQueryOnly(filename);
  try {
    const tables = db.query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'records'").all();
    if (!tables.length) throw new ImsError("not_found", `No IMS database at ${filename}: the file has no IMS tables.`);
  } catch (e) {
    db.close();
    throw e;
  }
  const snapshot = new ReadSnapshot(db);
  const mutex = new Mutex();
  // Journal writes reach a query_only connection and fail there.
  const journal = new SqliteJournal(db, db, mutex, snapshot);
  const refuse = () => Promise.reject(new Error(`The SQLite store ${filename} was opened read-only.`));
  return {
    ...storeReads(db, snapshot, journal),
    pruneIdempotent: refuse,
    transaction: refuse,
    close: closer(mutex, snapshot, [db]),
  };
}

function storeReads(db: Database, snapshot: ReadSnapshot, journal: SqliteJournal) {
  return {
    ...readerMethods(new SqliteReader(db, snapshot)),
    journal,
    pruneIdempotent: (createdBeforeIso: string) => journal.pruneIdempotent(createdBeforeIso),
  };
}

function closer(mutex: Mutex, snapshot: ReadSnapshot, dbs: Database[]) {
  let closed = false;
  return () =>
    mutex.run(async () => {
      if (closed) return;
      closed = true;
      snapshot.end();
      for (const db of dbs) db.close();
    });
}
