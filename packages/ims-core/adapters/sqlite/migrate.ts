import type { Database } from "bun:sqlite";
import { inTransaction } from "./connection.ts";
import type { Migration } from "./migrations.ts";

/** Applies the migrations this database lacks, all in one write transaction (so once, even with several processes). */
export function migrate(db: Database, list: readonly Migration[]): Promise<void> {
  return inTransaction(db, async () => {
    db.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied TEXT NOT NULL
    )`);
    const rows = db.query<{ version: number }, []>("SELECT version FROM schema_migrations").all();
    const applied = new Set(rows.map((r) => r.version));
    for (const m of list) {
      if (applied.has(m.version)) continue;
      for (const statement of m.statements) db.run(statement);
      db.run("INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)", [m.version, m.name, new Date().toISOString()]);
    }
  });
}
