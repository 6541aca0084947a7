/**
 * Bearer-token authentication and role checks at the HTTP edge (off unless configured): typed
 * values, filled in by whoever reads the environment (@ims/cli's IMS_AUTH_* variables).
 */
export interface AuthOptions {
  /** Where the token signing keys are published (a JWKS, e.g. Keycloak's realm certs URL). */
  jwksUrl: string;
  /** Accepted `iss` values; absent or empty: any issuer. */
  issuers?: readonly string[];
  /** Accepted `aud` values (the token must name one); absent or empty: any audience. */
  audiences?: readonly string[];
  /** Dot-separated path of the roles claim (a list of strings); Keycloak's by default. */
  rolesClaim?: string;
  /** May only read: GET, HEAD, OPTIONS. */
  readRole?: string;
  /** May do everything. */
  adminRole?: string;
  /** May PATCH a job (the job pods' status reports); absent: no such role. */
  jobRole?: string;
  /** Least time between two fetches of the JWKS (unknown key id, or after a failure). */
  refetchIntervalMs?: number;
  /** Keys older than this are fetched again before use; if that fails, requests answer 503. */
  maxKeyAgeMs?: number;
  /** How long one JWKS fetch may take. */
  fetchTimeoutMs?: number;
  /** Leeway for `exp` and `nbf`, seconds (clocks differ between hosts). */
  clockToleranceSeconds?: number;
}

export const AUTH_DEFAULTS = Object.freeze({
  rolesClaim: "realm_access.roles",
  readRole: "monitor-ro",
  adminRole: "admin",
  refetchIntervalMs: 10_000,
  maxKeyAgeMs: 10 * 60_000,
  fetchTimeoutMs: 5_000,
  clockToleranceSeconds: 60,
});

export type ResolvedAuth = Required<Omit<AuthOptions, "jobRole" | "issuers" | "audiences">> & Pick<AuthOptions, "jobRole" | "issuers" | "audiences">;

export function resolveAuth(o: AuthOptions): Readonly<ResolvedAuth> {
  const defined = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return Object.freeze({ ...AUTH_DEFAULTS, ...defined } as ResolvedAuth);
}
