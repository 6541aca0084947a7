/**
 * The check every guarded request passes before its handler runs (and before its body is read):
 * a bearer token that verifies, with a role that allows the method on the route.
 */
import type { Logger } from "@ims/core";
import { dropBody } from "../request/body.ts";
import { authenticationRequired, forbidden, invalidToken } from "./failures.ts";
import { KeySet } from "./jwks.ts";
import { resolveAuth, type AuthOptions } from "./options.ts";
import { allows, rolesAllowing, rolesOf, type RouteAccess } from "./roles.ts";
import { verifyToken } from "./token.ts";

export type Guard = (request: Request, route: { access?: RouteAccess }) => Promise<void>;

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/** `maxBodyBytes`: a refused request's body is dropped up to this (see dropBody). */
export function createGuard(options: AuthOptions, log: Logger, maxBodyBytes: number): Guard & { keys: KeySet } {
  const o = resolveAuth(options);
  const keys = new KeySet(o, log);
  const check = async (request: Request, route: { access?: RouteAccess }) => {
    const header = request.headers.get("authorization");
    if (header === null || header.trim() === "") throw authenticationRequired();
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) throw invalidToken("the Authorization header must be Bearer followed by one token.");
    const payload = await verifyToken(token, keys, o);
    const method = request.method;
    if (allows(rolesOf(payload, o.rolesClaim), method, route.access, o)) return;
    const wanted = rolesAllowing(method, route.access, o).join(" or ");
    throw forbidden(`The token's roles (${o.rolesClaim}) do not allow ${method} here: it needs ${wanted}.`);
  };
  const guard = (request: Request, route: { access?: RouteAccess }) =>
    check(request, route).catch(async (e) => {
      await dropBody(request, maxBodyBytes);
      throw e;
    });
  return Object.assign(guard, { keys });
}
