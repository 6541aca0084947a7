/**
 * Who may do what: roles come from one claim of the verified token (Keycloak's
 * realm_access.roles by default); the read role may only read, the admin role may do anything,
 * the job role may report job progress (PATCH of a job, what the job pods send).
 */
import type { JWTPayload } from "jose";
import type { ResolvedAuth } from "./options.ts";

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The roles at a dot-separated claim path: a list of strings (others ignored), or one string. */
export function rolesOf(payload: JWTPayload, path: string): Set<string> {
  let value: unknown = payload;
  for (const part of path.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return new Set();
    value = (value as Record<string, unknown>)[part];
  }
  if (typeof value === "string") return new Set([value]);
  return new Set(Array.isArray(value) ? value.filter((r): r is string => typeof r === "string") : []);
}

/** What a route says about access: public needs no token; job-status takes the job role for PATCH. */
export type RouteAccess = "public" | "job-status";

/** The roles that would allow `method` on a route (for the 403's detail), in order of preference. */
export function rolesAllowing(method: string, access: RouteAccess | undefined, o: Readonly<ResolvedAuth>): string[] {
  const out = [o.adminRole];
  if (READ_METHODS.has(method)) out.push(o.readRole);
  if (access === "job-status" && method === "PATCH" && o.jobRole) out.push(o.jobRole);
  return out;
}

export const allows = (roles: ReadonlySet<string>, method: string, access: RouteAccess | undefined, o: Readonly<ResolvedAuth>) =>
  rolesAllowing(method, access, o).some((r) => roles.has(r));
