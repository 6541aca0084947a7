/** @ims/http public API: build the app (tests, embedding) and read the configuration. */
export { createApp, type AppDeps, type ImsApp } from "./app.ts";
export { loadConfig, ConfigError, type Config } from "./config.ts";
export { createLogger, silentLogger, type Logger, type LogLevel } from "./log.ts";
export { buildOpenApi } from "./openapi.ts";
export { ROUTES } from "./routes/index.ts";
export type { RouteDef, RouteCtx, Method } from "./route-table.ts";
export { resolveVersion } from "./version.ts";
export { listen, type Listening } from "./server.ts";
