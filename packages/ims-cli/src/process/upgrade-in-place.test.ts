/**
 * Upgrade in place through real `ims serve` processes: started on a copy of upstream's data
 * directory (IMS_LEGACY_DATA_DIR) with an empty database, the service imports the files once
 * before it listens and serves every record byte for byte as upstream's JSON held it; later
 * starts import nothing and report changed files; a corrupt file stops start-up. PostgreSQL:
 * two replicas starting together on one fresh database import once (the server must be there).
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ALL_LEGACY_FILES, COLLECTIONS, sortKeys, type Collection } from "@ims/core";
import { createPostgresDatabase, expectedRecords, legacyFiles, type TestDatabase } from "@ims/core/test-support";
import { ims, tempDir, writeLegacyDir } from "../test-support/cli.ts";
import { ROOT, SERVICE_ARGV, freePort, startService, type ServiceProcess } from "../test-support/processes.ts";

const { dir, cleanup } = await tempDir();
const services: ServiceProcess[] = [];
const databases: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  for (const db of databases) await db.drop();
  await cleanup();
});

const PATHS: Record<Collection, string> = {
  public_keys: "/v3/public-keys",
  deleted_public_keys: "/v3/deleted/public-keys",
  recipes: "/v3/recipes",
  deleted_recipes: "/v3/deleted/recipes",
  images: "/v3/images",
  deleted_images: "/v3/deleted/images",
  jobs: "/v3/jobs",
  remote_build_nodes: "/v3/remote-build-nodes",
};

let seq = 0;
/** A fresh copy of upstream's data directory and a SQLite file beside it. */
async function setup(files = legacyFiles()) {
  const home = join(dir, `run-${++seq}`);
  const data = await writeLegacyDir(home, files);
  return { data, env: { DATABASE_URL: `sqlite:${join(home, "ims.sqlite")}`, IMS_ARTIFACTS_DIR: join(home, "artifacts"), IMS_LEGACY_DATA_DIR: data, LOG_LEVEL: "info" } };
}

async function serve(env: Record<string, string>) {
  const service = await startService(env);
  services.push(service);
  return service;
}

/** The service's log lines (JSON on stdout) with `msg` starting with "upgrade in place". */
const upgradeLines = (service: ServiceProcess) =>
  service.output().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l)).filter((l) => String(l.msg).startsWith("upgrade in place"));

/** Every collection as the service answers it: exactly upstream's sorted-key JSON of the expected records (jsonify ends with a newline). */
async function expectServedAsUpstream(base: string) {
  const expected = expectedRecords();
  for (const c of COLLECTIONS) {
    const res = await fetch(base + PATHS[c]);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(`${JSON.stringify(expected[c].map((r) => sortKeys(r)))}\n`);
  }
}

/** Names, modes, times and contents: what "left untouched" means. */
const fingerprint = (data: string) =>
  readdirSync(data).sort().map((name) => [name, statSync(join(data, name)).mode, statSync(join(data, name)).mtimeMs, readFileSync(join(data, name), "utf8")]);

describe("ims serve on upstream's data directory (SQLite)", () => {
  test("the first start imports every record before listening and logs the counts; a restart imports nothing; the files stay untouched", async () => {
    const { data, env } = await setup();
    const before = fingerprint(data);
    const first = await serve(env);
    const [imported, ...rest] = upgradeLines(first);
    expect(rest).toEqual([]);
    expect(imported).toMatchObject({
      level: "info", msg: "upgrade in place: imported upstream's data files", dir: data,
      counts: { public_keys: 2, deleted_public_keys: 1, recipes: 2, deleted_recipes: 1, images: 3, deleted_images: 1, jobs: 2, remote_build_nodes: 2 },
      sources: { jobs: "v2.4_jobs.json", images: "v2.1_images.json" },
    });
    await expectServedAsUpstream(first.base);
    const versions = await (await fetch(`${first.base}/v3/images`)).text();
    await first.stop();

    const second = await serve(env);
    expect(upgradeLines(second)).toEqual([]);
    await expectServedAsUpstream(second.base);
    expect(await (await fetch(`${second.base}/v3/images`)).text()).toBe(versions);
    await second.stop();
    expect(fingerprint(data)).toEqual(before);
  }, 60_000);

  test("a file changed after the import is reported with a warning per file, and not merged", async () => {
    const { data, env } = await setup();
    await (await serve(env)).stop();
    writeFileSync(join(data, "v2.0_remote_build_nodes.json"), JSON.stringify([{ xname: "x9000c0s1b0n0" }]));
    writeFileSync(join(data, "v2_jobs.json"), "[]");
    const later = await serve(env);
    expect(upgradeLines(later).map((l) => [l.level, l.file, l.change])).toEqual([
      ["warn", "v2_jobs.json", "added"],
      ["warn", "v2.0_remote_build_nodes.json", "changed"],
    ]);
    expect(upgradeLines(later)[1].msg).toContain("not imported again (ims migrate-legacy merges it)");
    await expectServedAsUpstream(later.base);
    await later.stop();
  }, 60_000);

  test("a store filled by ims migrate-legacy from the same files is recognised: nothing imported, nothing to warn", async () => {
    const { data, env } = await setup();
    expect((await ims(["migrate-legacy", data], env)).code).toBe(0);
    const service = await serve(env);
    expect(upgradeLines(service)).toEqual([]);
    await expectServedAsUpstream(service.base);
    await service.stop();
  }, 60_000);

  test("a database that already holds other records is left alone, with one warning", async () => {
    const { data, env } = await setup();
    const fresh = await serve({ ...env, IMS_LEGACY_DATA_DIR: join(dir, "no-such-dir") });
    expect(upgradeLines(fresh)).toEqual([]); // a missing directory: nothing to import
    const created = await fetch(`${fresh.base}/v3/public-keys`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "mine", public_key: "ssh-ed25519 AAAA me" }),
    });
    expect(created.status).toBe(201);
    await fresh.stop();

    const service = await serve(env);
    const lines = upgradeLines(service);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "warn", dir: data, files: ALL_LEGACY_FILES.filter((name) => Object.hasOwn(legacyFiles(), name)) });
    expect(lines[0].msg).toContain("already holds records");
    expect(JSON.parse(await (await fetch(`${service.base}/v3/public-keys`)).text()).map((k: { name: string }) => k.name)).toEqual(["mine"]);
    await service.stop();
  }, 60_000);

  test("a corrupt file stops start-up: one line naming the file and the record, exit 1, nothing imported", async () => {
    const jobs = JSON.parse(legacyFiles()["v2.4_jobs.json"]!);
    jobs[1].status = "running";
    const { env } = await setup({ ...legacyFiles(), "v2.4_jobs.json": JSON.stringify(jobs) });
    const proc = Bun.spawn(SERVICE_ARGV, { cwd: ROOT, env: { ...process.env, IMS_KUBERNETES: "none", PORT: String(freePort()), ...env }, stdout: "pipe", stderr: "pipe" });
    expect(await proc.exited).toBe(1);
    const stderr = (await new Response(proc.stderr).text()).trim().split("\n");
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/^ims serve: error: upgrade in place from \S+ stopped, nothing was imported: v2\.4_jobs\.json, record at index 1 \(id "b2f6b51f-[^"]+"\): field 'status'/);
    // Mended, the next start imports.
    const data = env.IMS_LEGACY_DATA_DIR;
    writeFileSync(join(data, "v2.4_jobs.json"), legacyFiles()["v2.4_jobs.json"]!);
    const service = await serve(env);
    expect(upgradeLines(service)[0]?.msg).toBe("upgrade in place: imported upstream's data files");
    await service.stop();
  }, 60_000);
});

describe("ims serve on upstream's data directory (PostgreSQL)", () => {
  test("two replicas starting together on one fresh database: exactly one imports, both serve every record", async () => {
    const db = await createPostgresDatabase("in_place");
    databases.push(db);
    const { data, env } = await setup();
    const before = fingerprint(data);
    const replicas = await Promise.all([serve({ ...env, DATABASE_URL: db.url }), serve({ ...env, DATABASE_URL: db.url })]);
    const lines = replicas.map(upgradeLines);
    expect(lines.map((l) => l.map((x) => x.msg)).sort()).toEqual([[], ["upgrade in place: imported upstream's data files"]]);
    for (const r of replicas) await expectServedAsUpstream(r.base);
    await Promise.all(replicas.map((r) => r.stop()));
    expect(fingerprint(data)).toEqual(before);
  }, 60_000);
});
