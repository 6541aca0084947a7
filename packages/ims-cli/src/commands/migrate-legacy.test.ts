/** `bun run ims migrate-legacy` end to end against a temp SQLite file, then read through the core. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { openLocalArtifacts } from "@ims/core/local-artifacts";
import { openStore } from "@ims/core/open-store";
import { sortKeys } from "@ims/core";
import { COLLECTIONS, LEGACY_IMPORT_NOTE } from "@ims/core";
import { createIms } from "@ims/core";
import { expectedRecords, legacyFiles } from "@ims/core/test-support";
import { ims, row, tempDir, writeLegacyDir } from "../test-support/cli.ts";

let dir: string;
let cleanup: () => Promise<void>;
let data: string;
let dbFile: string;
let env: Record<string, string>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  data = await writeLegacyDir(dir);
  dbFile = join(dir, "ims.sqlite");
  env = { DATABASE_URL: `sqlite:${dbFile}`, IMS_ARTIFACTS_DIR: join(dir, "artifacts") };
});
afterAll(() => cleanup());

/** Every record with its version, to prove a re-run touches nothing. */
async function snapshot() {
  const store = await openStore(`sqlite:${dbFile}`);
  const out = await Promise.all(COLLECTIONS.map((c) => store.list(c)));
  await store.close();
  return out;
}

describe("migrate-legacy (in order: dry run, run, re-run, read back)", () => {
  test("--dry-run prints the counts and writes nothing", async () => {
    const r = await ims(["migrate-legacy", data, "--dry-run"], env);
    expect(r.code).toBe(0);
    expect(row(r.stdout, "total")).toEqual([14, 14, 0, 0]);
    expect(row(r.stdout, "jobs")).toEqual([2, 2, 0, 0]);
    expect(r.stdout).toContain("dry run: nothing was written");
    expect(r.stderr).toContain("jobs: read from v2.4_jobs.json");
    expect(existsSync(dbFile)).toBe(false);
  });

  test("the real run imports every record and notes the files it read (as ims serve's upgrade in place does)", async () => {
    const r = await ims(["migrate-legacy", data], env);
    expect(r.code).toBe(0);
    expect(row(r.stdout, "total")).toEqual([14, 14, 0, 0]);
    expect(r.stdout).not.toContain("dry run");
    const store = await openStore(`sqlite:${dbFile}`);
    const note = JSON.parse((await store.transaction((tx) => tx.getMeta(LEGACY_IMPORT_NOTE)))!);
    await store.close();
    expect(note.from).toBe(data);
    expect(note.files.map((f: { name: string }) => f.name).sort()).toEqual(Object.keys(legacyFiles()).sort());
  });

  test("a re-run changes nothing", async () => {
    const before = await snapshot();
    const r = await ims(["migrate-legacy", data], env);
    expect(r.code).toBe(0);
    expect(row(r.stdout, "total")).toEqual([14, 0, 0, 14]);
    expect(await snapshot()).toEqual(before);
  });

  test("the core serves every record exactly as the legacy files held it (after load defaults)", async () => {
    const store = await openStore(`sqlite:${dbFile}`);
    const core = createIms({ store, artifacts: await openLocalArtifacts({ dir: join(dir, "artifacts") }) });
    try {
      const expected = expectedRecords();
      const served = {
        public_keys: await core.publicKeys.list(),
        deleted_public_keys: await core.deletedPublicKeys.list(),
        recipes: await core.recipes.list(),
        deleted_recipes: await core.deletedRecipes.list(),
        images: await core.images.list(),
        deleted_images: await core.deletedImages.list(),
        jobs: await core.jobs.list(),
        remote_build_nodes: await core.remoteBuildNodes.list(),
      };
      for (const c of COLLECTIONS) {
        // Same bytes as upstream's sorted-key JSON, record by record and in file order.
        expect(served[c].map((s) => JSON.stringify(s.data))).toEqual(expected[c].map((r) => JSON.stringify(sortKeys(r))));
      }
      const job = expected.jobs[0]!;
      expect((await core.jobs.get(job.id)).data).toEqual(job);
      expect((await core.images.get(expected.images[0]!.id)).data.link).toEqual({ etag: "abc", path: expected.images[0]!.link!.path, type: "s3" });
    } finally {
      await core.worker.stop();
      await store.close();
    }
  });
});

describe("migrate-legacy failures: one line on stderr, exit 1, nothing written", () => {
  test("a corrupt record names the file and the record; an existing store is left as it was", async () => {
    const files = legacyFiles();
    const jobs = JSON.parse(files["v2.4_jobs.json"]!);
    jobs[1].job_mem_size = "lots";
    const bad = await writeLegacyDir(join(dir, "bad"), { ...files, "v2.4_jobs.json": JSON.stringify(jobs) });
    const before = await snapshot();
    const r = await ims(["migrate-legacy", bad], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^ims migrate-legacy: error: v2\.4_jobs\.json, record at index 1 \(id "b2f6b51f-.*"\): field 'job_mem_size' must be an integer, got "lots"/);
    expect(await snapshot()).toEqual(before);
  });

  test("an id twice in a file: an error naming the file, both positions and the id; nothing written", async () => {
    const files = legacyFiles();
    const images = JSON.parse(files["v2.1_images.json"]!);
    images.push({ ...images[0], name: "a copy" });
    const bad = await writeLegacyDir(join(dir, "dup"), { ...files, "v2.1_images.json": JSON.stringify(images) });
    const before = await snapshot();
    const r = await ims(["migrate-legacy", bad], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`ims migrate-legacy: error: v2.1_images.json, records at index 0 and ${images.length - 1}: id "${images[0].id}" appears twice.\n`);
    expect(await snapshot()).toEqual(before);
  });

  test("every bad record of the run is listed, one per line, after a summary", async () => {
    const files = legacyFiles();
    const jobs = JSON.parse(files["v2.4_jobs.json"]!);
    jobs[0].status = "running";
    jobs[1].job_mem_size = "lots";
    const deleted = JSON.parse(files["v3.1_deleted_images.json"]!);
    deleted.push({ ...JSON.parse(files["v2.1_images.json"]!)[2], deleted: "2024-05-01T00:00:00" });
    const bad = await writeLegacyDir(join(dir, "many"), { ...files, "v2.4_jobs.json": JSON.stringify(jobs), "v3.1_deleted_images.json": JSON.stringify(deleted), "v2_public_keys.json": "[{]" });
    const r = await ims(["migrate-legacy", bad, "--dry-run"], env);
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("ims migrate-legacy: error: 4 problems in the input; nothing was written.");
    expect(lines.slice(1)).toEqual([
      "  v2_public_keys.json: not valid JSON: Expecting property name enclosed in double quotes: line 1 column 3 (char 2).",
      expect.stringMatching(/^  v2\.4_jobs\.json, record at index 0 .*'status' must be one of/),
      expect.stringMatching(/^  v2\.4_jobs\.json, record at index 1 .*'job_mem_size' must be an integer, got "lots"/),
      expect.stringMatching(/^  v2\.1_images\.json, record at index 2 and v3\.1_deleted_images\.json, record at index \d+: id ".*" is both live and deleted\.$/),
    ]);
  });

  test("a file that is not JSON fails before any database is created", async () => {
    const bad = await writeLegacyDir(join(dir, "bad2"), { "v2.1_images.json": "[{\"id\":" });
    const other = join(dir, "never.sqlite");
    const r = await ims(["migrate-legacy", bad], { ...env, DATABASE_URL: `sqlite:${other}` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ims migrate-legacy: error: v2\.1_images\.json: not valid JSON/);
    expect(existsSync(other)).toBe(false);
  });

  test("a directory without IMS data files, or no directory at all", async () => {
    const empty = await ims(["migrate-legacy", join(dir, "artifacts-none")], env);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("is not a directory");
    const noFiles = await ims(["migrate-legacy", join(dir, "bad2", "..")], env); // dir itself holds none
    expect(noFiles.code).toBe(1);
    expect(noFiles.stderr).toContain("holds no IMS data files");
  });

  test("usage errors exit 2", async () => {
    expect((await ims(["migrate-legacy"], env)).code).toBe(2);
    expect((await ims(["migrate-legacy", data, "--force"], env)).code).toBe(2);
    expect((await ims(["migrate-legacy", data, "extra"], env)).code).toBe(2);
  });

  test("--help describes the command and exits 0", async () => {
    const r = await ims(["migrate-legacy", "--help"], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: bun run ims migrate-legacy DIR [--dry-run]");
  });
});
