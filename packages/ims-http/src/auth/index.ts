/** Optional bearer-token authentication and roles at the HTTP edge. */
export { createGuard, type Guard } from "./guard.ts";
export { AUTH_DEFAULTS, type AuthOptions } from "./options.ts";
export type { RouteAccess } from "./roles.ts";
