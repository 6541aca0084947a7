/**
 * @ims/http public API: the Elysia app as a library (routes, problem mapping, OpenAPI). It does
 * not listen or read the environment: the process (@ims/cli) or an embedder does that.
 */
export { createApp, type AppDeps, type ImsApp } from "./app.ts";
export { buildOpenApi } from "./openapi/openapi.ts";
export { AUTH_DEFAULTS, type AuthOptions } from "./auth/index.ts";
export { ROUTES } from "./routes/index.ts";
export type { RouteDef, RouteCtx, Method } from "./routes/route-table.ts";
export { UNMATCHED_ROUTE, type RequestObserver, type MetricsSource } from "./observe/observer.ts";
