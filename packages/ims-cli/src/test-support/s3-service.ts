/**
 * Test-only: the real service process (main.ts) on a real S3 server (s3rver or Ceph RGW, see
 * @ims/core/test-support openTestS3) and a temp SQLite file, plus the S3 and HTTP helpers the
 * end-to-end tests and scripts/bench-delete.ts share.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { ROOT, SERVICE_ARGV } from "./processes.ts";
import type { TestS3 } from "@ims/core/test-support";

export const BUCKETS = ["boot-images", "ims", "other"];
export const ROOTFS = "application/vnd.cray.image.rootfs.squashfs";

export { openTestS3, s3Flavours, type S3Flavour, type TestS3 } from "@ims/core/test-support";

export function freePort(): number {
  const s = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

/** The env main.ts needs to run on this S3 server with the IMS credentials; `extra` overrides. */
export const serviceEnv = (s3: Pick<TestS3, "endpoint" | "accessKeyId" | "secretAccessKey">, dir: string, extra: Record<string, string> = {}): Record<string, string> => ({
  HOST: "127.0.0.1",
  PORT: String(freePort()),
  LOG_LEVEL: "info",
  DATABASE_URL: `sqlite:${join(dir, "ims.sqlite")}`,
  IMS_ARTIFACTS_DIR: join(dir, "unused-artifacts"),
  IMS_VERSION_FILE: join(dir, "no-version"),
  S3_ENDPOINT: s3.endpoint,
  S3_ACCESS_KEY: s3.accessKeyId,
  S3_SECRET_KEY: s3.secretAccessKey,
  S3_CONNECT_TIMEOUT: "2",
  S3_READ_TIMEOUT: "30",
  ...extra,
});

export interface Service {
  proc: ReturnType<typeof Bun.spawn<"ignore", "pipe", "pipe">>;
  base: string;
  /** Every JSON log line so far. */
  lines: Record<string, unknown>[];
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; type: string | null; headers: Headers }>;
  /** SIGTERM and wait (a clean stop). */
  stop(): Promise<number>;
}

/** Starts main.ts and resolves once it logged "ready". */
export async function startService(env: Record<string, string>): Promise<Service> {
  const proc = Bun.spawn(SERVICE_ARGV, {
    cwd: ROOT,
    env: { ...process.env, IMS_KUBERNETES: "none", ...env }, // no cluster from the developer's shell
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const lines: Record<string, unknown>[] = [];
  let isReady!: () => void;
  const ready = new Promise<void>((ok) => (isReady = ok));
  // One reader for the whole life of the process: leaving a for-await would cancel the stream.
  void (async () => {
    let buf = "";
    const decoder = new TextDecoder();
    for await (const chunk of proc.stdout) {
      buf += decoder.decode(chunk, { stream: true });
      for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
        const line = JSON.parse(buf.slice(0, i));
        lines.push(line);
        if (line.msg === "ready") isReady();
        buf = buf.slice(i + 1);
      }
    }
  })().catch(() => {});
  const exited = proc.exited.then(async (code) => {
    throw new Error(`main.ts exited ${code}: ${await new Response(proc.stderr).text()}`);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error("no ready line in 20 s")), 20_000)));
  try {
    await Promise.race([ready, exited, timeout]);
  } catch (e) {
    proc.kill("SIGKILL");
    throw e;
  } finally {
    clearTimeout(timer);
    exited.catch(() => {}); // a later exit (stop, kill) is expected
  }
  const base = `http://127.0.0.1:${env.PORT}`;
  return {
    proc,
    base,
    lines,
    async call(method, path, body, headers = {}) {
      const res = await fetch(base + path, {
        method,
        headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, type: res.headers.get("content-type"), headers: res.headers };
    },
    async stop() {
      proc.kill("SIGTERM");
      return proc.exited;
    },
  };
}

/** Waits until the journal has no pending operation; returns every operation. */
export async function settled(svc: Service, timeoutMs = 60_000): Promise<any[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await svc.call("GET", "/v3/operations?state=pending");
    if (pending.status === 200 && pending.body.length === 0) return (await svc.call("GET", "/v3/operations")).body;
    if (Date.now() > deadline) throw new Error(`operations still pending: ${JSON.stringify(pending.body)}`);
    await Bun.sleep(25);
  }
}

export async function put(sdk: S3Client, bucket: string, key: string, body: string | Uint8Array, metadata?: Record<string, string>) {
  await sdk.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: Buffer.byteLength(body), Metadata: metadata }));
}

export async function keys(sdk: S3Client, bucket: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await sdk.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    out.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out.sort();
}

export async function getText(sdk: S3Client, bucket: string, key: string): Promise<string> {
  const out = await sdk.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body!.transformToString();
}

/** MD5 of an object, streamed (the crash test's objects are large). */
export async function md5Of(sdk: S3Client, bucket: string, key: string): Promise<string> {
  const out = await sdk.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const hash = createHash("md5");
  for await (const chunk of out.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest("hex");
}

/** An image manifest as the spec shows it: artifacts with links into the given bucket. */
export function manifestOf(artifacts: { type: string; path: string; md5?: string }[]) {
  return JSON.stringify({
    version: "1.0",
    created: "2024-01-01 00:00:00",
    artifacts: artifacts.map((a) => ({ type: a.type, link: { path: a.path, etag: "", type: "s3" }, ...(a.md5 ? { md5: a.md5 } : {}) })),
  });
}
