/**
 * `bun run bench`: throughput, start-up time and memory of the real service on SQLite, against a
 * bare Bun.serve as the ceiling. Prints numbers only; nothing here passes or fails on timing.
 * Needs wrk (apt-get install wrk); pins the server to core 0 and wrk to core 1 with taskset.
 * BENCH_SECONDS sets the length of each measured run (default 5).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listMemory, printMemory } from "./bench/list-memory.ts";
import { measure, measureSideBySide } from "./bench/measure.ts";
import { peakRss, rss } from "./bench/proc.ts";
import { hasTaskset, startServer, type Server } from "./bench/processes.ts";
import { seed } from "./bench/seed.ts";
import { printStartup, startupTimes } from "./bench/startup.ts";
import { printTable, type Row } from "./bench/table.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 64;
const LIST_CONNECTIONS = 32;
const IMAGES = 10_000;
const STARTUP_RECORDS = { images: 40_000, recipes: 25_000, public_keys: 25_000, deleted_images: 10_000 };
const STARTUP_RUNS = 5;
const SERVICE = ["bun", "packages/ims-cli/src/main.ts", "serve"];
const BARE = ["bun", "scripts/bench/bare.ts"];

if (!Bun.which("wrk")) {
  console.error("wrk is not installed: apt-get install wrk");
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), "ims-bench-"));
const serviceEnv = (db: string, logLevel = "warn") => ({
  DATABASE_URL: `sqlite:${db}`,
  IMS_ARTIFACTS_DIR: join(dir, "artifacts"),
  IMS_VERSION_FILE: join(dir, "version"),
  LOG_LEVEL: logLevel,
});
const running = new Set<Server>();
async function start(cmd: string[], env: Record<string, string>, readyPath: string) {
  const server = await startServer(cmd, env, readyPath);
  running.add(server);
  return server;
}
async function stop(server: Server) {
  running.delete(server);
  await server.stop();
}
const run = (o: { connections?: number; post?: { body: string } } = {}) => ({ connections: CONNECTIONS, seconds: SECONDS, ...o });

try {
  console.log(`ims bench: wrk 1 thread, ${SECONDS} s per run after a 1 s warm-up; taskset ${hasTaskset() ? "on (server core 0, wrk core 1)" : "not found: unpinned"}`);
  const db = join(dir, "images.sqlite");
  let t = performance.now();
  const ids = await seed(db, { images: IMAGES });
  console.log(`seeded ${IMAGES} images in ${(performance.now() - t).toFixed(0)} ms`);

  const rows: Row[] = [];
  // The ceiling is measured before and after the service: other load on the machine shows as a gap.
  const ceiling = async (when: string) => {
    const bare = await start(BARE, {}, "/");
    rows.push(await measure(`bare Bun.serve hello world (${when})`, bare, "/", run()));
    await stop(bare);
  };
  await ceiling("ceiling, before");

  let service = await start(SERVICE, serviceEnv(db), "/healthz/ready");
  const afterStart = rss(service.pid);
  // Two runs, like the ceiling's two: the best of each pair is compared, so a burst of other
  // work on the machine during one run does not decide the ratio.
  const getImage: Row[] = [];
  for (const n of [1, 2]) getImage.push(await measure(`GET /v3/images/{id} (run ${n})`, service, `/v3/images/${ids.images}`, run()));
  rows.push(...getImage);
  // The cost of metrics: the same service with IMS_METRICS=off, side by side on the same core.
  const noMetrics = await start(SERVICE, { ...serviceEnv(db), IMS_METRICS: "off" }, "/healthz/ready");
  const pairs: [Row, Row][] = [];
  for (const n of [1, 2]) {
    pairs.push(
      await measureSideBySide(
        { name: `GET /v3/images/{id}, metrics on, side by side (run ${n})`, server: service, note: "default" },
        { name: `GET /v3/images/{id}, IMS_METRICS=off, side by side (run ${n})`, server: noMetrics, note: "same core, same time" },
        `/v3/images/${ids.images}`,
        run({ connections: CONNECTIONS / 2 }),
      ),
    );
  }
  await stop(noMetrics);
  rows.push(...pairs.flat());
  const memory = await listMemory(service.pid, `${service.base}/v3/images`);
  rows.push(await measure(`GET /v3/images (list of ${IMAGES})`, service, "/v3/images", run({ connections: LIST_CONNECTIONS }), `${(memory.responseBytes / 2 ** 20).toFixed(1)} MB per response`));
  const afterListBench = rss(service.pid);
  const peakListBench = peakRss(service.pid);
  const key = { name: "bench", public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA bench@host" };
  rows.push(await measure("POST /v3/public-keys", service, "/v3/public-keys", run({ post: { body: JSON.stringify(key) } }), "one SQLite commit each"));
  await stop(service);

  // The same read with the default request log on (one JSON line per request, to /dev/null).
  service = await start(SERVICE, serviceEnv(db, "info"), "/healthz/ready");
  rows.push(await measure("GET /v3/images/{id}, LOG_LEVEL=info", service, `/v3/images/${ids.images}`, run(), "request log on"));
  await stop(service);
  await ceiling("ceiling, after");

  printTable(rows);
  const best = (pair: Row[]) => ({ rps: Math.max(...pair.map((r) => r.rps)), cpu: Math.min(...pair.map((r) => r.cpuUsPerRequest)) });
  const bare = best([rows[0]!, rows[rows.length - 1]!]);
  const get = best(getImage);
  console.log(
    `\nget-image / bare = ${((get.rps / bare.rps) * 100).toFixed(1)}% by req/s, ${((bare.cpu / get.cpu) * 100).toFixed(1)}% by server CPU ` +
      `per request (best of two runs each; target >= 50%)`,
  );
  // Each pair's ratios were measured under the same conditions: both are printed.
  const costs = pairs.map(([on, off]) => ({ rps: 1 - on.rps / off.rps, cpu: on.cpuUsPerRequest / off.cpuUsPerRequest - 1 }));
  const pct = (xs: number[]) => xs.map((x) => `${(x * 100).toFixed(1)}%`).join(", ");
  console.log(
    `metrics cost on get-image (on vs IMS_METRICS=off side by side on one core): ${pct(costs.map((c) => c.rps))} of req/s, ` +
      `${pct(costs.map((c) => c.cpu))} more server CPU per request (run 1, run 2; budget 5%)`,
  );
  printMemory(memory, afterStart, afterListBench, peakListBench, LIST_CONNECTIONS);

  const big = join(dir, "startup.sqlite");
  t = performance.now();
  await seed(big, STARTUP_RECORDS);
  const total = Object.values(STARTUP_RECORDS).reduce((s, n) => s + n, 0);
  const mix = Object.entries(STARTUP_RECORDS).map(([c, n]) => `${n} ${c}`).join(", ");
  console.log(`\nStart-up (spawn to the first 200 of /healthz/ready) on ${total} records (${mix}; seeded in ${(performance.now() - t).toFixed(0)} ms)`);
  printStartup(await startupTimes(SERVICE, serviceEnv(big), STARTUP_RUNS));
} finally {
  for (const server of running) await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
