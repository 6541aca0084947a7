/**
 * Upgrade in place on real stores: upstream's files in a real directory, a SQLite file and a
 * PostgreSQL database (IMS_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test; a
 * database is created for this file and dropped after; the test FAILS when the server is not
 * there). Replicas starting together are stores opened on the same database at once, each with
 * its own connections: exactly one imports.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SQL } from "bun";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importLegacyOnce } from "../../src/migrate/index.ts";
import { expectedRecords, legacyFiles } from "../../src/migrate/test-fixtures.ts";
import type { RecordStore } from "../../src/ports.ts";
import { COLLECTIONS } from "../../src/records.ts";
import { openStore } from "../open-store.ts";
import { openLegacyDir, readLegacyFiles } from "./index.ts";

const baseUrl = process.env.IMS_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const admin = new SQL(baseUrl);
const databases: string[] = [];
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "ims-in-place-"));
});
afterAll(async () => {
  for (const name of databases) await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
  await admin.close();
  rmSync(root, { recursive: true, force: true });
});

/** A fresh PostgreSQL database URL. */
async function postgresUrl(): Promise<string> {
  const name = `ims_in_place_${process.pid}_${Date.now().toString(36)}_${databases.length}`;
  await admin.unsafe(`CREATE DATABASE ${name}`).catch((e) => {
    throw new Error(`PostgreSQL at ${new URL(baseUrl).host} is not usable (${e.message}); run scripts/ensure-postgres.sh`);
  });
  databases.push(name);
  return Object.assign(new URL(baseUrl), { pathname: `/${name}` }).toString();
}

/** upstream's /var/ims/data: the realistic files plus what else lives there. */
function dataDir(): string {
  const dir = mkdtempSync(join(root, "data-"));
  for (const [name, text] of Object.entries(legacyFiles())) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, "README"), "not an IMS file");
  mkdirSync(join(dir, "lost+found"));
  return dir;
}

/** Names, sizes, times and contents: what "left untouched" means. */
const fingerprint = (dir: string) =>
  readdirSync(dir).sort().map((name) => {
    const st = statSync(join(dir, name));
    return [name, st.mode, st.mtimeMs, st.isFile() ? readFileSync(join(dir, name), "utf8") : "(dir)"];
  });

async function contents(store: RecordStore) {
  return Object.fromEntries(await Promise.all(COLLECTIONS.map(async (c) => [c, await store.list(c)])));
}

const STORES: [string, () => Promise<string>][] = [
  ["SQLite", async () => `sqlite:${join(mkdtempSync(join(root, "db-")), "ims.sqlite")}`],
  ["PostgreSQL", postgresUrl],
];

describe.each(STORES)("%s", (_, newDatabase) => {
  test("replicas starting together on one database: exactly one imports, every record once, files untouched", async () => {
    const url = await newDatabase();
    const dir = dataDir();
    const before = fingerprint(dir);
    const replicas = await Promise.all([openStore(url), openStore(url), openStore(url)]);
    try {
      const results = await Promise.all(replicas.map((store) => importLegacyOnce(store, openLegacyDir(dir))));
      expect(results.map((r) => r.outcome).sort()).toEqual(["imported", "imported-before", "imported-before"]);
      const imported = results.find((r) => r.outcome === "imported")!;
      for (const r of results) if (r.outcome === "imported-before") expect(r).toEqual({ outcome: "imported-before", note: (imported as any).note, changes: [] });

      const stored = await contents(replicas[0]!);
      const expected = expectedRecords();
      for (const c of COLLECTIONS) {
        expect(stored[c].map((s: { data: unknown }) => s.data)).toEqual(expected[c]);
        expect(stored[c].every((s: { version: number }) => s.version === 1)).toBe(true); // written once
      }
      expect(fingerprint(dir)).toEqual(before);
    } finally {
      for (const s of replicas) await s.close();
    }
  });

  test("a restart imports nothing and reports a file upstream changed after the import", async () => {
    const url = await newDatabase();
    const dir = dataDir();
    const first = await openStore(url);
    expect((await importLegacyOnce(first, openLegacyDir(dir))).outcome).toBe("imported");
    const before = await contents(first);
    await first.close();

    writeFileSync(join(dir, "v2.0_remote_build_nodes.json"), JSON.stringify([{ xname: "x3000c0s19b4n0" }, { xname: "x9000c0s1b0n0" }]));
    const restarted = await openStore(url);
    try {
      const r = await importLegacyOnce(restarted, openLegacyDir(dir));
      expect(r).toMatchObject({ outcome: "imported-before", changes: [{ name: "v2.0_remote_build_nodes.json", change: "changed" }] });
      expect(await contents(restarted)).toEqual(before);
    } finally {
      await restarted.close();
    }
  });

  test("a corrupt file: the error names file and record, and the database stays empty", async () => {
    const url = await newDatabase();
    const dir = dataDir();
    writeFileSync(join(dir, "v2.1_images.json"), JSON.stringify([{ id: "6da160ca-f0d4-42a2-b1e4-e045c5464007", created: "yesterday", name: "x" }]));
    const store = await openStore(url);
    try {
      await expect(importLegacyOnce(store, openLegacyDir(dir))).rejects.toThrow(
        /^v2\.1_images\.json, record at index 0 \(id "6da160ca-f0d4-42a2-b1e4-e045c5464007"\): field 'created' must be an ISO-8601/,
      );
      for (const c of COLLECTIONS) expect(await store.count(c)).toBe(0);
      expect(await store.transaction((tx) => tx.getMeta("legacy-import"))).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

describe("reading the directory", () => {
  test("only IMS data file names; a directory that does not exist holds none; a file is not a directory", async () => {
    const dir = dataDir();
    expect(Object.keys(await readLegacyFiles(dir)).sort()).toEqual(Object.keys(legacyFiles()).sort());
    expect(await readLegacyFiles(join(root, "no-such-dir"))).toEqual({});
    await expect(readLegacyFiles(join(dir, "README"))).rejects.toThrow("is not a directory");
  });
});
