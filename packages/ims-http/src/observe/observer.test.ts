/**
 * What an observer plugged into the app sees: one call per answer with the route TEMPLATE (never
 * the path with ids), a wrapper around each routed request, and /metrics only when it is given.
 */
import { afterEach, expect, test } from "bun:test";
import { rig, type Rig } from "../test-support/app.ts";
import { UNMATCHED_ROUTE } from "./observer.ts";

let r: Rig | undefined;
afterEach(() => r?.close());

test("each answer is reported once with method, route template, status and a duration", async () => {
  const seen: [string, string, number][] = [];
  r = await rig({ observer: { answered: (method, route, status, seconds) => void (seconds >= 0 && seen.push([method, route, status])) } });
  const id = (await r.call("POST", "/v3/images", { name: "i" })).body.id;
  await r.call("GET", `/v3/images/${id}`);
  await r.call("GET", "/v3/images/4e2d1c9b-0000-4000-8000-000000000000");
  await r.call("PATCH", `/v3/images/${id}`, { raw: "{" }, { "content-type": "application/json" });
  await r.call("GET", "/no/such/path/1234");
  await r.call("PUT", `/v3/images/${id}`);
  await r.call("GET", "/openapi.json");
  expect(seen).toEqual([
    ["POST", "/v3/images", 201],
    ["GET", "/v3/images/{image_id}", 200],
    ["GET", "/v3/images/{image_id}", 404],
    ["PATCH", "/v3/images/{image_id}", 400],
    ["GET", UNMATCHED_ROUTE, 404],
    ["PUT", UNMATCHED_ROUTE, 405],
    ["GET", "/openapi.json", 200],
  ]);
});

test("around wraps each routed request with its template and request id, and sees the final answer", async () => {
  const wrapped: string[] = [];
  r = await rig({
    observer: {
      async around(request, route, requestId, handle) {
        const response = await handle();
        wrapped.push(`${request.method} ${route} ${requestId} ${response.status}`);
        return response;
      },
    },
  });
  const reply = await r.call("GET", "/v3/images/missing", undefined, { "x-request-id": "req-1" });
  expect(reply.status).toBe(404);
  expect(reply.headers.get("x-request-id")).toBe("req-1");
  expect(wrapped).toEqual(["GET /v3/images/{image_id} req-1 404"]);
});

test("GET /metrics answers the given exposition; without one it is not served", async () => {
  r = await rig({ metrics: { contentType: "text/plain; version=0.0.4; charset=utf-8", render: async () => "ims_up 1\n" } });
  const reply = await r.call("GET", "/metrics");
  expect([reply.status, reply.headers.get("content-type"), reply.text]).toEqual([200, "text/plain; version=0.0.4; charset=utf-8", "ims_up 1\n"]);
  expect((await r.call("POST", "/metrics")).status).toBe(405);
  await r.close();
  r = await rig();
  expect((await r.call("GET", "/metrics")).status).toBe(404);
});

test("/metrics and /docs stay out of the OpenAPI document", async () => {
  r = await rig({ metrics: { contentType: "text/plain", render: async () => "" } });
  const paths = Object.keys((await r.call("GET", "/openapi.json")).body.paths);
  expect(paths).toContain("/v3/images/{image_id}");
  expect(paths.filter((p) => p.startsWith("/metrics") || p.startsWith("/docs"))).toEqual([]);
});
