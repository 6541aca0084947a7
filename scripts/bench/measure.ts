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

/**
 * Two servers on the same core, loaded at the same time by two wrk processes: whatever else the
 * machine does slows both alike, so their ratio (req/s, CPU per request) is the difference of the
 * servers themselves. Used for costs of a few percent, which separate runs cannot resolve here.
 */
export async function measureSideBySide(
  a: { name: string; server: Server; note?: string },
  b: { name: string; server: Server; note?: string },
  path: string,
  opts: WrkOptions,
): Promise<[Row, Row]> {
  await Promise.all([wrk(a.server.base + path, { ...opts, seconds: 1 }), wrk(b.server.base + path, { ...opts, seconds: 1 })]);
  const cpu0 = [cpuMs(a.server.pid), cpuMs(b.server.pid)];
  const [ra, rb] = await Promise.all([wrk(a.server.base + path, opts), wrk(b.server.base + path, opts)]);
  const row = (x: typeof a, r: typeof ra, cpu: number): Row => ({
    name: x.name, ...r, cpuUsPerRequest: ((cpuMs(x.server.pid) - cpu) * 1000) / Math.max(1, r.requests), connections: opts.connections, note: x.note ?? "",
  });
  return [row(a, ra, cpu0[0]!), row(b, rb, cpu0[1]!)];
}
