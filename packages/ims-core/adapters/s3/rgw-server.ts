/**
 * A real Ceph RGW for tests and benchmarks, run by scripts/rgw.sh: one per process, started on
 * first use (about 3 s) and shared by every suite. The script watches its stdin, so the
 * cluster stops when this process ends, however it ends (SIGKILL included).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface S3Keys {
  accessKeyId: string;
  secretAccessKey: string;
}

/** What `rgw.sh start` prints. */
export interface RgwSettings {
  endpoint: string;
  region: string;
  /** The IMS user: owns the buckets. */
  ims: S3Keys;
  /** The STS user: may upload into the buckets (their policy says so), and owns what it uploads. */
  sts: S3Keys;
  buckets: string[];
  dir: string;
}

export interface RgwServer extends RgwSettings {
  /** Creates buckets owned by IMS with the same policy as `ims` and `boot-images` (kept if they exist). */
  makeBuckets(names: string[]): Promise<void>;
  /** Stops the cluster and waits until every daemon is gone. */
  stop(): Promise<void>;
}

const SCRIPT = resolve(import.meta.dir, "../../../../scripts/rgw.sh");
/** Generous: the first start may install the Debian packages (`bun run test` installs them beforehand). */
const START_TIMEOUT_MS = 180_000;

let shared: Promise<RgwServer> | undefined;

/**
 * The process's RGW: started by the first caller, stopped when the process ends. A failed start
 * is reported and tried once more (a busy machine); a second failure fails the caller's suite.
 */
export function sharedRgw(): Promise<RgwServer> {
  shared ??= startRgw()
    .catch((e) => {
      console.error(`Ceph RGW: first start failed, trying again: ${(e as Error).message}`);
      return startRgw();
    })
    .catch((e) => {
      shared = undefined; // the next suite tries again, and fails with its own error
      throw e;
    });
  return shared;
}

/** A cluster of one's own (the shared one is enough for nearly everything). */
export async function startRgw(): Promise<RgwServer> {
  const dir = mkdtempSync(join(tmpdir(), "ims-rgw-"));
  const proc = Bun.spawn(["bash", SCRIPT, "run", dir], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
  const stderr = drain(proc.stderr);
  let settings: RgwSettings;
  try {
    settings = JSON.parse(await firstLine(proc.stdout, proc.exited, stderr)) as RgwSettings;
  } catch (e) {
    proc.kill("SIGKILL");
    await Bun.spawn(["bash", SCRIPT, "stop", dir]).exited;
    throw e;
  }
  // Neither the watcher nor its pipes keep this process alive; its exit closes the watcher's stdin.
  await stderr.stop();
  proc.unref();
  let stopped: Promise<void> | undefined;
  return {
    ...settings,
    async makeBuckets(names) {
      const run = Bun.spawn(["bash", SCRIPT, "buckets", dir, ...names], { stdout: "ignore", stderr: "pipe" });
      if ((await run.exited) !== 0) throw new Error(`rgw.sh buckets failed: ${await new Response(run.stderr).text()}`);
    },
    stop: () =>
      (stopped ??= (async () => {
        await proc.stdin.end(); // the script stops the daemons and exits
        await proc.exited;
        if (shared && (await shared.catch(() => undefined))?.dir === dir) shared = undefined;
      })()),
  };
}

/** The settings line; an early exit or a timeout carries the script's stderr. */
async function firstLine(stdout: ReadableStream<Uint8Array>, exited: Promise<number>, stderr: Tail): Promise<string> {
  const reader = stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((ok) => (timer = setTimeout(() => ok("timeout"), START_TIMEOUT_MS)));
  try {
    while (!text.includes("\n")) {
      const chunk = await Promise.race([reader.read(), timeout]);
      if (chunk === "timeout") throw new Error(`Ceph RGW did not start within ${START_TIMEOUT_MS / 1000} s: ${stderr.text()}`);
      if (chunk.done) {
        const code = await exited;
        await Promise.race([stderr.finished, Bun.sleep(2000)]); // its last words
        throw new Error(`Ceph RGW did not start (rgw.sh exited ${code}):\n${stderr.text()}`);
      }
      text += decoder.decode(chunk.value, { stream: true });
    }
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
  return text.slice(0, text.indexOf("\n"));
}

interface Tail {
  text(): string;
  /** Resolves when the stream has ended. */
  finished: Promise<void>;
  /** Stops reading: a pending read would keep this process alive. */
  stop(): Promise<void>;
}

/** Keeps reading stderr while the script starts (a full pipe would block it); keeps the last 8 KB. */
function drain(stream: ReadableStream<Uint8Array>): Tail {
  let tail = "";
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  const finished = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      tail = (tail + decoder.decode(value, { stream: true })).slice(-8192);
    }
  })().catch(() => {});
  return { text: () => tail.trim(), finished, stop: () => reader.cancel().catch(() => {}) };
}
