/**
 * The Elysia app: registers the route table with exact paths and no body parsing, answers
 * everything else with 404/405 problems, and writes one log line per request (and tells the
 * observer, when one is given). Also /openapi.json, /docs and, when given, /metrics. No listen here.
 */
import { Elysia } from "elysia";
import { silentLogger, type ImsService, type Logger } from "@ims/core";
import { DEFAULT_MAX_BODY_BYTES } from "./request/body.ts";
import { logRequest, type PeerSource } from "./log/request-log.ts";
import { methodMatcher } from "./request/method-matcher.ts";
import { buildOpenApi } from "./openapi/openapi.ts";
import { DOCS_BUNDLE_PATH, DOCS_PATH, docsBundle, docsPage } from "./docs/docs.ts";
import { UNMATCHED_ROUTE, type MetricsSource, type RequestObserver } from "./observe/observer.ts";
import { METHOD_NOT_ALLOWED, URL_NOT_FOUND, asciiJson, problemResponse, toProblem } from "./problems/problem.ts";
import { createCtx, type CtxDeps } from "./request/request-context.ts";
import type { RouteDef } from "./routes/route-table.ts";
import { createGuard, type AuthOptions, type RouteAccess } from "./auth/index.ts";
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
  /** Bearer-token authentication and roles (auth/); absent: none, as upstream (the gateway checks). */
  auth?: AuthOptions;
  /** Metrics and traces of requests; absent: nothing is measured. */
  observer?: RequestObserver;
  /** The body of GET /metrics; absent: /metrics is not served. */
  metrics?: MetricsSource;
  /** How often an idle /v3/events stream sends a heartbeat comment (default 15 s). */
  eventHeartbeatMs?: number;
}

const OPENAPI_PATH = "/openapi.json";
const OPENAPI_YAML_PATH = "/openapi.yaml";
const METRICS_PATH = "/metrics";
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
    eventHeartbeatMs: deps.eventHeartbeatMs ?? 15_000,
    server: () => app.server,
  };
  const guard = deps.auth ? createGuard(deps.auth, logger, ctxDeps.maxBodyBytes) : undefined;
  const openapiBody = asciiJson(buildOpenApi(ROUTES, deps.version)) + "\n";
  // The same document as YAML, the form upstream keeps its api/openapi.yaml in. Built from the
  // JSON text: objects the document shares would become YAML anchors, which converters trip on.
  const openapiYaml = Bun.YAML.stringify(JSON.parse(openapiBody), null, 2) + "\n";
  // Served beside the API, and left out of its OpenAPI document (they are not IMS API operations).
  const extraPaths = [OPENAPI_PATH, OPENAPI_YAML_PATH, DOCS_PATH, DOCS_BUNDLE_PATH, ...(deps.metrics ? [METRICS_PATH] : [])];
  const allowedMethods = methodMatcher([...ROUTES, ...extraPaths.map((path) => ({ method: "GET", path }))]);
  const answered = deps.observer?.answered?.bind(deps.observer);
  const around = deps.observer?.around?.bind(deps.observer);

  /**
   * Every response leaves through here: request id header, the observer and the log line. The
   * clock starts when our code first sees the request (no onRequest hook: it slows every route down).
   */
  const finish = (request: Request, server: PeerSource | null, response: Response, started: number, requestId: string, route: string): Response => {
    response.headers.set("x-request-id", requestId);
    const durationMs = performance.now() - started;
    answered?.(request.method, route, response.status, durationMs / 1000);
    logRequest(logger, { request, server, status: response.status, durationMs, requestId });
    return response;
  };

  const handle = async (route: RouteDef, request: Request, params: Record<string, string | null | undefined>, requestId: string) => {
    try {
      if (guard !== undefined && route.access !== "public") await guard(request, route);
      return await route.handler(createCtx(ctxDeps, request, params));
    } catch (err) {
      return toProblem(err, logger, requestId);
    }
  };

  const run = async (route: RouteDef, request: Request, server: PeerSource | null, params: Record<string, string | null | undefined>) => {
    const started = performance.now();
    const requestId = requestIdOf(request);
    const response = around
      ? await around(request, route.path, requestId, () => handle(route, request, params, requestId))
      : await handle(route, request, params, requestId);
    return finish(request, server, response, started, requestId, route.path);
  };

  /**
   * A GET beside the API (/openapi.*, /docs, /metrics): answered and logged like the routes. The
   * documents are public; /metrics, with authentication on, needs a role that may read.
   */
  const extra = (path: string, respond: () => Response | Promise<Response>, access: RouteAccess | undefined = "public") => async ({ request, server }: { request: Request; server: PeerSource | null }) => {
    const started = performance.now();
    const requestId = requestIdOf(request);
    let response: Response;
    try {
      if (guard !== undefined && access !== "public") await guard(request, { access });
      response = await respond();
    } catch (err) {
      response = toProblem(err, logger, requestId);
    }
    return finish(request, server, response, started, requestId, path);
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
    return finish(request, server, code === "NOT_FOUND" ? unmatched(request) : toProblem(error, logger, requestId), started, requestId, UNMATCHED_ROUTE);
  });

  for (const route of ROUTES) {
    app.route(route.method, elysiaPath(route.path), ({ request, params, server }) => run(route, request, server, params), { parse: "none" });
  }
  app.get(OPENAPI_PATH, extra(OPENAPI_PATH, () => new Response(openapiBody, { headers: { "content-type": "application/json" } })));
  app.get(OPENAPI_YAML_PATH, extra(OPENAPI_YAML_PATH, () => new Response(openapiYaml, { headers: { "content-type": "application/yaml; charset=utf-8" } })));
  app.get(DOCS_PATH, extra(DOCS_PATH, docsPage));
  app.get(DOCS_BUNDLE_PATH, extra(DOCS_BUNDLE_PATH, docsBundle));
  const metrics = deps.metrics;
  if (metrics) {
    app.get(METRICS_PATH, extra(METRICS_PATH, async () => new Response(await metrics.render(), { headers: { "content-type": metrics.contentType } }), undefined));
  }
  return app;
}

export type ImsApp = ReturnType<typeof createApp>;
