/**
 * Real stores for tests: a SQLite file in a temp dir, or a PostgreSQL database created for the
 * caller and dropped after. PostgreSQL must be reachable: tests fail, never skip, without it.
 * Test-only (not exported from index.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SQL } from "bun";
import type { RecordStore } from "@ims/core";
import { openMemoryStore } from "@ims/core/memory";
import { openStore } from "@ims/core/open-store";

export const POSTGRES_BASE_URL = process.env.IMS_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  /** A DATABASE_URL for openStore or the service. */
  url: string;
  drop(): Promise<void>;
}

let seq = 0;

/** A fresh, uniquely named PostgreSQL database on the test server. */
export async function createPostgresDatabase(label = "t"): Promise<TestDatabase> {
  const name = `ims_${label}_${process.pid}_${Date.now().toString(36)}_${++seq}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  const admin = new SQL(POSTGRES_BASE_URL);
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } catch (e) {
    await admin.close();
    throw new Error(
      `PostgreSQL at ${new URL(POSTGRES_BASE_URL).host} is not usable (${(e as Error).message}). ` +
        `Run scripts/ensure-postgres.sh and set IMS_TEST_POSTGRES_URL to the URL it prints.`,
    );
  }
  const url = Object.assign(new URL(POSTGRES_BASE_URL), { pathname: `/${name}` }).toString();
  return {
    url,
    async drop() {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.close();
    },
  };
}

/** A SQLite file in a fresh temp dir. */
export function createSqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), "ims-http-sqlite-"));
  return { url: `sqlite:${join(dir, "ims.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

export const STORE_KINDS = ["memory", "sqlite", "postgres"] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** An open store of the kind; `cleanup` closes it and removes its database. */
export async function openTestStore(kind: StoreKind): Promise<{ store: RecordStore; cleanup(): Promise<void> }> {
  if (kind === "memory") {
    const store = openMemoryStore();
    return { store, cleanup: () => store.close() };
  }
  const db = kind === "sqlite" ? createSqliteDatabase() : await createPostgresDatabase("http");
  const store = await openStore(db.url).catch(async (e) => {
    await db.drop();
    throw e;
  });
  return {
    store,
    async cleanup() {
      await store.close();
      await db.drop();
    },
  };
}
