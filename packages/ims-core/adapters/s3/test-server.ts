/**
 * A real S3 server for tests: @20minutes/s3rver in a separate Node process on 127.0.0.1, with
 * its data in a fresh temp dir. Paths are resolved from this file, so any cwd works.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface S3ServerOptions {
  buckets: string[];
  /** More accepted key pairs (all map to the one s3rver account). */
  extraKeys?: { accessKeyId: string; secretAccessKey: string }[];
  /** Owner ID that the (stub) GetObjectAcl reports for every object, e.g. "STS". */
  aclOwnerId?: string;
  /** Serve HTTPS with this key and certificate (PEM file paths). */
  tls?: { key: string; cert: string };
  /** Node binary; default: `node` from PATH. */
  nodePath?: string;
}

export interface S3Server {
  endpoint: string;
  accessKeyId: "S3RVER";
  secretAccessKey: "S3RVER";
  pid: number;
  stop(): Promise<void>;
}

const LAUNCHER = join(import.meta.dir, "s3rver-main.cjs");
const START_TIMEOUT_MS = 15_000;

export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const node = options.nodePath ?? Bun.which("node");
  if (!node) throw new Error("startS3Server needs Node.js (`node` on PATH): s3rver does not run under Bun");
  const directory = await mkdtemp(join(tmpdir(), "ims-s3rver-"));
  const { buckets, extraKeys, aclOwnerId, tls } = options;
  const args = { directory, buckets, extraKeys, aclOwnerId, tls };
  const proc = Bun.spawn([node, "--openssl-legacy-provider", LAUNCHER, JSON.stringify(args)], {
    cwd: import.meta.dir, // so Node resolves @20minutes/s3rver from this workspace
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
  });

  const stderr = drainTail(proc.stderr);
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      proc.kill("SIGTERM");
      const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(3000).then(() => false)]);
      if (!exited) proc.kill("SIGKILL");
      await proc.exited;
      await rm(directory, { recursive: true, force: true });
    })());

  try {
    const port = await readPort(proc, stderr);
    const endpoint = `${tls ? "https" : "http"}://127.0.0.1:${port}`;
    await waitUntilAnswering(endpoint);
    return { endpoint, accessKeyId: "S3RVER", secretAccessKey: "S3RVER", pid: proc.pid, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The launcher prints `{"port":N}` once listening; an early exit carries its stderr. */
async function readPort(proc: Bun.Subprocess<"pipe", "pipe", "pipe">, stderr: () => string): Promise<number> {
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    while (!text.includes("\n")) {
      const left = deadline - Date.now();
      const chunk = await Promise.race([reader.read(), Bun.sleep(Math.max(left, 0)).then(() => "timeout" as const)]);
      if (chunk === "timeout") throw new Error(`s3rver did not start within ${START_TIMEOUT_MS} ms`);
      if (chunk.done) {
        const code = await proc.exited;
        await Bun.sleep(50); // let the last stderr bytes arrive
        throw new Error(`s3rver exited before listening (code ${code}): ${stderr().trim()}`);
      }
      text += decoder.decode(chunk.value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
  return (JSON.parse(text.slice(0, text.indexOf("\n"))) as { port: number }).port;
}

/** Any HTTP answer (even 403 for an anonymous request) means the server is serving. */
async function waitUntilAnswering(endpoint: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      // Only "does it answer": the test certificate need not be trusted for that.
      const res = await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(1000), tls: { rejectUnauthorized: false } });
      await res.arrayBuffer();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`s3rver at ${endpoint} does not answer: ${e}`);
      await Bun.sleep(50);
    }
  }
}

/** Keeps reading stderr (a full pipe would block the child) and remembers its last 4 KB. */
function drainTail(stream: ReadableStream<Uint8Array>): () => string {
  let tail = "";
  const decoder = new TextDecoder();
  void (async () => {
    for await (const chunk of stream) tail = (tail + decoder.decode(chunk, { stream: true })).slice(-4096);
  })().catch(() => {});
  return () => tail;
}
