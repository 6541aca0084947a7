/** A fresh database per benchmark section: a SQLite file, or a PostgreSQL database dropped after. */
import { existsSync, statSync } from "node:fs";
import { createPostgresDatabase, createSqliteDatabase } from "@ims/core/test-support";

export type Backend = "sqlite" | "postgres";

export interface BenchDatabase {
  backend: Backend;
  /** DATABASE_URL for openStore and the service. */
  url: string;
  /** Bytes of SQLite's write-ahead log (0 when there is none, or on PostgreSQL). */
  walBytes(): number;
  drop(): Promise<void>;
}

export async function createDatabase(backend: Backend): Promise<BenchDatabase> {
  const db = backend === "sqlite" ? createSqliteDatabase() : await createPostgresDatabase("bench");
  const wal = backend === "sqlite" ? `${db.url.slice("sqlite:".length)}-wal` : undefined;
  return {
    backend,
    url: db.url,
    walBytes: () => (wal && existsSync(wal) ? statSync(wal).size : 0),
    drop: () => db.drop(),
  };
}

export const BACKENDS: readonly Backend[] = ["sqlite", "postgres"];

/** BENCH_BACKENDS=sqlite,postgres (default both). */
export function chosenBackends(value: string | undefined): Backend[] {
  if (!value) return [...BACKENDS];
  const chosen = value.split(",").map((s) => s.trim()).filter(Boolean);
  for (const b of chosen) if (!BACKENDS.includes(b as Backend)) throw new Error(`BENCH_BACKENDS: unknown backend ${b} (sqlite, postgres)`);
  return chosen as Backend[];
}
