/** PostgreSQL schema, as an ordered list of migrations. Append new ones; never edit an applied one. */
import type { Migration } from "../sqlite/migrations.ts";

export const migrations: Migration[] = [
  {
    version: 1,
    name: "records, operations, idempotency",
    statements: [
      // TEXT, not jsonb: jsonb refuses \u0000, and the body must come back exactly as stored.
      `CREATE TABLE records (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        version INTEGER NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (collection, id)
      )`,
      `CREATE INDEX records_by_collection ON records (collection, seq)`,
      // Same columns as SQLite (see sqlite/rows.ts): body, last_error and updated are JSON text.
      `CREATE TABLE operations (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        record_id TEXT NOT NULL,
        state TEXT NOT NULL,
        next_step INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        last_error TEXT,
        updated TEXT NOT NULL,
        lease_until BIGINT NOT NULL,
        worker TEXT,
        body TEXT NOT NULL
      )`,
      `CREATE INDEX operations_runnable ON operations (seq) WHERE state = 'pending'`,
      `CREATE INDEX operations_by_record ON operations (record_id, seq)`,
      `CREATE TABLE idempotency (key TEXT PRIMARY KEY, result TEXT NOT NULL)`,
    ],
  },
  {
    version: 2,
    name: "retention: prune done operations and old idempotency results",
    statements: [
      // COLLATE "C": the prune compares bytes (see cutoffText), and only a "C" index serves that.
      `CREATE INDEX operations_done ON operations (updated COLLATE "C") WHERE state = 'done'`,
      `ALTER TABLE idempotency ADD COLUMN created TEXT COLLATE "C"`,
      // Filled by pattern, not by parsing: PostgreSQL's json refuses the \u0000 and lone
      // surrogates a stored body may hold. result is JSON.stringify({fingerprint, status, body,
      // created}), so it ends with ,"created":<JSON string>} and no string value can hold an
      // unescaped quote. '""' (prune first) when it does not match.
      String.raw`UPDATE idempotency SET created = COALESCE(substring(result from ',"created":("(?:[^"\\]|\\.)*")}$'), '""')`,
      `ALTER TABLE idempotency ALTER COLUMN created SET NOT NULL`,
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
      // As in SQLite (see sqlite/migrations.ts). Written only under the transaction lock, so seq
      // order is commit order across replicas.
      `CREATE TABLE changes (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        change TEXT NOT NULL,
        version INTEGER,
        record TEXT,
        record_id TEXT,
        at BIGINT NOT NULL
      )`,
      `CREATE INDEX changes_by_collection ON changes (collection, seq)`,
      `CREATE INDEX changes_by_at ON changes (at)`,
      `CREATE TABLE changes_pruned (through BIGINT NOT NULL)`,
      `INSERT INTO changes_pruned (through) VALUES (0)`,
    ],
  },
];
