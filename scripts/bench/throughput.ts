/**
 * Throughput of one backend against bare Bun.serve, in one run: GET of one image (ceiling: a
 * small body), GET of the list of 10,000 images (ceiling: the same bytes from memory), POST of
 * public keys over 32 connections, and the memory 32 concurrent lists take.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchDatabase } from "./backends.ts";
import { listMemory, printMemory } from "./list-memory.ts";
import { measure, measureSideBySide } from "./measure.ts";
import { peakRss, rss } from "./proc.ts";
import type { Server } from "./processes.ts";
import { seed } from "./seed.ts";
import { printTable, type Row } from "./table.ts";

export const IMAGES = 10_000;
const CONNECTIONS = 64;
const LIST_CONNECTIONS = 32;
const POST_CONNECTIONS = 32;
/** Upstream IMS v3.33.0's peak RSS with 32 concurrent lists of 10,000 images (issue 14). */
const UPSTREAM_LIST_RSS = 145 * 2 ** 20;

export interface Starter {
  service(env?: Record<string, string>): Promise<Server>;
  bare(env?: Record<string, string>): Promise<Server>;
  stop(server: Server): Promise<void>;
}

export interface Throughput {
  getImage: number;
  bare: number;
  list: number;
  bareList: number;
  postKeys: number;
  listPeakRss: number;
}

export async function throughput(db: BenchDatabase, start: Starter, seconds: number, dir: string): Promise<Throughput> {
  const run = (connections = CONNECTIONS, post?: { body: string }) => ({ connections, seconds, post });
  const ids = await seed(db.url, { images: IMAGES });
  const rows: Row[] = [];
  // The ceiling is measured before and after the service: other load on the machine shows as a gap.
  const ceiling = async (when: string) => {
    const bare = await start.bare();
    rows.push(await measure(`bare Bun.serve hello world (${when})`, bare, "/", run()));
    await start.stop(bare);
  };
  await ceiling("ceiling, before");

  let service = await start.service();
  const afterStart = rss(service.pid);
  // Two runs, like the ceiling's two: the best of each pair is compared, so a burst of other
  // work on the machine during one run does not decide the ratio.
  const getImage: Row[] = [];
  for (const n of [1, 2]) getImage.push(await measure(`GET /v3/images/{id} (run ${n})`, service, `/v3/images/${ids.images}`, run()));
  rows.push(...getImage);
  // The cost of metrics: the same service with IMS_METRICS=off, side by side on the same core.
  const noMetrics = await start.service({ IMS_METRICS: "off" });
  const pairs: [Row, Row][] = [];
  for (const n of [1, 2]) {
    pairs.push(
      await measureSideBySide(
        { name: `GET /v3/images/{id}, metrics on, side by side (run ${n})`, server: service, note: "default" },
        { name: `GET /v3/images/{id}, IMS_METRICS=off, side by side (run ${n})`, server: noMetrics, note: "same core, same time" },
        `/v3/images/${ids.images}`,
        run(CONNECTIONS / 2),
      ),
    );
  }
  await start.stop(noMetrics);
  rows.push(...pairs.flat());
  const listFile = join(dir, `list-${db.backend}.json`);
  writeFileSync(listFile, new Uint8Array(await (await fetch(`${service.base}/v3/images`)).arrayBuffer()));
  const memory = await listMemory(service.pid, `${service.base}/v3/images`);
  const list = await measure(`GET /v3/images (list of ${IMAGES})`, service, "/v3/images", run(LIST_CONNECTIONS), `${(memory.responseBytes / 2 ** 20).toFixed(2)} MB per response`);
  rows.push(list);
  const afterListBench = rss(service.pid);
  const peakListBench = peakRss(service.pid);
  const key = { name: "bench", public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA bench@host" };
  const postKeys = await measure("POST /v3/public-keys", service, "/v3/public-keys", run(POST_CONNECTIONS, { body: JSON.stringify(key) }), "a durable commit each");
  rows.push(postKeys);
  await start.stop(service);

  // The same read with the default request log on (one JSON line per request, to /dev/null).
  service = await start.service({ LOG_LEVEL: "info" });
  rows.push(await measure("GET /v3/images/{id}, LOG_LEVEL=info", service, `/v3/images/${ids.images}`, run(), "request log on"));
  await start.stop(service);

  const bareListServer = await start.bare({ BARE_LIST_FILE: listFile });
  const bareList = await measure("bare Bun.serve, the same list bytes", bareListServer, "/list", run(LIST_CONNECTIONS), "ceiling of the list");
  rows.push(bareList);
  await start.stop(bareListServer);
  await ceiling("ceiling, after");

  printTable(rows);
  const best = (pair: Row[]) => ({ rps: Math.max(...pair.map((r) => r.rps)), cpu: Math.min(...pair.map((r) => r.cpuUsPerRequest)) });
  const bare = best([rows[0]!, rows[rows.length - 1]!]);
  const get = best(getImage);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const getTarget = db.backend === "sqlite" ? 50 : 40;
  console.log(
    `\n  get image / bare:        ${pct(get.rps / bare.rps)} by req/s (${get.rps.toFixed(0)} / ${bare.rps.toFixed(0)}), ` +
      `${pct(bare.cpu / get.cpu)} by server CPU per request (best of two runs each; target >= ${getTarget}%)`,
  );
  console.log(`  list / bare same bytes:  ${pct(list.rps / bareList.rps)} by req/s (${list.rps.toFixed(0)} / ${bareList.rps.toFixed(0)}; target >= 70%)`);
  console.log(`  POST public keys / bare: ${pct(postKeys.rps / bare.rps)} by req/s (${postKeys.rps.toFixed(0)} / ${bare.rps.toFixed(0)}; ${POST_CONNECTIONS} connections)`);
  // Each pair's ratios were measured under the same conditions: both are printed.
  const costs = pairs.map(([on, off]) => ({ rps: 1 - on.rps / off.rps, cpu: on.cpuUsPerRequest / off.cpuUsPerRequest - 1 }));
  const pcts = (xs: number[]) => xs.map(pct).join(", ");
  console.log(
    `  metrics cost on get image (on vs IMS_METRICS=off side by side on one core): ${pcts(costs.map((c) => c.rps))} of req/s, ` +
      `${pcts(costs.map((c) => c.cpu))} more server CPU per request (run 1, run 2; budget 5%)`,
  );
  printMemory(memory, afterStart, afterListBench, peakListBench, LIST_CONNECTIONS);
  console.log(`  peak RSS of the list benchmark: ${pct(peakListBench / UPSTREAM_LIST_RSS)} of upstream's 145 MB (target <= 100%)`);
  return { getImage: get.rps, bare: bare.rps, list: list.rps, bareList: bareList.rps, postKeys: postKeys.rps, listPeakRss: peakListBench };
}
