/**
 * The event stream: how long after a PATCH's answer its event reaches a subscriber (p50/p99; a
 * negative figure means the event came first), on the same process and, on PostgreSQL, from
 * another replica; and what 1,000 idle subscribers cost in memory and in GET throughput.
 */
import { sseReader } from "@ims/http/test-support";
import type { BenchDatabase } from "./backends.ts";
import { measure } from "./measure.ts";
import { mb, rss } from "./proc.ts";
import type { Server } from "./processes.ts";
import { seed } from "./seed.ts";

const PATCHES = 300;
const IDLE = 1000;

const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** PATCHes one image on `writer`, one after the other; each event awaited on `reader`'s stream. */
async function latency(writer: Server, reader: Server, id: string): Promise<number[]> {
  const res = await fetch(`${reader.base}/v3/events?collection=images&id=${id}`);
  const sse = sseReader(res.body!);
  await sse.block(); // subscribed
  const out: number[] = [];
  for (let i = 0; i < PATCHES; i++) {
    const arrived = sse.event().then(() => performance.now());
    const answer = await fetch(`${writer.base}/v3/images/${id}`, {
      method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ metadata: { operation: "set", key: "n", value: String(i) } }),
    });
    await answer.arrayBuffer();
    const answered = performance.now();
    out.push((await arrived) - answered);
  }
  await sse.cancel();
  return out.sort((a, b) => a - b);
}

/**
 * A subscriber on a raw socket (fetch keeps at most a few hundred connections per host open):
 * resolves once the stream's first comment arrived, i.e. it is subscribed.
 */
function idleSubscriber(base: string): Promise<{ end(): void }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    let seen = "";
    void Bun.connect({
      hostname,
      port: Number(port),
      socket: {
        open: (socket) => void socket.write(`GET /v3/events?collection=jobs HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`),
        data: (socket, chunk) => {
          seen += chunk.toString();
          if (seen.includes(": ims events")) resolve({ end: () => socket.end() });
        },
        error: (_, e) => reject(e),
      },
    }).catch(reject);
  });
}

/** RSS moves with the collector: the median of five readings, 200 ms apart. */
async function settledRss(pid: number): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < 5; i++, await Bun.sleep(200)) xs.push(rss(pid));
  return xs.sort((x, y) => x - y)[2]!;
}

const line = (label: string, xs: number[]) =>
  console.log(`  ${label.padEnd(44)} p50 ${pct(xs, 0.5).toFixed(2)} ms, p99 ${pct(xs, 0.99).toFixed(2)} ms (${xs.length} PATCHes)`);

export async function eventsBench(db: BenchDatabase, start: (env?: Record<string, string>) => Promise<Server>, stop: (s: Server) => Promise<void>, seconds: number): Promise<void> {
  const ids = await seed(db.url, { images: 100 });
  const a = await start();
  try {
    line("PATCH answer -> event, same process", await latency(a, a, ids.images!));
    if (db.backend === "postgres") {
      const b = await start();
      line("PATCH answer -> event, from another replica", await latency(a, b, ids.images!));
      await stop(b);
    }
    const run = { connections: 64, seconds };
    const before = await measure("GET image, no subscribers", a, `/v3/images/${ids.images}`, run);
    const rssBefore = await settledRss(a.pid);
    const streams = await Promise.all(Array.from({ length: IDLE }, () => idleSubscriber(a.base)));
    const rssWith = await settledRss(a.pid);
    const during = await measure(`GET image, ${IDLE} idle subscribers`, a, `/v3/images/${ids.images}`, run);
    console.log(
      `  ${IDLE} idle subscribers: RSS ${mb(rssBefore)} -> ${mb(rssWith)} (+${((rssWith - rssBefore) / IDLE / 1024).toFixed(1)} KiB each); ` +
        `GET image ${before.rps.toFixed(0)} -> ${during.rps.toFixed(0)} req/s (${((during.rps / before.rps) * 100).toFixed(1)}%), ` +
        `CPU ${before.cpuUsPerRequest.toFixed(1)} -> ${during.cpuUsPerRequest.toFixed(1)} us per request`,
    );
    for (const s of streams) s.end();
  } finally {
    await stop(a);
  }
}
