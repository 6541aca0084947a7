import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { openStore } from "../open-store.ts";
import { runStoreContract } from "../store-contract.ts";
import { openSqliteStore } from "./index.ts";
import { migrate } from "./migrate.ts";
import { migrations } from "./migrations.ts";
import { OLD_IDEMPOTENCY_ROWS } from "../retention-contract.ts";

const root = mkdtempSync(join(tmpdir(), "ims-sqlite-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

runStoreContract("sqlite", async () => {
  // a nested directory that does not exist yet: the adapter creates it
  const filename = join(root, `run-${++n}`, "data", "ims.db");
  const store = await openSqliteStore({ filename });
  return {
    store,
    reopen: () => openSqliteStore({ filename }),
    cleanup: () => store.close(),
  };
});

describe("sqlite specifics", () => {
  test("migrations are recorded once, also when several stores open the file together", async () => {
    const filename = join(root, "migrate", "ims.db");
    const stores = await Promise.all([1, 2, 3].map(() => openSqliteStore({ filename })));
    for (const s of stores) await s.close();
    const { Database } = await import("bun:sqlite");
    const db = new Database(filename, { readonly: true });
    expect(db.query("SELECT version FROM schema_migrations").all()).toEqual(migrations.map((m) => ({ version: m.version })));
    expect(db.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    db.close();
  });

  test("migration 2 gives stored idempotency results their created time, so they prune by it", async () => {
    const filename = join(root, "upgrade", "ims.db");
    mkdirSync(dirname(filename), { recursive: true });
    const { Database } = await import("bun:sqlite");
    const db = new Database(filename);
    await migrate(db, migrations.slice(0, 1));
    for (const [key, result] of OLD_IDEMPOTENCY_ROWS) db.run("INSERT INTO idempotency (key, result) VALUES (?, ?)", [key, result]);
    db.close();
    const store = await openSqliteStore({ filename });
    expect(await store.pruneIdempotent("2024-03-01T00:00:00")).toBe(3);
    expect(await store.transaction(async (tx) => Boolean(await tx.getIdempotent("recent")))).toBe(true);
    await store.close();
  });

  test("refuses :memory: (reads need a second connection on the same file)", async () => {
    await expect(openSqliteStore({ filename: ":memory:" })).rejects.toThrow(/memory adapter/);
  });
});

describe("openStore", () => {
  const roundTrip = async (url: string, file: string) => {
    const store = await openStore(url);
    await store.transaction((tx) => tx.insert("remote_build_nodes", "x1", { xname: "x1" }));
    await store.close();
    expect(existsSync(file)).toBe(true);
  };

  test("sqlite:///abs/path and a plain path open SQLite", async () => {
    await roundTrip(`sqlite://${join(root, "url", "a.db")}`, join(root, "url", "a.db"));
    await roundTrip(join(root, "url", "b.db"), join(root, "url", "b.db"));
  });

  test("sqlite:relative/path is relative to the working directory", async () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      await roundTrip("sqlite:rel/dir/d.db", join(root, "rel", "dir", "d.db"));
    } finally {
      process.chdir(cwd);
    }
  });

  test("other schemes are refused with a clear message that does not echo credentials", async () => {
    for (const url of ["mysql://user:secret@host/db", "http://x", "sqlite://host/db", "", "redis:x"]) {
      const error = await openStore(url).then(() => undefined, (e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error!.message).not.toContain("secret");
      expect(error!.message).toMatch(/postgres|sqlite/);
    }
  });
});
