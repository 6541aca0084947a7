/** Runs wrk (pinned to core 1) and reads requests/s and latency percentiles from its report. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pinned } from "./processes.ts";

export interface WrkResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Non-2xx/3xx answers plus socket errors. */
  errors: number;
}

export interface WrkOptions {
  connections: number;
  seconds: number;
  /** For POST: method, body and content type are set by a generated Lua script. */
  post?: { body: string };
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

const duration = (text: string, pct: string): number => {
  const m = new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m").exec(text);
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : NaN;
};

/** A Lua script that makes wrk POST `body` as JSON; returns its path and a clean-up. */
function postScript(body: string): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "ims-bench-wrk-"));
  const file = join(dir, "post.lua");
  // The body goes in as a Lua long string so quotes need no escaping.
  writeFileSync(file, `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [==[${body}]==]\n`);
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function wrk(url: string, o: WrkOptions): Promise<WrkResult> {
  const script = o.post ? postScript(o.post.body) : undefined;
  const args = ["wrk", "-t1", `-c${o.connections}`, `-d${o.seconds}s`, "--latency", ...(script ? ["-s", script.file] : []), url];
  const proc = Bun.spawn(pinned(1, args), { stdout: "pipe", stderr: "pipe" });
  const [text, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  script?.remove();
  if (code !== 0) throw new Error(`wrk failed (${code}): ${err || text}`);
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: duration(text, "50"),
    p99Ms: duration(text, "99"),
    requests: num(/(\d+) requests in/),
    errors: num(/Non-2xx or 3xx responses: (\d+)/) + (socketErrors ? socketErrors.slice(1).reduce((s, n) => s + Number(n), 0) : 0),
  };
}
