/**
 * Runs the contract against a real PostgreSQL server, in a database created for this run and
 * dropped at the end. Fails (never skips) when no server answers.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { SQL } from "bun";
import { runStoreContract } from "../store-contract.ts";
import { openPostgresStore } from "./index.ts";

const baseUrl = process.env.IMS_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const database = `ims_test_${process.pid}_${Date.now().toString(36)}`;
const url = Object.assign(new URL(baseUrl), { pathname: `/${database}` }).toString();
const admin = new SQL(baseUrl);

let created: Promise<SQL> | undefined;
/** Creates the run's database once; the returned client empties it between tests. */
function testDatabase(): Promise<SQL> {
  created ??= (async () => {
    try {
      await admin.unsafe(`CREATE DATABASE ${database}`);
    } catch (e) {
      const where = new URL(baseUrl).host;
      throw new Error(
        `PostgreSQL at ${where} is not usable (${(e as Error).message}). ` +
          `Run scripts/ensure-postgres.sh and set IMS_TEST_POSTGRES_URL to the URL it prints.`,
      );
    }
    return new SQL(url);
  })();
  return created;
}

afterAll(async () => {
  if (created) {
    await (await created.catch(() => undefined))?.close();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
  }
  await admin.close();
});

test("PostgreSQL is reachable", async () => {
  await testDatabase();
});

runStoreContract("postgres", async () => {
  const client = await testDatabase();
  const store = await openPostgresStore({ url });
  await client`TRUNCATE records, operations, idempotency`;
  return { store, reopen: () => openPostgresStore({ url }), cleanup: () => store.close() };
});

describe("postgres specifics", () => {
  test("several stores starting together migrate once", async () => {
    const client = await testDatabase();
    const stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore({ url })));
    for (const s of stores) await s.close();
    expect(await client`SELECT version FROM schema_migrations`).toEqual([{ version: 1 }]);
  });

  test("an unreachable server makes open fail with a clear error", async () => {
    await expect(openPostgresStore({ url: "postgres://postgres@127.0.0.1:1/x" })).rejects.toThrow(/Cannot open the PostgreSQL store/);
  });
});
