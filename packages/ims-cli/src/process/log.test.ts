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
    expect(a).toMatchObject({ level: "info", msg: "request", method: "GET", path: "/v3/remote-build-nodes", status: 200 });
    expect(typeof a.duration_ms).toBe("number");
    expect(typeof a.time).toBe("string");
    expect(a.request_id).toBe(ok.headers.get("x-request-id"));
    expect(b).toMatchObject({ status: 404, path: "/nowhere", request_id: "abc-123" });
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

  test("logger fields cannot overwrite time, level or msg", () => {
    const { lines, logger } = capture("debug");
    logger.debug("hello", { level: "error", msg: "forged", time: "x", extra: 1 });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "debug", msg: "hello", extra: 1 });
    expect(JSON.parse(lines[0]!).time).not.toBe("x");
  });
});
