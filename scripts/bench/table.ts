/** The results table, fixed-width so it reads well in a terminal and in a report. */
import type { WrkResult } from "./wrk.ts";

export interface Row extends WrkResult {
  name: string;
  /** Server CPU time per request, µs. */
  cpuUsPerRequest: number;
  connections: number;
  note: string;
}

const pad = (s: string, n: number, right = false) => (right ? s.padStart(n) : s.padEnd(n));

export function printTable(rows: Row[]): void {
  const w = Math.max(...rows.map((r) => r.name.length), 9);
  const head = `${pad("benchmark", w)}  ${pad("conns", 5, true)}  ${pad("req/s", 9, true)}  ${pad("p50", 9, true)}  ${pad("p99", 9, true)}  ${pad("cpu/req", 10, true)}  ${pad("errors", 6, true)}  note`;
  console.log(`\n${head}\n${"-".repeat(head.length + 10)}`);
  for (const r of rows) {
    const ms = (v: number) => `${v.toFixed(2)} ms`;
    console.log(
      `${pad(r.name, w)}  ${pad(String(r.connections), 5, true)}  ${pad(r.rps.toFixed(0), 9, true)}  ${pad(ms(r.p50Ms), 9, true)}  ${pad(ms(r.p99Ms), 9, true)}  ${pad(`${r.cpuUsPerRequest.toFixed(1)} us`, 10, true)}  ${pad(String(r.errors), 6, true)}  ${r.note}`,
    );
  }
}
