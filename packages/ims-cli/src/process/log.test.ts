import { describe, expect, test } from "bun:test";
import type { ImsService } from "@ims/core";
import { createApp } from "@ims/http";
import { createLogger, type LogLevel } from "./log.ts";
import { send } from "@ims/http/test-support";

function capture(level: LogLevel) {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level, write: (l) => lines.push(l) }) };
}

const ims = {
  remoteBuildNodes: { listJson: async () => new TextEncoder().encode("[]"), getJson: async () => { throw new Error("boom"); } },
} as unknown as ImsService;

describe("request logs", () => {
  test("one JSON line per request with method, path, status, duration and request id", async () => {
    const { lines, logger } = capture("info");
    const app = createApp({ ims, version: "v", logger });
    const ok = await send(app, "GET", "/v3/remote-build-nodes?x=1");
    const missing = await send(app, "GET", "/nowhere", undefined, { "x-request-id": "abc-123" });
    const notAllowed = await send(app, "PUT", "/version");
    expect(lines).toHaveLength(3);
    const [a, b, c] = lines.map((l) => JSON.parse(l));
    expect(a).toMatchObject({ level: "info", msg: "request", method: "GET", path: "/v3/remote-build-nodes", query: "x=1", status: 200 });
    expect(typeof a.duration_ms).toBe("number");
    expect(typeof a.time).toBe("string");
    expect(a.request_id).toBe(ok.headers.get("x-request-id"));
    expect(b).toMatchObject({ status: 404, path: "/nowhere", request_id: "abc-123" });
    expect(b).not.toHaveProperty("query");
    expect(missing.headers.get("x-request-id")).toBe("abc-123");
    expect(c).toMatchObject({ status: 405, method: "PUT" });
    expect(notAllowed.headers.get("x-request-id")).toBe(c.request_id);
  });

  test("a hostile request id is replaced; a hostile path stays on one line", async () => {
    const { lines, logger } = capture("info");
    const app = createApp({ ims, version: "v", logger });
    const r = await send(app, "GET", "/v3/nothing/%0A%7B%22level%22:%22error%22%7D", undefined, { "x-request-id": "a b\tc" });
    expect(r.headers.get("x-request-id")).not.toBe("a b\tc");
    expect(lines).toHaveLength(1);
    expect(lines[0]!.includes("\n")).toBe(false);
    expect(JSON.parse(lines[0]!).level).toBe("info");
  });

  test("500s are logged at error level with the cause; the level filter applies", async () => {
    const { lines, logger } = capture("warn");
    const app = createApp({ ims, version: "v", logger });
    await send(app, "GET", "/v3/remote-build-nodes");
    expect(lines).toHaveLength(0);
    await send(app, "GET", "/v3/remote-build-nodes/x1");
    const logged = lines.map((l) => JSON.parse(l));
    expect(logged.map((l) => [l.level, l.msg])).toEqual([["error", "unhandled error"], ["error", "request"]]);
    expect(logged[0].error).toBe("boom");
    expect(logged[0].request_id).toBe(logged[1].request_id);
  });

  test("the query string is logged as sent (DELETE /v3/jobs?status=success is not just /v3/jobs)", async () => {
    const { lines, logger } = capture("info");
    const app = createApp({ ims, version: "v", logger });
    await send(app, "DELETE", "/v3/jobs?status=success&age=1d");
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ msg: "request", method: "DELETE", path: "/v3/jobs", query: "status=success&age=1d" });
  });

  test("health probes are debug lines, the readiness 503 while draining too", async () => {
    const { lines, logger } = capture("info");
    let ready = true;
    const app = createApp({ ims, version: "v", logger, readiness: { ready: () => ready } });
    await send(app, "GET", "/healthz/live");
    await send(app, "GET", "/healthz/ready");
    ready = false;
    expect((await send(app, "GET", "/healthz/ready")).status).toBe(503);
    expect(lines).toEqual([]);
    const debug = capture("debug");
    const app2 = createApp({ ims, version: "v", logger: debug.logger, readiness: { ready: () => false } });
    await send(app2, "GET", "/healthz/ready");
    expect(JSON.parse(debug.lines[0]!)).toMatchObject({ level: "debug", path: "/healthz/ready", status: 503 });
  });

  test("over a real socket: the client address, and X-Forwarded-For when a gateway sent it", async () => {
    const { lines, logger } = capture("info");
    const app = createApp({ ims, version: "v", logger });
    app.listen({ hostname: "127.0.0.1", port: 0 });
    try {
      const base = `http://127.0.0.1:${app.server!.port}`;
      await fetch(`${base}/v3/remote-build-nodes`);
      await fetch(`${base}/v3/remote-build-nodes`, { headers: { "x-forwarded-for": "10.1.2.3, 10.0.0.1" } });
    } finally {
      await app.stop(true);
    }
    const [direct, forwarded] = lines.map((l) => JSON.parse(l));
    expect(direct).toMatchObject({ client: "127.0.0.1" });
    expect(direct).not.toHaveProperty("forwarded_for");
    expect(forwarded).toMatchObject({ client: "127.0.0.1", forwarded_for: "10.1.2.3, 10.0.0.1" });
  });

  test("every level goes to stdout as JSON lines; stderr stays free for the one-line failures of ims", async () => {
    const script = `import { createLogger } from ${JSON.stringify(import.meta.dir + "/log.ts")};
      const log = createLogger({ level: "debug" });
      log.debug("d"); log.info("i"); log.warn("w"); log.error("e", { error: "boom" });`;
    const proc = Bun.spawn(["bun", "-e", script], { stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout.trimEnd().split("\n").map((l) => JSON.parse(l).level)).toEqual(["debug", "info", "warn", "error"]);
  });

  test("logger fields cannot overwrite time, level or msg", () => {
    const { lines, logger } = capture("debug");
    logger.debug("hello", { level: "error", msg: "forged", time: "x", extra: 1 });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "debug", msg: "hello", extra: 1 });
    expect(JSON.parse(lines[0]!).time).not.toBe("x");
  });
});
