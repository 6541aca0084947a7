import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { openStore } from "../open-store.ts";
import { runStoreContract } from "../store-contract.ts";
import { openSqliteStore } from "./index.ts";
import { migrate } from "./migrate.ts";
import { migrations } from "./migrations.ts";
import { OLD_IDEMPOTENCY_ROWS } from "../retention-contract.ts";
import { ImsError } from "../../src/errors.ts";

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

describe("where the database may be created", () => {
  test("createParents: false refuses a missing directory and creates nothing", async () => {
    const filename = join(root, "typo", "deeper", "ims.db");
    await expect(openSqliteStore({ filename, createParents: false })).rejects.toThrow(
      `Cannot create the SQLite database ${filename}: directory ${join(root, "typo", "deeper")} does not exist.`,
    );
    expect(existsSync(join(root, "typo"))).toBe(false);
  });

  test("createParents: false still creates the file in an existing directory", async () => {
    const filename = join(root, "ims-in-existing-dir.db");
    await (await openSqliteStore({ filename, createParents: false })).close();
    expect(existsSync(filename)).toBe(true);
  });

  test("create: false makes a missing file not_found", async () => {
    const error = await openSqliteStore({ filename: join(root, "absent.db"), create: false }).catch((e) => e);
    expect(error).toBeInstanceOf(ImsError);
    expect(error).toMatchObject({ kind: "not_found", detail: `No IMS database at ${join(root, "absent.db")}.` });
    expect(existsSync(join(root, "absent.db"))).toBe(false);
  });

  test("a file SQLite cannot open is named", async () => {
    const filename = join(root, "notes.db");
    await Bun.write(filename, "not a database ".repeat(20));
    await expect(openSqliteStore({ filename })).rejects.toThrow(`Cannot open the SQLite database ${filename}: file is not a database`);
  });
});

describe("readOnly", () => {
  test("reads what is there, refuses writes, migrates nothing and leaves no file behind", async () => {
    const dir = join(root, "readonly");
    const filename = join(dir, "ims.db");
    const { Database } = await import("bun:sqlite");
    mkdirSync(dir);
    const old = new Database(filename);
    await migrate(old, migrations.slice(0, 1)); // an older schema: a read-only open must not upgrade it
    old.run("PRAGMA journal_mode = WAL");
    old.run(`INSERT INTO records (collection, id, version, body) VALUES ('remote_build_nodes', 'x1', 1, '{"xname":"x1"}')`);
    old.close();
    const before = { files: readdirSync(dir), mtime: statSync(filename).mtimeMs };

    const store = await openSqliteStore({ filename, readOnly: true });
    expect(await store.list("remote_build_nodes")).toEqual([{ data: { xname: "x1" }, version: 1 }]);
    await expect(store.transaction((tx) => tx.insert("remote_build_nodes", "x2", { xname: "x2" }))).rejects.toThrow(/read-only/);
    await expect(store.pruneIdempotent("2030-01-01T00:00:00")).rejects.toThrow(/read-only/);
    await expect(store.journal.prune("2030-01-01T00:00:00")).rejects.toThrow(/readonly database/); // the connection refuses
    await store.close();

    expect({ files: readdirSync(dir), mtime: statSync(filename).mtimeMs }).toEqual(before);
    const check = new Database(filename, { readonly: true });
    expect(check.query("SELECT version FROM schema_migrations").all()).toEqual([{ version: 1 }]);
    check.close();
  });

  test("a missing file, or one without IMS tables, is not_found and stays as it was", async () => {
    const missing = join(root, "ro-missing.db");
    expect(await openSqliteStore({ filename: missing, readOnly: true }).catch((e) => e)).toMatchObject({ kind: "not_found" });
    expect(existsSync(missing)).toBe(false);
    const empty = join(root, "ro-empty.db");
    await Bun.write(empty, "");
    expect(await openSqliteStore({ filename: empty, readOnly: true }).catch((e) => e)).toMatchObject({
      kind: "not_found", detail: `No IMS database at ${empty}: the file has no IMS tables.`,
    });
    expect(statSync(empty).size).toBe(0);
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
