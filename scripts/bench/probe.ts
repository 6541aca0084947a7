/**
 * How long other requests wait while something heavy runs: requests sent one after another
 * until stopped, each one's latency kept. The longest is what "held up" means.
 */
export interface ProbeResult {
  count: number;
  maxMs: number;
  p99Ms: number;
  p50Ms: number;
  errors: number;
}

export function startProbe(send: () => Promise<Response>): { stop(): Promise<ProbeResult> } {
  const times: number[] = [];
  let errors = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      try {
        const res = await send();
        await res.arrayBuffer();
        if (res.status >= 400) errors++;
      } catch {
        errors++;
      }
      times.push(performance.now() - t);
      await Bun.sleep(5);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const sorted = [...times].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
      return { count: times.length, maxMs: sorted.at(-1) ?? NaN, p99Ms: at(0.99), p50Ms: at(0.5), errors };
    },
  };
}
