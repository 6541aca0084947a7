import type { SQL } from "bun";
import type { Migration } from "../sqlite/migrations.ts";
import { MIGRATION_LOCK } from "./locks.ts";

/**
 * Applies the migrations this database lacks, in one transaction under an advisory lock: when
 * several processes start together, one migrates and the others then find nothing to do.
 */
export async function migrate(sql: SQL, list: readonly Migration[]): Promise<void> {
  await sql.begin(async (tx) => {
    await tx.unsafe(`SELECT ${MIGRATION_LOCK}`);
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied TIMESTAMPTZ NOT NULL DEFAULT now()
    )`;
    const rows: { version: number }[] = await tx`SELECT version FROM schema_migrations`;
    const applied = new Set(rows.map((r) => r.version));
    for (const m of list) {
      if (applied.has(m.version)) continue;
      for (const statement of m.statements) await tx.unsafe(statement);
      await tx`INSERT INTO schema_migrations (version, name) VALUES (${m.version}, ${m.name})`;
    }
  });
}
