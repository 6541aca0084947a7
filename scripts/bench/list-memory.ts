/**
 * What serving the big list costs in memory, read from the server's RSS. The first request also
 * fills SQLite's page cache (about the table's size), so single requests after it are measured
 * too: the median of 5, because the allocator and the GC make any one of them noisy.
 */
import { mb, peakRss, resetPeak, rss } from "./proc.ts";

export interface ListMemory {
  responseBytes: number;
  before: number;
  afterFirst: number;
  /** Median peak growth of one list request; NaN when the peak cannot be reset. */
  single: number;
}

export async function listMemory(pid: number, url: string): Promise<ListMemory> {
  const fetchList = async () => (await (await fetch(url)).arrayBuffer()).byteLength;
  const before = rss(pid);
  const responseBytes = await fetchList();
  const afterFirst = rss(pid);
  const singles: number[] = [];
  for (let i = 0; i < 5 && resetPeak(pid); i++) {
    const at = rss(pid);
    await fetchList();
    singles.push(peakRss(pid) - at);
  }
  singles.sort((a, b) => a - b);
  return { responseBytes, before, afterFirst, single: singles.length ? singles[Math.floor(singles.length / 2)]! : NaN };
}

export function printMemory(m: ListMemory, afterStart: number, afterBench: number, peakBench: number, connections: number): void {
  const times = (bytes: number) => `${(bytes / m.responseBytes).toFixed(2)}x the response`;
  console.log("\nMemory (VmRSS of the service process)");
  console.log(`  after start:                      ${mb(afterStart)}`);
  console.log(`  one list response:                ${mb(m.responseBytes)} (${m.responseBytes} bytes)`);
  console.log(`  first list request:               ${mb(m.before)} -> ${mb(m.afterFirst)} (+${mb(m.afterFirst - m.before)}, ${times(m.afterFirst - m.before)}; includes SQLite's page cache)`);
  if (!Number.isNaN(m.single)) console.log(`  peak growth of one more list:     +${mb(m.single)}, ${times(m.single)} (median of 5 single requests)`);
  const perConnection = (afterBench - m.before) / connections;
  console.log(`  after the list benchmark:         ${mb(afterBench)} (+${mb(afterBench - m.before)}, peak ${mb(peakBench)}; ${connections} connections at once: ${times(perConnection)} per connection)`);
  console.log("  target: one list grows RSS by less than 2x the response (the list is not held twice)");
}
