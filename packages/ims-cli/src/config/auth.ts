/**
 * Authentication of requests (off unless IMS_AUTH_JWKS_URL is set): where the signing keys are,
 * which issuers and audiences are accepted, and the roles. Any other IMS_AUTH_* variable set
 * without the JWKS URL is a mistake (the operator thinks requests are checked): a problem.
 */
import type { AuthOptions } from "@ims/http";
import type { EnvReader } from "./env-reader.ts";

export interface AuthSettings {
  /** Absent: no authentication (upstream's behaviour: the API gateway checks tokens). */
  auth: Readonly<AuthOptions> | undefined;
}

const OTHERS = ["IMS_AUTH_ISSUER", "IMS_AUTH_AUDIENCE", "IMS_AUTH_ROLES_CLAIM", "IMS_AUTH_READ_ROLE", "IMS_AUTH_ADMIN_ROLE", "IMS_AUTH_JOB_ROLE"] as const;
const CLAIM_PATH = /^[^.\s]+(\.[^.\s]+)*$/;
const ROLE = /^\S+$/;

/** A comma-separated list: items trimmed, empty ones dropped. */
const listOf = (raw: string | undefined) => (raw ?? "").split(",").map((s) => s.trim()).filter(Boolean);

function jwksUrl(r: EnvReader, raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) r.problem(`IMS_AUTH_JWKS_URL must be an http:// or https:// URL, got ${JSON.stringify(raw)}`);
  return raw;
}

export function readAuthSettings(r: EnvReader): AuthSettings {
  const raw = r.raw("IMS_AUTH_JWKS_URL");
  if (raw === undefined) {
    const set = OTHERS.filter((name) => r.raw(name) !== undefined);
    if (set.length) r.problem(`${set.join(", ")} ${set.length === 1 ? "is" : "are"} set but IMS_AUTH_JWKS_URL is not: authentication would be off`);
    return { auth: undefined };
  }
  const jobRole = r.raw("IMS_AUTH_JOB_ROLE");
  if (jobRole !== undefined && !ROLE.test(jobRole)) r.problem(`IMS_AUTH_JOB_ROLE must be a role name without spaces, got ${JSON.stringify(jobRole)}`);
  const auth: AuthOptions = {
    jwksUrl: jwksUrl(r, raw),
    issuers: listOf(r.raw("IMS_AUTH_ISSUER")),
    audiences: listOf(r.raw("IMS_AUTH_AUDIENCE")),
    rolesClaim: r.matching("IMS_AUTH_ROLES_CLAIM", CLAIM_PATH, "a dot-separated claim path such as realm_access.roles"),
    readRole: r.matching("IMS_AUTH_READ_ROLE", ROLE, "a role name without spaces"),
    adminRole: r.matching("IMS_AUTH_ADMIN_ROLE", ROLE, "a role name without spaces"),
    ...(jobRole !== undefined ? { jobRole } : {}),
  };
  return { auth: Object.freeze(auth) };
}
