/** RecordStore on a SQLite file (bun:sqlite): one writer connection plus one reader, WAL mode. */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import type { Database } from "bun:sqlite";
import { ImsError } from "../../src/errors.ts";
import type { RecordStore } from "../../src/ports.ts";
import { groupCommit } from "../group-commit.ts";
import { Mutex } from "../memory/mutex.ts";
import { SqliteChangeLog, writeChanges } from "./changes.ts";
import { openQueryOnly, openReader, openWriter, retryBusy } from "./connection.ts";
import { SqliteJournal } from "./journal.ts";
import { migrate } from "./migrate.ts";
import { migrations } from "./migrations.ts";
import { SqliteReader } from "./reader.ts";
import { ReadSnapshot } from "./snapshot.ts";
import { SqliteTx } from "./tx.ts";
import { readerMethods } from "../reader-methods.ts";

/**
 * Past this size the write-ahead log is checkpointed into the database and truncated, in a task
 * of its own after the commit that grew it (the turn's read snapshot is ended first, so nothing
 * in this process holds the log). Without it, a long run of writes (a collection delete) could
 * leave a log of hundreds of MB.
 */
const WAL_LIMIT_BYTES = 16 * 1024 * 1024;

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
  const changes = new SqliteChangeLog(writer, readerDb, mutex, snapshot);
  const journal = new SqliteJournal(writer, readerDb, mutex, snapshot, changes.committed);
  // BEGIN IMMEDIATE takes the write lock up front, so two processes on one file serialise too.
  // Every outcome ends the read snapshot: the next read must see this transaction's result.
  const transaction = groupCommit<SqliteTx>(
    mutex,
    async () => {
      await retryBusy(() => writer.run("BEGIN IMMEDIATE"));
      return {
        tx: () => new SqliteTx(writer),
        savepoint: async () => void writer.run("SAVEPOINT g"),
        release: async () => void writer.run("RELEASE g"),
        undo: async () => void writer.run("ROLLBACK TO g"),
        async commit(written) {
          try {
            writeChanges(writer, written, Date.now());
            writer.run("COMMIT");
          } finally {
            snapshot.end();
          }
          if (walBytes() > WAL_LIMIT_BYTES) truncateSoon();
        },
        async abort() {
          if (writer.inTransaction) writer.run("ROLLBACK");
          snapshot.end();
        },
      };
    },
    changes.committed,
  );
  const walBytes = () => statSync(`${filename}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  // Another process reading may keep it from finishing (it then reports busy): the next try will.
  const checkpoint = () => writer.run("PRAGMA wal_checkpoint(TRUNCATE)");
  let truncating = false;
  const truncateSoon = () => {
    if (truncating) return;
    truncating = true;
    // Called from a commit, inside the mutex: the task must not inherit that section.
    mutex.outside(() => setImmediate(() =>
      mutex
        .run(async () => {
          if (closed) return;
          snapshot.end();
          checkpoint();
        })
        .catch(() => {})
        .finally(() => (truncating = false)),
    ));
  };
  let closed = false;
  return {
    ...storeReads(readerDb, snapshot, journal, changes),
    transaction,
    close: () =>
      mutex.run(async () => {
        if (closed) return;
        closed = true;
        snapshot.end();
        readerDb.close();
        checkpoint(); // a clean shutdown leaves an empty log
        writer.close();
      }),
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
  // Journal and change log writes reach a query_only connection and fail there.
  const changes = new SqliteChangeLog(db, db, mutex, snapshot);
  const journal = new SqliteJournal(db, db, mutex, snapshot, changes.committed);
  const refuse = () => Promise.reject(new Error(`The SQLite store ${filename} was opened read-only.`));
  return {
    ...storeReads(db, snapshot, journal, changes),
    pruneIdempotent: refuse,
    transaction: refuse,
    close: closer(mutex, snapshot, [db]),
  };
}

function storeReads(db: Database, snapshot: ReadSnapshot, journal: SqliteJournal, changes: SqliteChangeLog) {
  return {
    ...readerMethods(new SqliteReader(db, snapshot)),
    journal,
    changes,
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
