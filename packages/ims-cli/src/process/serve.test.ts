/**
 * The real entry point as a process: start on a temp SQLite file, write, SIGTERM (exit 0 after
 * draining), start again on the same file and read everything back unchanged.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, SERVICE_ARGV, freePort } from "../test-support/processes.ts";

const dir = mkdtempSync(join(tmpdir(), "ims-main-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


type Proc = ReturnType<typeof Bun.spawn<"ignore", "pipe", "pipe">>;

/** Starts main.ts; resolves once it logged its ready line. Lines are collected in `lines`. */
async function start(env: Record<string, string>) {
  const proc: Proc = Bun.spawn(SERVICE_ARGV, {
    cwd: ROOT,
    // IMS_KUBERNETES=none: a KUBECONFIG in the developer's shell must not reach the service.
    env: { ...process.env, HOST: "127.0.0.1", LOG_LEVEL: "info", IMS_KUBERNETES: "none", ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const lines: any[] = [];
  let onLine: (() => void) | undefined;
  (async () => {
    let buf = "";
    for await (const chunk of proc.stdout) {
      buf += new TextDecoder().decode(chunk);
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        lines.push(JSON.parse(buf.slice(0, i)));
        buf = buf.slice(i + 1);
        onLine?.();
      }
    }
  })();
  const ready = new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("no ready line within 15 s")), 15_000);
    onLine = () => {
      if (lines.some((l) => l.msg === "ready")) {
        clearTimeout(timer);
        ok();
      }
    };
  });
  await Promise.race([ready, proc.exited.then(async (code) => { throw new Error(`exited ${code}: ${await new Response(proc.stderr).text()}`); })]);
  return { proc, lines };
}

const port = freePort();
const base = `http://127.0.0.1:${port}`;
const env = {
  PORT: String(port),
  DATABASE_URL: `sqlite:${join(dir, "ims.sqlite")}`,
  IMS_ARTIFACTS_DIR: join(dir, "artifacts"),
  IMS_VERSION_FILE: join(dir, "version"),
  SHUTDOWN_DELAY_MS: "300",
};
writeFileSync(join(dir, "version"), "7.7.7\n");

const post = (path: string, body: unknown) =>
  fetch(base + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

const postJson = async (path: string, body: unknown): Promise<any> => (await post(path, body)).json();

const READ_BACK = [
  "/v2/public-keys", "/v3/recipes", "/images", "/v3/deleted/public-keys", "/v3/deleted/images", "/v3/remote-build-nodes",
];

async function everything() {
  const out: Record<string, unknown> = {};
  for (const path of READ_BACK) {
    const res = await fetch(base + path);
    out[path] = await res.json();
    for (const item of out[path] as { id?: string; xname?: string }[]) {
      const itemPath = `${path}/${encodeURIComponent(item.id ?? item.xname!)}`;
      const one = await fetch(base + itemPath);
      out[itemPath] = { etag: one.headers.get("etag"), body: await one.json() };
    }
  }
  return out;
}

describe("main.ts", () => {
  let before: Record<string, unknown>;

  test("serves, drains in-flight requests on SIGTERM, exits 0", async () => {
    const { proc, lines } = await start(env);
    expect(await (await fetch(`${base}/version`)).json()).toEqual({ version: "7.7.7" });

    const key = await postJson("/v2/public-keys", { name: "admin\n\u2028😀", public_key: "ssh-ed25519 AAAA" });
    const gone = await postJson("/v3/public-keys", { name: "old", public_key: "k" });
    expect((await fetch(`${base}/v3/public-keys/${gone.id}`, { method: "DELETE" })).status).toBe(204);
    const recipe = await postJson("/v3/recipes", { name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15" });
    const patched = await fetch(`${base}/v3/recipes/${recipe.id}`, {
      method: "PATCH", headers: { "content-type": "application/json", "if-match": '"1"' }, body: JSON.stringify({ arch: "aarch64" }),
    });
    expect(patched.status).toBe(200);
    expect((await post("/images", { name: "img", metadata: { k: "v" } })).status).toBe(201);
    const img2 = await postJson("/v3/images", { name: "to-delete" });
    await fetch(`${base}/v3/images/${img2.id}`, { method: "DELETE" });
    expect((await post("/v3/remote-build-nodes", { xname: "x3000c0s1b0n0" })).status).toBe(201);
    before = await everything();
    expect((before["/v2/public-keys"] as unknown[]).length).toBe(1);
    expect(before[`/v2/public-keys/${key.id}`]).toEqual({ etag: '"1"', body: key });

    // A request whose body is still arriving when SIGTERM comes must complete.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slowBody = new ReadableStream<Uint8Array>({
      async start(c) {
        c.enqueue(new TextEncoder().encode('{"xname": '));
        await held;
        c.enqueue(new TextEncoder().encode('"x-inflight"}'));
        c.close();
      },
    });
    const inflight = fetch(`${base}/v3/remote-build-nodes`, {
      method: "POST", headers: { "content-type": "application/json" }, body: slowBody, duplex: "half",
    } as RequestInit);
    await Bun.sleep(100);

    proc.kill("SIGTERM");
    await Bun.sleep(100);
    const ready = await fetch(`${base}/healthz/ready`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get("content-type")).toBe("application/problem+json");
    // Release the body only after the delay, when the listener has closed: it must still finish.
    await Bun.sleep(500);
    expect(proc.exitCode).toBeNull();
    release();
    expect((await inflight).status).toBe(201);

    expect(await proc.exited).toBe(0);
    const msgs = lines.map((l) => l.msg);
    expect(msgs).toContain("shutting down");
    expect(msgs.at(-1)).toBe("stopped");
    for (const l of lines.filter((l) => l.msg === "request")) {
      expect(Object.keys(l).sort()).toEqual(["client", "duration_ms", "level", "method", "msg", "path", "request_id", "status", "time"]);
      expect(l.client).toBe("127.0.0.1");
    }
  }, 30_000);

  test("a restart on the same file reads everything back unchanged", async () => {
    const { proc } = await start(env);
    const after = await everything();
    const nodes = after["/v3/remote-build-nodes"] as { xname: string }[];
    expect(nodes).toContainEqual({ xname: "x-inflight" });
    // The in-flight node was written after the snapshot; everything else is identical.
    await fetch(`${base}/v3/remote-build-nodes/x-inflight`, { method: "DELETE" });
    expect(await everything()).toEqual(before);
    proc.kill("SIGINT");
    expect(await proc.exited).toBe(0);
  }, 30_000);

  test("the drain is bounded: a request that never finishes does not block exit", async () => {
    const { proc, lines } = await start({ ...env, DATABASE_URL: `sqlite:${join(dir, "other.sqlite")}`, SHUTDOWN_DELAY_MS: "0", SHUTDOWN_TIMEOUT_MS: "300" });
    const stuck = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode("{")) });
    const pending = fetch(`${base}/v3/remote-build-nodes`, {
      method: "POST", headers: { "content-type": "application/json" }, body: stuck, duplex: "half",
    } as RequestInit).catch(() => undefined);
    await Bun.sleep(100);
    const t0 = performance.now();
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(lines.some((l) => l.msg === "in-flight requests did not finish in time")).toBe(true);
    await pending;
  }, 30_000);

  test("bad configuration: every problem printed, exit 1", async () => {
    const proc = Bun.spawn(SERVICE_ARGV, {
      cwd: ROOT,
      env: { ...process.env, PORT: "abc", LOG_LEVEL: "loud", DATABASE_URL: env.DATABASE_URL },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(1);
    const stderr = await new Response(proc.stderr).text();
    expect(stderr).toContain('PORT must be an integer 1-65535, got "abc"');
    expect(stderr).toContain('LOG_LEVEL must be one of debug, info, warn, error, got "loud"');
  }, 30_000);
});
