/** Start-up time: spawn to the first 200 of /healthz/ready, several runs on one database. */
import { mb, rss } from "./proc.ts";
import { startServer } from "./processes.ts";

export async function startupTimes(cmd: string[], env: Record<string, string>, runs: number): Promise<{ times: number[]; rss: number }> {
  const times: number[] = [];
  let firstRss = NaN;
  for (let i = 0; i < runs; i++) {
    const server = await startServer(cmd, env, "/healthz/ready");
    times.push(server.startupMs);
    if (i === 0) firstRss = rss(server.pid);
    await server.stop();
  }
  return { times, rss: firstRss };
}

export function printStartup(r: { times: number[]; rss: number }): void {
  const sorted = [...r.times].sort((a, b) => a - b);
  console.log(`  runs: ${r.times.map((ms) => `${ms.toFixed(0)} ms`).join(", ")}; median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms (target < 1000 ms)`);
  console.log(`  RSS after start: ${mb(r.rss)}`);
}
