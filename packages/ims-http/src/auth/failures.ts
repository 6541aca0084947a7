/**
 * The answers of the guard, as problems: 401 with a Bearer challenge (RFC 6750) when there is no
 * usable token, 403 when the token's roles do not allow the request, 503 when the signing keys
 * cannot be had (never let through).
 */
import { HttpProblem } from "../problems/problem.ts";

const REALM = 'Bearer realm="ims"';

/** No credentials at all: the bare challenge. */
export const authenticationRequired = () =>
  new HttpProblem(401, "Authentication is required: send Authorization: Bearer <token>.", { "www-authenticate": REALM });

/** A token that cannot be accepted; `why` is one sentence, without quotes or backslashes. */
export const invalidToken = (why: string) =>
  new HttpProblem(401, `The bearer token is not accepted: ${why}`, {
    "www-authenticate": `${REALM}, error="invalid_token", error_description="${why.replace(/["\\]/g, "'")}"`,
  });

export const forbidden = (detail: string) =>
  new HttpProblem(403, detail, { "www-authenticate": `${REALM}, error="insufficient_scope"` });

export const keysUnavailable = () =>
  new HttpProblem(503, "The token signing keys (JWKS) cannot be fetched, so no token can be checked; retry later.");
