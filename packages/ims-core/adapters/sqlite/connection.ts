import { Database } from "bun:sqlite";
import { accessSync, constants, statSync } from "node:fs";
import { dirname } from "node:path";

/** How long a write waits for another connection (process) to release the database. */
const BUSY_DEADLINE_MS = 30_000;

const isBusy = (e: unknown): boolean => String((e as { code?: unknown })?.code).startsWith("SQLITE_BUSY");

/**
 * Runs `fn`, retrying while another connection holds the write lock. SQLite's own busy_timeout
 * would block the whole thread (and so the transaction holding the lock, if it is ours); this
 * waits asynchronously instead.
 */
export async function retryBusy<T>(fn: () => T): Promise<T> {
  const deadline = Date.now() + BUSY_DEADLINE_MS;
  for (let delay = 1; ; delay = Math.min(delay * 2, 25)) {
    try {
      return fn();
    } catch (e) {
      if (!isBusy(e) || Date.now() > deadline) throw e;
    }
    await Bun.sleep(delay);
  }
}

/**
 * SQLite says only "unable to open database file"; the usual cause is a directory this user may
 * not write (a root-owned volume under a non-root container user), so name the directory and
 * both uids. The caller names the file.
 */
function whyCannotOpen(filename: string, e: unknown): Error {
  const dir = dirname(filename);
  let why = (e as Error).message;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    const owner = statSync(dir, { throwIfNoEntry: false })?.uid;
    if (owner !== undefined) why = `${dir} is not writable by uid ${process.getuid?.()} (it belongs to uid ${owner})`;
  }
  return new Error(why, { cause: e });
}

/** The one connection that writes; it waits for locks with retryBusy, hence busy_timeout 0. */
export async function openWriter(filename: string, create: boolean): Promise<Database> {
  let db: Database;
  try {
    db = new Database(filename, { strict: true, create });
  } catch (e) {
    throw whyCannotOpen(filename, e);
  }
  try {
    db.run("PRAGMA busy_timeout = 0");
    await retryBusy(() => db.run("PRAGMA journal_mode = WAL"));
    // When the log is reset after a checkpoint, a file grown larger is cut back to this.
    db.run("PRAGMA journal_size_limit = 16777216");
    db.run("PRAGMA foreign_keys = ON");
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * A connection that can only read (PRAGMA query_only), for read-only stores. Opened read-write
 * all the same: closing the last connection of a WAL database then removes the -wal and -shm
 * files its reads needed, so the directory is left exactly as it was.
 */
export function openQueryOnly(filename: string): Database {
  const db = new Database(filename, { strict: true, create: false });
  try {
    db.run("PRAGMA query_only = 1");
    db.run("PRAGMA busy_timeout = 5000");
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Reads outside transactions: under WAL it sees the last commit and never waits for the writer. */
export function openReader(filename: string): Database {
  const db = new Database(filename, { strict: true, readonly: true });
  db.run("PRAGMA busy_timeout = 5000"); // only WAL recovery after a crash can make a reader wait
  db.run("PRAGMA foreign_keys = ON");
  return db;
}

/** BEGIN IMMEDIATE takes the write lock up front, so two processes on one file serialise too. */
export async function inTransaction<T>(db: Database, fn: () => Promise<T>, onEnd: () => void = () => {}): Promise<T> {
  await retryBusy(() => db.run("BEGIN IMMEDIATE"));
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    onEnd();
    if (db.inTransaction) db.run("ROLLBACK");
    throw e;
  }
  onEnd();
  try {
    db.run("COMMIT");
  } catch (e) {
    if (db.inTransaction) db.run("ROLLBACK");
    throw e;
  }
  return result;
}
