/** One wrk measurement of a running server: throughput, latency, and the server's CPU per request. */
import type { Server } from "./processes.ts";
import { cpuMs } from "./proc.ts";
import type { Row } from "./table.ts";
import { wrk, type WrkOptions } from "./wrk.ts";

/**
 * A 1 s warm-up (JIT, caches), then the measured run. CPU time per request is recorded too:
 * unlike req/s it hardly moves when other work shares the machine.
 */
export async function measure(name: string, server: Server, path: string, opts: WrkOptions, note = ""): Promise<Row> {
  await wrk(server.base + path, { ...opts, seconds: 1 });
  const cpu0 = cpuMs(server.pid);
  const r = await wrk(server.base + path, opts);
  const cpuUsPerRequest = ((cpuMs(server.pid) - cpu0) * 1000) / Math.max(1, r.requests);
  return { name, ...r, cpuUsPerRequest, connections: opts.connections, note };
}
