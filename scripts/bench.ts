/**
 * `bun run bench`: throughput, memory, hold-ups and start-up of the real service on SQLite and
 * PostgreSQL, each figure beside its ceiling (a bare Bun.serve measured in the same run). Prints
 * numbers only; nothing here passes or fails on timing. Needs wrk (apt-get install wrk); pins
 * the server to core 0 and wrk to core 1 with taskset. On a shared machine absolute numbers
 * drift: the load average is printed with the results, and ratios are taken within one run.
 *   BENCH_SECONDS   length of each measured run (default 5)
 *   BENCH_BACKENDS  sqlite,postgres (default both; PostgreSQL from IMS_TEST_POSTGRES_URL)
 *   BENCH_ONLY      throughput,delete,jobs,events,startup (default all)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chosenBackends, createDatabase, type BenchDatabase } from "./bench/backends.ts";
import { collectionDelete, printDelete } from "./bench/collection-delete.ts";
import { eventsBench } from "./bench/events.ts";
import { jobBurst, printBurst } from "./bench/job-burst.ts";
import { loadLine } from "./bench/load.ts";
import { hasTaskset, startServer, type Server } from "./bench/processes.ts";
import { seed } from "./bench/seed.ts";
import { printStartup, startupTimes } from "./bench/startup.ts";
import { throughput } from "./bench/throughput.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SECTIONS = new Set((process.env.BENCH_ONLY ?? "throughput,delete,jobs,events,startup").split(","));
const STARTUP_RECORDS = { images: 40_000, recipes: 25_000, public_keys: 25_000, deleted_images: 10_000 };
const STARTUP_RUNS = 5;
const SERVICE = ["bun", "packages/ims-cli/src/main.ts", "serve"];
const BARE = ["bun", "scripts/bench/bare.ts"];

if (!Bun.which("wrk")) {
  console.error("wrk is not installed: apt-get install wrk");
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), "ims-bench-"));
const running = new Set<Server>();
const databases = new Set<BenchDatabase>();

async function start(cmd: string[], env: Record<string, string>, readyPath: string) {
  const server = await startServer(cmd, env, readyPath);
  running.add(server);
  return server;
}
async function stop(server: Server) {
  if (!running.delete(server)) return;
  await server.stop();
}
async function database(backend: BenchDatabase["backend"]) {
  const db = await createDatabase(backend);
  databases.add(db);
  return db;
}
async function drop(db: BenchDatabase) {
  databases.delete(db);
  await db.drop();
}
const serviceEnv = (db: BenchDatabase, extra: Record<string, string> = {}) => ({
  DATABASE_URL: db.url,
  IMS_ARTIFACTS_DIR: join(dir, "artifacts"),
  IMS_VERSION_FILE: join(dir, "version"),
  LOG_LEVEL: "warn",
  ...extra,
});
const starter = (db: BenchDatabase) => ({
  service: (env: Record<string, string> = {}) => start(SERVICE, serviceEnv(db, env), "/healthz/ready"),
  bare: (env: Record<string, string> = {}) => start(BARE, env, "/"),
  stop,
});

try {
  console.log(`ims bench: wrk 1 thread, ${SECONDS} s per run after a 1 s warm-up; taskset ${hasTaskset() ? "on (server core 0, wrk core 1)" : "not found: unpinned"}`);
  console.log(`at start: ${loadLine()}`);
  for (const backend of chosenBackends(process.env.BENCH_BACKENDS)) {
    console.log(`\n===== ${backend === "sqlite" ? "SQLite" : "PostgreSQL"} =====`);
    if (SECTIONS.has("throughput")) {
      const db = await database(backend);
      await throughput(db, starter(db), SECONDS, dir);
      await drop(db);
      console.log(`  (${loadLine()})`);
    }
    if (SECTIONS.has("delete")) {
      console.log("\nCollection deletes while other requests are sent");
      for (const path of ["/v2/public-keys", "/v3/public-keys"] as const) {
        const db = await database(backend);
        printDelete(await collectionDelete(db, path, () => starter(db).service(), stop), backend);
        await drop(db);
      }
      console.log(`  (${loadLine()})`);
    }
    if (SECTIONS.has("jobs")) {
      console.log("\nJob creates against the faithful Kubernetes API server");
      const db = await database(backend);
      printBurst(await jobBurst(db, (env) => starter(db).service(env), stop));
      await drop(db);
    }
    if (SECTIONS.has("events")) {
      console.log("\nEvents (GET /v3/events)");
      const db = await database(backend);
      await eventsBench(db, (env) => starter(db).service(env), stop, SECONDS);
      await drop(db);
      console.log(`  (${loadLine()})`);
    }
    if (SECTIONS.has("startup")) {
      const db = await database(backend);
      const t = performance.now();
      await seed(db.url, STARTUP_RECORDS);
      const total = Object.values(STARTUP_RECORDS).reduce((s, n) => s + n, 0);
      const mix = Object.entries(STARTUP_RECORDS).map(([c, n]) => `${n} ${c}`).join(", ");
      console.log(`\nStart-up (spawn to the first 200 of /healthz/ready) on ${total} records (${mix}; seeded in ${(performance.now() - t).toFixed(0)} ms)`);
      printStartup(await startupTimes(SERVICE, serviceEnv(db), STARTUP_RUNS));
      await drop(db);
    }
  }
  console.log(`\nat end: ${loadLine()}`);
} finally {
  for (const server of running) await server.stop();
  for (const db of databases) await db.drop();
  rmSync(dir, { recursive: true, force: true });
}
