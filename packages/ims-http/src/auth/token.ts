/**
 * Verifies a bearer JWT: signature with a JWKS key (jose does the cryptography), `exp` (required)
 * and `nbf` with a little clock leeway, issuer and audience when configured. Every way a token
 * can be wrong becomes a 401 that says which; a key server that cannot be reached, a 503.
 */
import { errors, jwtVerify, type JWTPayload } from "jose";
import { HttpProblem } from "../problems/problem.ts";
import { invalidToken } from "./failures.ts";
import { ACCEPTED_ALGORITHMS, type KeySet } from "./jwks.ts";
import type { ResolvedAuth } from "./options.ts";

const CLAIM_FAILED: Record<string, string> = {
  exp: "it has no expiry time (exp).",
  nbf: "it is not valid yet (nbf).",
  iss: "its issuer (iss) is not one this service accepts.",
  aud: "its audience (aud) is not one this service accepts.",
};

function reason(e: unknown): HttpProblem {
  if (e instanceof HttpProblem) return e;
  if (e instanceof errors.JWTExpired) return invalidToken("it has expired (exp).");
  if (e instanceof errors.JWTClaimValidationFailed) return invalidToken(CLAIM_FAILED[e.claim] ?? `its ${e.claim} claim is not accepted.`);
  if (e instanceof errors.JOSEAlgNotAllowed) return invalidToken(`its algorithm is not accepted (only ${ACCEPTED_ALGORITHMS.join(", ")}).`);
  if (e instanceof errors.JWSSignatureVerificationFailed) return invalidToken("its signature does not verify.");
  if (e instanceof errors.JOSEError) return invalidToken("it is not a well-formed signed JWT.");
  throw e;
}

export async function verifyToken(token: string, keys: KeySet, o: Readonly<ResolvedAuth>): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, (header) => keys.key(header.alg, header.kid), {
      algorithms: ACCEPTED_ALGORITHMS,
      requiredClaims: ["exp"],
      clockTolerance: o.clockToleranceSeconds,
      ...(o.issuers?.length ? { issuer: [...o.issuers] } : {}),
      ...(o.audiences?.length ? { audience: [...o.audiences] } : {}),
    });
    return payload;
  } catch (e) {
    throw reason(e);
  }
}
