import type { Database } from "bun:sqlite";

/**
 * Reads on the reader connection share one read transaction per event-loop turn.
 *
 * Why: an autocommit SELECT opens and closes an implicit transaction, which costs about 2 µs of
 * lock system calls, four times the lookup itself. Under load a turn serves dozens of requests,
 * so they share one snapshot instead. That snapshot is taken after each of those requests
 * arrived (the turn began after they were received), so nothing a client saw committed before
 * sending is missed. Our own writes end the snapshot (`end()` after every write on the writer
 * connection), so a read after this process's commit always sees it.
 */
export class ReadSnapshot {
  #open = false;
  readonly #begin;
  readonly #commit;

  constructor(private readonly db: Database) {
    // query(), not prepare(): cached statements are finalized by close(); a prepared one would
    // keep the connection (and a read-only store's -wal/-shm files) alive until collected.
    this.#begin = db.query("BEGIN");
    this.#commit = db.query("COMMIT");
  }

  /** Runs synchronous reads inside the turn's read transaction, opening it if needed. */
  read<T>(fn: () => T): T {
    if (!this.#open) {
      this.#begin.run();
      this.#open = true;
      setImmediate(this.end);
    }
    try {
      return fn();
    } catch (e) {
      this.end();
      throw e;
    }
  }

  /** Ends the shared read transaction, so the next read sees everything committed since. */
  readonly end = (): void => {
    if (!this.#open) return;
    this.#open = false;
    if (this.db.inTransaction) this.#commit.run();
  };
}
