/**
 * `export` from SQLite, `import` into a second SQLite file and into PostgreSQL: identical
 * records and ids. PostgreSQL: IMS_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test),
 * a fresh database created for this run and dropped after; the test FAILS when unreachable.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SQL } from "bun";
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { openStore } from "@ims/core/open-store";
import { COLLECTIONS } from "@ims/core";
import { expectedRecords } from "@ims/core/test-support";
import { ROOT, ims, row, tempDir, writeLegacyDir } from "../test-support/cli.ts";

const baseUrl = process.env.IMS_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const database = `ims_cli_${process.pid}_${Date.now().toString(36)}`;
const pgUrl = Object.assign(new URL(baseUrl), { pathname: `/${database}` }).toString();
const admin = new SQL(baseUrl);
let pgCreated = false;

let dir: string;
let cleanup: () => Promise<void>;
const db = (name: string) => `sqlite:${join(dir, name)}`;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  const r = await ims(["migrate-legacy", await writeLegacyDir(dir)], { DATABASE_URL: db("source.sqlite") });
  if (r.code !== 0) throw new Error(r.stderr);
});
afterAll(async () => {
  if (pgCreated) await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
  await admin.close();
  await cleanup();
});

/** Every record (data and id) of a store, collection by collection, in order. */
async function contents(url: string) {
  const store = await openStore(url);
  try {
    return Object.fromEntries(await Promise.all(COLLECTIONS.map(async (c) => [c, (await store.list(c)).map((s) => s.data)])));
  } finally {
    await store.close();
  }
}

describe("export / import", () => {
  test("export writes the dump file", async () => {
    const r = await ims(["export", join(dir, "dump.json")], { DATABASE_URL: db("source.sqlite") });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("exported 14 records");
    const dump = JSON.parse(readFileSync(join(dir, "dump.json"), "utf8"));
    expect(dump).toMatchObject({ format: "ims-export", version: 1 });
    expect(dump.collections).toEqual(expectedRecords());
  });

  test("import into a second SQLite file gives identical records and ids; a re-import changes nothing", async () => {
    const env = { DATABASE_URL: db("copy.sqlite") };
    const dry = await ims(["import", join(dir, "dump.json"), "--dry-run"], env);
    expect(row(dry.stdout, "total")).toEqual([14, 14, 0, 0]);
    expect(existsSync(join(dir, "copy.sqlite"))).toBe(false);
    const r = await ims(["import", join(dir, "dump.json")], env);
    expect(r.code).toBe(0);
    expect(row(r.stdout, "total")).toEqual([14, 14, 0, 0]);
    expect(await contents(db("copy.sqlite"))).toEqual(await contents(db("source.sqlite")));
    expect(row((await ims(["import", join(dir, "dump.json")], env)).stdout, "total")).toEqual([14, 0, 0, 14]);
  });

  test("import into PostgreSQL gives identical records and ids", async () => {
    try {
      await admin.unsafe(`CREATE DATABASE ${database}`);
      pgCreated = true;
    } catch (e) {
      throw new Error(`PostgreSQL at ${new URL(baseUrl).host} is not usable (${(e as Error).message}); run scripts/ensure-postgres.sh`);
    }
    const r = await ims(["import", join(dir, "dump.json")], { DATABASE_URL: pgUrl });
    expect(r.stderr).not.toContain("password");
    expect(r.code).toBe(0);
    expect(row(r.stdout, "total")).toEqual([14, 14, 0, 0]);
    expect(await contents(pgUrl)).toEqual(await contents(db("source.sqlite")));
    // And back out of PostgreSQL: the same dump.
    const again = await ims(["export", join(dir, "from-pg.json")], { DATABASE_URL: pgUrl });
    expect(again.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "from-pg.json"), "utf8"))).toEqual(JSON.parse(readFileSync(join(dir, "dump.json"), "utf8")));
  });

  test("dry runs on a fresh PostgreSQL database write nothing: no schema, no table", async () => {
    const fresh = `${database}_dry`;
    const freshUrl = Object.assign(new URL(baseUrl), { pathname: `/${fresh}` }).toString();
    await admin.unsafe(`CREATE DATABASE ${fresh}`);
    const tables = async () => {
      const client = new SQL(freshUrl);
      try {
        return await client`SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`;
      } finally {
        await client.close();
      }
    };
    try {
      expect(await tables()).toEqual([]);
      const dry = await ims(["import", join(dir, "dump.json"), "--dry-run"], { DATABASE_URL: freshUrl });
      expect(dry.stderr).toEndWith(`checked against ${freshUrl}\n`);
      expect(dry.code).toBe(0);
      expect(row(dry.stdout, "total")).toEqual([14, 14, 0, 0]);
      const legacy = await ims(["migrate-legacy", await writeLegacyDir(join(dir, "dry-legacy")), "--dry-run"], { DATABASE_URL: freshUrl });
      expect(legacy.stderr).toEndWith(`checked against ${freshUrl}\n`);
      expect(legacy.code).toBe(0);
      expect(row(legacy.stdout, "total")).toEqual([14, 14, 0, 0]);
      expect(await tables()).toEqual([]);
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${fresh} WITH (FORCE)`);
    }
  });

  test("a dry run against a PostgreSQL store in use counts against it and changes nothing", async () => {
    const before = await contents(pgUrl);
    const dry = await ims(["import", join(dir, "dump.json"), "--dry-run"], { DATABASE_URL: pgUrl });
    expect(dry.code).toBe(0);
    expect(row(dry.stdout, "total")).toEqual([14, 0, 0, 14]);
    expect(await contents(pgUrl)).toEqual(before);
  });

  test("a bad dump fails with one line naming the file and record; nothing is written", async () => {
    const dump = JSON.parse(readFileSync(join(dir, "dump.json"), "utf8"));
    dump.collections.images[2].metadata = { k: 7 };
    const file = join(dir, "bad.json");
    await Bun.write(file, JSON.stringify(dump));
    const r = await ims(["import", file], { DATABASE_URL: db("fresh.sqlite") });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`${file}: collections.images, record at index 2`);
    expect(r.stderr).toContain("'metadata.k' must be a string");
    expect(existsSync(join(dir, "fresh.sqlite"))).toBe(false);
  });

  test("every bad record of a dump is listed with the file's name; a syntax error has its line and column", async () => {
    const dump = JSON.parse(readFileSync(join(dir, "dump.json"), "utf8"));
    dump.collections.images[0].arch = "sparc";
    dump.collections.jobs.push(dump.collections.jobs[0]);
    const file = join(dir, "bad-many.json");
    await Bun.write(file, JSON.stringify(dump, null, 1));
    const r = await ims(["import", file], { DATABASE_URL: db("fresh.sqlite") });
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      `ims import: error: ${file}: 2 problems in the input; nothing was written.`,
      expect.stringMatching(new RegExp(`^  ${file}: collections\\.images, record at index 0 .*'arch' must be one of`)),
      `  ${file}: collections.jobs, records at index 0 and 2: id "${dump.collections.jobs[0].id}" appears twice.`,
    ]);
    await Bun.write(file, '{"format": "ims-export",\n "version": 1\n "collections": {}}');
    const syntax = await ims(["import", file], { DATABASE_URL: db("fresh.sqlite") });
    expect(syntax.stderr).toBe(`ims import: error: ${file}: not valid JSON: Expecting ',' delimiter: line 3 column 2 (char 40).\n`);
    expect(existsSync(join(dir, "fresh.sqlite"))).toBe(false);
  });

  test("export from a missing SQLite file fails and creates nothing", async () => {
    const r = await ims(["export", join(dir, "x.json")], { DATABASE_URL: db("missing.sqlite") });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ims export: error: No IMS database at ${join(dir, "missing.sqlite")} (check DATABASE_URL).\n`);
    expect(existsSync(join(dir, "missing.sqlite"))).toBe(false);
    expect(existsSync(join(dir, "x.json"))).toBe(false);
  });

  test("long work to a pipe: at most one progress line every 5 s, and the final count", async () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, name: `k${i}`, public_key: "ssh-ed25519 AAAA", created: "2024-01-01T00:00:00",
    }));
    const file = join(dir, "big.json");
    await Bun.write(file, JSON.stringify({ format: "ims-export", version: 1, collections: { public_keys: keys } }));
    const lines = (stderr: string, label: string) => stderr.split("\n").filter((l) => l.startsWith(`${label}: `) && l.endsWith(" records"));
    for (const [args, label] of [[["import", file], "import"], [["export", join(dir, "big-out.json")], "export"]] as const) {
      const started = performance.now();
      const r = await ims([...args], { DATABASE_URL: db("big.sqlite") });
      const seconds = (performance.now() - started) / 1000;
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain("\r");
      const shown = lines(r.stderr, label);
      expect(shown.length).toBeLessThanOrEqual(Math.floor(seconds / 5) + 1);
      if (shown.length) expect(shown.at(-1)).toBe(`${label}: 20000/20000 records`);
    }
  });

  test.each(["scripts/bench", "packages/ims-core/src", "examples"])(
    "bun run ims works from %s of the checkout, relative paths taken from there",
    async (folder) => {
      const cwd = join(ROOT, folder);
      const out = join(dir, `${folder.replaceAll("/", "-")}.json`);
      const r = await ims(["export", relative(cwd, out)], { DATABASE_URL: `sqlite:${relative(cwd, join(dir, "source.sqlite"))}` }, undefined, cwd);
      expect(r.stderr).toContain("exported 14 records");
      expect(r.code).toBe(0);
      expect(JSON.parse(readFileSync(out, "utf8")).collections).toEqual(expectedRecords());
    },
  );

  test("import reads stdin with -; export writes stdout with -", async () => {
    const out = await ims(["export", "-"], { DATABASE_URL: db("source.sqlite") });
    expect(JSON.parse(out.stdout).collections).toEqual(expectedRecords());
    const r = await ims(["import", "-"], { DATABASE_URL: db("stdin.sqlite") }, out.stdout);
    expect(row(r.stdout, "total")).toEqual([14, 14, 0, 0]);
  });
});
