/** Starting the measured servers pinned to one core, and reading their memory. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "../..");
const TASKSET = ["/usr/bin/taskset", "/bin/taskset"].find(existsSync);

/** The command, pinned to `cpu` when taskset exists (taskset execs: the pid stays the same). */
export const pinned = (cpu: number, cmd: string[]) => (TASKSET ? [TASKSET, "-c", String(cpu), ...cmd] : cmd);
export const hasTaskset = () => TASKSET !== undefined;

export function freePort(): number {
  const s = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

export interface Server {
  base: string;
  pid: number;
  /** ms from spawn to the first 200 of the readiness path. */
  startupMs: number;
  stop(): Promise<void>;
}

/** Spawns `cmd` (pinned to core 0) with PORT set and polls `readyPath` until it answers 200. */
export async function startServer(cmd: string[], env: Record<string, string>, readyPath: string): Promise<Server> {
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const proc = Bun.spawn(pinned(0, cmd), {
    cwd: ROOT,
    env: { ...process.env, HOST: "127.0.0.1", ...env, PORT: String(port) },
    stdin: "ignore",
    stdout: "ignore",
    stderr: "inherit",
  });
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${cmd.join(" ")} exited with ${proc.exitCode}`);
    const ok = await fetch(base + readyPath).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (performance.now() - t0 > 30_000) throw new Error(`${cmd.join(" ")} not ready after 30 s`);
    await Bun.sleep(2);
  }
  const startupMs = performance.now() - t0;
  return {
    base,
    pid: proc.pid,
    startupMs,
    async stop() {
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
      await proc.exited;
      clearTimeout(timer);
    },
  };
}

