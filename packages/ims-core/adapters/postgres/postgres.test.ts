/**
 * Runs the contract against a real PostgreSQL server, in a database created for this run and
 * dropped at the end. Fails (never skips) when no server answers.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { SQL } from "bun";
import { runStoreContract } from "../store-contract.ts";
import { openPostgresStore } from "./index.ts";
import { migrate } from "./migrate.ts";
import { migrations } from "./migrations.ts";
import { OLD_IDEMPOTENCY_ROWS } from "../retention-contract.ts";

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
  await client`TRUNCATE records, operations, idempotency, meta, changes RESTART IDENTITY`;
  await client`UPDATE changes_pruned SET through = 0`;
  return { store, reopen: () => openPostgresStore({ url }), cleanup: () => store.close() };
});

describe("postgres specifics", () => {
  test("several stores starting together migrate once", async () => {
    const client = await testDatabase();
    const stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore({ url })));
    for (const s of stores) await s.close();
    expect(await client`SELECT version FROM schema_migrations ORDER BY version`).toEqual(migrations.map((m) => ({ version: m.version })));
  });

  test("migration 2 gives stored idempotency results their created time, so they prune by it", async () => {
    await testDatabase();
    const upgrade = `${database}_upgrade`;
    const upgradeUrl = Object.assign(new URL(baseUrl), { pathname: `/${upgrade}` }).toString();
    await admin.unsafe(`CREATE DATABASE ${upgrade}`);
    try {
      const old = new SQL(upgradeUrl);
      await migrate(old, migrations.slice(0, 1));
      for (const [key, result] of OLD_IDEMPOTENCY_ROWS) await old`INSERT INTO idempotency (key, result) VALUES (${key}, ${result})`;
      await old.close();
      const store = await openPostgresStore({ url: upgradeUrl });
      expect(await store.pruneIdempotent("2024-03-01T00:00:00")).toBe(3);
      expect(await store.transaction(async (tx) => Boolean(await tx.getIdempotent("recent")))).toBe(true);
      await store.close();
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${upgrade} WITH (FORCE)`);
    }
  });

  test("an unreachable server makes open fail with a clear error naming host and port, not the password", async () => {
    const error: Error = await openPostgresStore({ url: "postgres://postgres:pw-123@127.0.0.1:1/x" }).catch((e) => e);
    expect(error.message).toStartWith("Cannot open the PostgreSQL store at 127.0.0.1:1/x: ");
    expect(error.message).not.toContain("pw-123");
  });

  test("a database dropped under a running store is unavailable (503), not an internal error; close still returns", async () => {
    await testDatabase();
    const gone = `${database}_gone`;
    const goneUrl = Object.assign(new URL(baseUrl), { pathname: `/${gone}` }).toString();
    await admin.unsafe(`CREATE DATABASE ${gone}`);
    const store = await openPostgresStore({ url: goneUrl });
    try {
      await admin.unsafe(`DROP DATABASE ${gone} WITH (FORCE)`);
      const error = await store.list("images").catch((e) => e);
      expect(error).toMatchObject({ kind: "unavailable" });
      expect(error.detail).toContain(`127.0.0.1:5432/${gone}`);
      const writing = await store.transaction((tx) => tx.insert("remote_build_nodes", "x1", { xname: "x1" })).catch((e) => e);
      expect(writing).toMatchObject({ kind: "unavailable" });
    } finally {
      await store.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${gone} WITH (FORCE)`);
    }
  });

  test("readOnly on a database IMS never used is not_found and creates no table", async () => {
    await testDatabase();
    const fresh = `${database}_fresh`;
    const freshUrl = Object.assign(new URL(baseUrl), { pathname: `/${fresh}` }).toString();
    await admin.unsafe(`CREATE DATABASE ${fresh}`);
    try {
      const error = await openPostgresStore({ url: freshUrl, readOnly: true }).catch((e) => e);
      expect(error).toMatchObject({ kind: "not_found" });
      expect(error.detail).toContain(`/${fresh}: it has no IMS tables`);
      const check = new SQL(freshUrl);
      expect(await check`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`).toEqual([]);
      await check.close();
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${fresh} WITH (FORCE)`);
    }
  });

  test("readOnly reads what is there; every write is refused, by the server too", async () => {
    const client = await testDatabase();
    const writer = await openPostgresStore({ url });
    await client`TRUNCATE records, operations, idempotency`;
    await writer.transaction((tx) => tx.insert("remote_build_nodes", "x1", { xname: "x1" }));
    await writer.close();
    const store = await openPostgresStore({ url, readOnly: true });
    try {
      expect(await store.list("remote_build_nodes")).toEqual([{ data: { xname: "x1" }, version: 1 }]);
      await expect(store.transaction((tx) => tx.insert("remote_build_nodes", "x2", { xname: "x2" }))).rejects.toThrow(/read-only/);
      await expect(store.pruneIdempotent("2030-01-01T00:00:00")).rejects.toThrow(/read-only transaction/);
    } finally {
      await store.close();
    }
  });
});

describe("postgres change log across replicas", () => {
  test("a commit on one store wakes the other's readers (LISTEN/NOTIFY); a rollback wakes nobody", async () => {
    const client = await testDatabase();
    const [a, b] = await Promise.all([openPostgresStore({ url }), openPostgresStore({ url })]);
    await client`TRUNCATE changes RESTART IDENTITY`;
    try {
      let woken = false;
      let wake!: () => void;
      const woke = new Promise<void>((r) => (wake = r));
      const stop = b.changes.onCommit(() => ((woken = true), wake()));
      await a.transaction(async (tx) => {
        await tx.insert("images", "rolled-back", { id: "rolled-back" } as never);
        throw new Error("undone");
      }).catch(() => {});
      // The LISTEN is set up on a connection of its own, in the background: commit until it hears one.
      const committed: string[] = [];
      while (!woken) {
        committed.push(`x${committed.length}`);
        await a.transaction((tx) => tx.insert("images", committed.at(-1)!, { id: committed.at(-1)! } as never));
        await Promise.race([woke, Bun.sleep(50)]);
      }
      stop();
      expect((await b.changes.after(0, 1000)).map((c) => c.id)).toEqual(committed);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
