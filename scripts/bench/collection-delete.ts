/**
 * A collection delete must not hold anyone up: 40,000 public keys are deleted (v2: hard, v3:
 * soft) while a GET of one image and a POST of a new image are sent one after another; the
 * longest of each is the hold-up. Also the SQLite write-ahead log: its size after the delete,
 * and after a clean shutdown.
 */
import type { BenchDatabase } from "./backends.ts";
import { startProbe, type ProbeResult } from "./probe.ts";
import type { Server } from "./processes.ts";
import { seed } from "./seed.ts";

export const DELETE_KEYS = 40_000;

export interface DeleteResult {
  path: string;
  status: number;
  deleteMs: number;
  get: ProbeResult;
  post: ProbeResult;
  walAfterDelete: number;
  walAfterShutdown: number;
}

/** Seeds the keys and an image, starts the service, deletes, stops it. */
export async function collectionDelete(
  db: BenchDatabase,
  path: "/v2/public-keys" | "/v3/public-keys",
  startService: () => Promise<Server>,
  stopService: (s: Server) => Promise<void>,
): Promise<DeleteResult> {
  const ids = await seed(db.url, { public_keys: DELETE_KEYS, images: 1 });
  const service = await startService();
  try {
    const get = startProbe(() => fetch(`${service.base}/v3/images/${ids.images}`));
    const image = JSON.stringify({ name: "probe" });
    const post = startProbe(() => fetch(`${service.base}/v3/images`, { method: "POST", headers: { "content-type": "application/json" }, body: image }));
    await Bun.sleep(200); // the probes run before the delete starts, as a client already talking would
    const t = performance.now();
    const res = await fetch(service.base + path, { method: "DELETE" });
    const deleteMs = performance.now() - t;
    await Bun.sleep(200);
    const [g, p] = [await get.stop(), await post.stop()];
    const walAfterDelete = db.walBytes();
    await stopService(service);
    return { path, status: res.status, deleteMs, get: g, post: p, walAfterDelete, walAfterShutdown: db.walBytes() };
  } finally {
    await stopService(service);
  }
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const mbOf = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;

export function printDelete(r: DeleteResult, backend: string): void {
  console.log(
    `  DELETE ${r.path} of ${DELETE_KEYS} keys: ${r.status} in ${ms(r.deleteMs)}; meanwhile ` +
      `GET image max ${ms(r.get.maxMs)} (p99 ${ms(r.get.p99Ms)}, ${r.get.count} sent), ` +
      `POST image max ${ms(r.post.maxMs)} (p99 ${ms(r.post.p99Ms)}, ${r.post.count} sent)` +
      (r.get.errors + r.post.errors ? `, ${r.get.errors + r.post.errors} errors` : "") +
      ` (target: no request held up > 100 ms)`,
  );
  if (backend === "sqlite") console.log(`    SQLite WAL: ${mbOf(r.walAfterDelete)} after the delete, ${mbOf(r.walAfterShutdown)} after shutdown (target: bounded)`);
}
