/**
 * SDK failures become ImsErrors. What matters to callers: missing (not_found), S3 down or
 * misconfigured (unavailable: connection, DNS, TLS, timeout, 5xx, refused credentials), or a
 * request S3 rejected (bad_request).
 */
import { ImsError } from "../../src/errors.ts";

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const NOT_FOUND = new Set(["NotFound", "NoSuchKey", "NoSuchBucket", "NoSuchUpload"]);

export const statusOf = (e: unknown): number | undefined => (e as SdkError)?.$metadata?.httpStatusCode;

export function isNotFound(e: unknown): boolean {
  return statusOf(e) === 404 || NOT_FOUND.has((e as SdkError)?.name ?? "");
}

const reasonOf = (e: SdkError): string => {
  const status = e.$metadata?.httpStatusCode;
  const label = [e.code ?? e.name, status && `HTTP ${status}`].filter(Boolean).join(", ");
  return `${label}: ${e.message || "no message"}`;
};

/** A programming error, not a network one: those carry a code (ECONNREFUSED, ...) or a name. */
const isBug = (e: unknown) =>
  (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError) && !(e as SdkError).code;

/**
 * Turns anything thrown by the SDK into an ImsError. `what` names the object or bucket
 * (e.g. "s3://ims/x") for not-found and rejected-request messages.
 */
export function toImsError(e: unknown, endpoint: string, what: string): ImsError {
  if (e instanceof ImsError) return e;
  const err = (e ?? {}) as SdkError;
  const status = statusOf(e);
  if (err.name === "NoSuchBucket") return new ImsError("not_found", `S3 bucket of ${what} does not exist.`);
  if (isNotFound(e)) return new ImsError("not_found", `${what} was not found.`);
  if (isBug(e)) return new ImsError("internal", `S3 call for ${what} failed: ${String(e)}`);
  if (status === undefined || status >= 500) {
    // No HTTP answer at all (refused, DNS, TLS, timeout) or a server-side failure.
    return new ImsError("unavailable", `S3 at ${endpoint} is unavailable: ${reasonOf(err)}`);
  }
  if (status === 401 || status === 403) {
    return new ImsError("unavailable", `S3 at ${endpoint} refused the credentials for ${what}: ${reasonOf(err)}`);
  }
  return new ImsError("bad_request", `S3 rejected the request for ${what}: ${reasonOf(err)}`);
}
