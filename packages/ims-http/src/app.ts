/**
 * The Elysia app: registers the route table with exact paths and no body parsing, answers
 * everything else with 404/405 problems, and writes one log line per request. No listen here.
 */
import { Elysia } from "elysia";
import { silentLogger, type ImsService, type Logger } from "@ims/core";
import { DEFAULT_MAX_BODY_BYTES } from "./request/body.ts";
import { logRequest } from "./log/request-log.ts";
import { methodMatcher } from "./request/method-matcher.ts";
import { buildOpenApi } from "./openapi/openapi.ts";
import { METHOD_NOT_ALLOWED, URL_NOT_FOUND, asciiJson, problemResponse, toProblem } from "./problems/problem.ts";
import { createCtx, type CtxDeps } from "./request/request-context.ts";
import type { RouteDef } from "./routes/route-table.ts";
import { createGuard, type AuthOptions } from "./auth/index.ts";
import { ROUTES } from "./routes/index.ts";

export interface AppDeps {
  ims: ImsService;
  logger?: Logger;
  version: string;
  maxBodyBytes?: number;
  /** Readiness goes false while the process drains for shutdown (/healthz/ready -> 503). */
  readiness?: { ready(): boolean };
  /** Bearer-token authentication and roles (auth/); absent: none, as upstream (the gateway checks). */
  auth?: AuthOptions;
}

const OPENAPI_PATH = "/openapi.json";
const OPENAPI_YAML_PATH = "/openapi.yaml";
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's X-Request-Id when well-formed (it ties their logs to ours), else a new one. */
const requestIdOf = (request: Request) => {
  const given = request.headers.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
};

/** The path of an absolute request URL, without parsing all of it (this runs per request). */
export function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const query = url.indexOf("?", start);
  return url.slice(start, query < 0 ? undefined : query);
}

/** OpenAPI "{id}" templates become Elysia ":id" paths. */
const elysiaPath = (path: string) => path.replace(/\{([^}]+)\}/g, ":$1");

export function createApp(deps: AppDeps) {
  const logger = deps.logger ?? silentLogger;
  const ctxDeps: CtxDeps = {
    ims: deps.ims,
    version: deps.version,
    ready: () => deps.readiness?.ready() ?? true,
    maxBodyBytes: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  };
  const guard = deps.auth ? createGuard(deps.auth, logger, ctxDeps.maxBodyBytes) : undefined;
  const openapi = buildOpenApi(ROUTES, deps.version);
  const openapiBody = asciiJson(openapi) + "\n";
  // The same document as YAML, the form upstream keeps its api/openapi.yaml in. Built from the
  // JSON text: objects the document shares would become YAML anchors, which converters trip on.
  const openapiYaml = Bun.YAML.stringify(JSON.parse(openapiBody), null, 2) + "\n";
  const allowedMethods = methodMatcher([...ROUTES, { method: "GET", path: OPENAPI_PATH }, { method: "GET", path: OPENAPI_YAML_PATH }]);

  /**
   * Every response leaves through here: request id header and the log line. The clock starts
   * when our code first sees the request (no onRequest hook: it slows every route down).
   */
  const finish = (request: Request, response: Response, started: number, requestId: string): Response => {
    response.headers.set("x-request-id", requestId);
    logRequest(logger, { method: request.method, path: pathOf(request.url), status: response.status, started, requestId });
    return response;
  };

  const run = async (route: RouteDef, request: Request, params: Record<string, string | null | undefined>) => {
    const started = performance.now();
    const requestId = requestIdOf(request);
    let response: Response;
    try {
      if (guard !== undefined && route.access !== "public") await guard(request, route);
      response = await route.handler(createCtx(ctxDeps, request, params));
    } catch (err) {
      response = toProblem(err, logger, requestId);
    }
    return finish(request, response, started, requestId);
  };

  /** What the router did not match: OPTIONS and 405 for known paths, 404 otherwise. */
  const unmatched = (request: Request): Response => {
    const allowed = allowedMethods(new URL(request.url).pathname);
    if (allowed.length === 0) return problemResponse(404, URL_NOT_FOUND);
    const allow = { allow: allowed.join(", ") };
    if (request.method === "OPTIONS") return new Response(null, { status: 200, headers: allow });
    return problemResponse(405, METHOD_NOT_ALLOWED, undefined, allow);
  };

  const app = new Elysia({ strictPath: true }).onError(({ code, error, request }) => {
    const started = performance.now();
    const requestId = requestIdOf(request);
    return finish(request, code === "NOT_FOUND" ? unmatched(request) : toProblem(error, logger, requestId), started, requestId);
  });

  for (const route of ROUTES) {
    app.route(route.method, elysiaPath(route.path), ({ request, params }) => run(route, request, params), { parse: "none" });
  }
  app.get(OPENAPI_PATH, ({ request }) =>
    finish(request, new Response(openapiBody, { headers: { "content-type": "application/json" } }), performance.now(), requestIdOf(request)),
  );
  app.get(OPENAPI_YAML_PATH, ({ request }) =>
    finish(request, new Response(openapiYaml, { headers: { "content-type": "application/yaml; charset=utf-8" } }), performance.now(), requestIdOf(request)),
  );
  return app;
}

export type ImsApp = ReturnType<typeof createApp>;
