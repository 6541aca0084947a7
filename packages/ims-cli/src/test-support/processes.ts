/**
 * Runs the real service (`ims serve`: `bun packages/ims-cli/src/main.ts serve`, or the compiled
 * executable named by IMS_TEST_EXECUTABLE) as child processes for tests: free ports, readiness
 * polling, output kept for failure messages, and a clean stop. Test-only (not exported from index.ts).
 */
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "../../../..");

/** The service as `bun run start` runs it, from ROOT; or as the compiled executable runs it. */
const EXECUTABLE = process.env.IMS_TEST_EXECUTABLE;
export const SERVICE_ARGV = EXECUTABLE ? [EXECUTABLE, "serve"] : [process.execPath, "packages/ims-cli/src/main.ts", "serve"];

const NO_LEGACY_DIR = resolve(ROOT, "var/no-legacy-data");

export function freePort(): number {
  const s = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

export interface ServiceProcess {
  base: string;
  pid: number;
  /** What the process wrote so far (stdout and stderr, last 64 kB). */
  output(): string;
  stop(): Promise<void>;
  /** Ends the process with SIGKILL (a crash: nothing is flushed, nothing shut down). */
  kill(): Promise<void>;
  /** The exit code once it exited (null while running, or after a signal). */
  exitCode(): number | null;
}

/** Starts the service with `env` on a free port; resolves once /healthz/ready answers 200. */
export async function startService(env: Record<string, string>, timeoutMs = 20_000): Promise<ServiceProcess> {
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = Bun.spawn(SERVICE_ARGV, {
    cwd: ROOT,
    // IMS_KUBERNETES=none unless a test asks: a KUBECONFIG in the developer's shell must not reach the service;
    // nor an upstream data directory at the default /var/ims/data (IMS_LEGACY_DATA_DIR).
    env: { ...process.env, HOST: "127.0.0.1", LOG_LEVEL: "warn", IMS_KUBERNETES: "none", IMS_LEGACY_DATA_DIR: NO_LEGACY_DIR, ...env, PORT: String(port) },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let out = "";
  // Drained continuously: a full pipe would block the child.
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) out = (out + new TextDecoder().decode(chunk)).slice(-65536);
  };
  void collect(proc.stdout);
  void collect(proc.stderr);
  const service: ServiceProcess = {
    base,
    pid: proc.pid,
    output: () => out,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
      await proc.exited;
      clearTimeout(timer);
    },
    async kill() {
      proc.kill("SIGKILL");
      await proc.exited;
    },
    exitCode: () => proc.exitCode,
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the service exited with ${proc.exitCode} before it was ready:\n${out}`);
    const ok = await fetch(`${base}/healthz/ready`).then((r) => r.status === 200, () => false);
    if (ok) return service;
    if (Date.now() > deadline) {
      await service.stop();
      throw new Error(`the service was not ready within ${timeoutMs} ms:\n${out}`);
    }
    await Bun.sleep(20);
  }
}

export interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the service with `env` and waits for it to exit by itself (a start-up failure); a
 * process still running after `timeoutMs` is killed and reported with code null.
 */
export async function runServiceToExit(env: Record<string, string>, timeoutMs = 20_000, argv = SERVICE_ARGV): Promise<Exited> {
  const proc = Bun.spawn(argv, {
    cwd: ROOT,
    env: { ...process.env, HOST: "127.0.0.1", LOG_LEVEL: "warn", IMS_KUBERNETES: "none", ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let killed = false;
  const timer = setTimeout(() => ((killed = true), proc.kill("SIGKILL")), timeoutMs);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { code: killed ? null : code, stdout, stderr };
}
