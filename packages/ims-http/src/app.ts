/**
 * The Elysia app: registers the route table with exact paths and no body parsing, answers
 * everything else with 404/405 problems, and writes one log line per request. No listen here.
 */
import { Elysia } from "elysia";
import { silentLogger, type ImsService, type Logger } from "@ims/core";
import { DEFAULT_MAX_BODY_BYTES } from "./request/body.ts";
import { logRequest, type PeerSource } from "./log/request-log.ts";
import { methodMatcher } from "./request/method-matcher.ts";
import { buildOpenApi } from "./openapi/openapi.ts";
import { METHOD_NOT_ALLOWED, URL_NOT_FOUND, asciiJson, problemResponse, toProblem } from "./problems/problem.ts";
import { createCtx, type CtxDeps } from "./request/request-context.ts";
import type { RouteDef } from "./routes/route-table.ts";
import { ROUTES } from "./routes/index.ts";

export interface AppDeps {
  ims: ImsService;
  logger?: Logger;
  version: string;
  maxBodyBytes?: number;
  /**
   * /healthz/ready answers 503 while `ready()` is false (the process drains for shutdown) or
   * while `dependencies()` rejects (e.g. the record store cannot be reached).
   */
  readiness?: { ready(): boolean; dependencies?(): Promise<void> };
}

const OPENAPI_PATH = "/openapi.json";
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's X-Request-Id when well-formed (it ties their logs to ours), else a new one. */
const requestIdOf = (request: Request) => {
  const given = request.headers.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
};

/** OpenAPI "{id}" templates become Elysia ":id" paths. */
const elysiaPath = (path: string) => path.replace(/\{([^}]+)\}/g, ":$1");

export function createApp(deps: AppDeps) {
  const logger = deps.logger ?? silentLogger;
  const ctxDeps: CtxDeps = {
    ims: deps.ims,
    version: deps.version,
    ready: () => deps.readiness?.ready() ?? true,
    dependencies: async () => deps.readiness?.dependencies?.(),
    maxBodyBytes: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  };
  const openapiBody = asciiJson(buildOpenApi(ROUTES, deps.version)) + "\n";
  const allowedMethods = methodMatcher([...ROUTES, { method: "GET", path: OPENAPI_PATH }]);

  /**
   * Every response leaves through here: request id header and the log line. The clock starts
   * when our code first sees the request (no onRequest hook: it slows every route down).
   */
  const finish = (request: Request, server: PeerSource | null, response: Response, started: number, requestId: string): Response => {
    response.headers.set("x-request-id", requestId);
    logRequest(logger, { request, server, status: response.status, started, requestId });
    return response;
  };

  const run = async (route: RouteDef, request: Request, server: PeerSource | null, params: Record<string, string | null | undefined>) => {
    const started = performance.now();
    const requestId = requestIdOf(request);
    let response: Response;
    try {
      response = await route.handler(createCtx(ctxDeps, request, params));
    } catch (err) {
      response = toProblem(err, logger, requestId);
    }
    return finish(request, server, response, started, requestId);
  };

  /** What the router did not match: OPTIONS and 405 for known paths, 404 otherwise. */
  const unmatched = (request: Request): Response => {
    const allowed = allowedMethods(new URL(request.url).pathname);
    if (allowed.length === 0) return problemResponse(404, URL_NOT_FOUND);
    const allow = { allow: allowed.join(", ") };
    if (request.method === "OPTIONS") return new Response(null, { status: 200, headers: allow });
    return problemResponse(405, METHOD_NOT_ALLOWED, undefined, allow);
  };

  const app = new Elysia({ strictPath: true }).onError(({ code, error, request, server }) => {
    const started = performance.now();
    const requestId = requestIdOf(request);
    return finish(request, server, code === "NOT_FOUND" ? unmatched(request) : toProblem(error, logger, requestId), started, requestId);
  });

  for (const route of ROUTES) {
    app.route(route.method, elysiaPath(route.path), ({ request, params, server }) => run(route, request, server, params), { parse: "none" });
  }
  app.get(OPENAPI_PATH, ({ request, server }) =>
    finish(request, server, new Response(openapiBody, { headers: { "content-type": "application/json" } }), performance.now(), requestIdOf(request)),
  );
  return app;
}

export type ImsApp = ReturnType<typeof createApp>;
