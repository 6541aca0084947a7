/** SQLite schema, as an ordered list of migrations. Append new ones; never edit an applied one. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: "records, operations, idempotency",
    statements: [
      // seq gives the insertion order; AUTOINCREMENT never reuses a number, so a re-insert goes last.
      // body is JSON.stringify(data): JSON escapes NUL and lone surrogates, which TEXT would mangle.
      `CREATE TABLE records (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (collection, id)
      )`,
      `CREATE INDEX records_by_collection ON records (collection, seq)`,
      // body holds the immutable NewOperation fields as JSON; last_error and updated are JSON text too.
      `CREATE TABLE operations (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        record_id TEXT NOT NULL,
        state TEXT NOT NULL,
        next_step INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        last_error TEXT,
        updated TEXT NOT NULL,
        lease_until INTEGER NOT NULL,
        worker TEXT,
        body TEXT NOT NULL
      )`,
      `CREATE INDEX operations_runnable ON operations (state, lease_until, seq)`,
      `CREATE INDEX operations_by_record ON operations (record_id, seq)`,
      // result is JSON.stringify(IdempotentResult).
      `CREATE TABLE idempotency (key TEXT PRIMARY KEY, result TEXT NOT NULL)`,
    ],
  },
  {
    version: 2,
    name: "retention: prune done operations and old idempotency results",
    statements: [
      // Serves the prune's `state = 'done' AND updated < ?` (the planner prefers it to a partial index).
      `CREATE INDEX operations_done ON operations (state, updated)`,
      // created as JSON text, like operations.updated; filled from the stored result (where it
      // is the JSON of IdempotentResult.created), '""' (prune first) if that cannot be read.
      `ALTER TABLE idempotency ADD COLUMN created TEXT NOT NULL DEFAULT '""'`,
      `UPDATE idempotency SET created = COALESCE(CASE WHEN json_valid(result) THEN result -> '$.created' END, '""')`,
      `CREATE INDEX idempotency_by_created ON idempotency (created)`,
    ],
  },
  {
    version: 3,
    name: "meta: named notes beside the records (the legacy import marker)",
    statements: [`CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)`],
  },
  {
    version: 4,
    name: "change log: list versions and events",
    statements: [
      // One row per committed change (src/changes.ts); record is the record's JSON text when small.
      `CREATE TABLE changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        change TEXT NOT NULL,
        version INTEGER,
        record TEXT,
        record_id TEXT,
        at INTEGER NOT NULL
      )`,
      // Serves listVersion (the newest seq of a family) and the prune's "each family's newest".
      `CREATE INDEX changes_by_collection ON changes (collection, seq)`,
      `CREATE INDEX changes_by_at ON changes (at)`,
      // How far retention removed changes: a reader behind it missed some (one row).
      `CREATE TABLE changes_pruned (through INTEGER NOT NULL)`,
      `INSERT INTO changes_pruned (through) VALUES (0)`,
    ],
  },
];
