/**
 * SDK failures become ImsErrors. What matters to callers: missing (not_found), S3 down or
 * misconfigured (unavailable: connection, DNS, TLS, timeout, 5xx, refused credentials, denied
 * access), or a request S3 rejected (bad_request).
 */
import { ImsError } from "../../src/errors.ts";

interface SdkError {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Which credential set made the call: IMS for everything but copies of objects STS owns. */
export type Credentials = "IMS" | "STS";

const NOT_FOUND = new Set(["NotFound", "NoSuchKey", "NoSuchBucket", "NoSuchUpload"]);

export const statusOf = (e: unknown): number | undefined => (e as SdkError)?.$metadata?.httpStatusCode;

/** The S3 error code; a HEAD answer has no body, so none ("Unknown" to the SDK). */
export const codeOf = (e: unknown): string | undefined => {
  const err = e as SdkError;
  const code = err?.Code ?? err?.code ?? err?.name;
  return code && code !== "Unknown" ? code : undefined;
};

export function isNotFound(e: unknown): boolean {
  return statusOf(e) === 404 || NOT_FOUND.has((e as SdkError)?.name ?? "");
}

export const isAccessDenied = (e: unknown) => statusOf(e) === 403 && codeOf(e) === "AccessDenied";

/** Ceph RGW sends these without a message (the SDK then says "UnknownError"): say what they mean. */
const MEANING: Record<string, string> = {
  AccessDenied: "the credentials are valid, but the object's ACL and the bucket policy do not allow this call",
  SignatureDoesNotMatch: "the secret key does not belong to the access key",
  InvalidAccessKeyId: "S3 has no such access key",
};

const reasonOf = (e: SdkError): string => {
  const status = e.$metadata?.httpStatusCode;
  const code = codeOf(e);
  const label = [code ?? (status ? undefined : e.name), status && `HTTP ${status}`].filter(Boolean).join(", ");
  const message = e.message && e.message !== "UnknownError" ? e.message : (code && MEANING[code]) || "no message";
  return `${label}: ${message}`;
};

/** A programming error, not a network one: those carry a code (ECONNREFUSED, ...) or a name. */
const isBug = (e: unknown) =>
  (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError) && !(e as SdkError).code;

/**
 * Turns anything thrown by the SDK into an ImsError. `what` names the object or bucket
 * (e.g. "s3://ims/x") for not-found and rejected-request messages; `as` the credentials used.
 */
export function toImsError(e: unknown, endpoint: string, what: string, as: Credentials = "IMS"): ImsError {
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
  // Unavailable, not a client error: nothing the caller sends can fix it, and a delete must
  // fail rather than skip (and orphan) an object it may not touch.
  if (isAccessDenied(e)) {
    return new ImsError("unavailable", `S3 at ${endpoint} denied the ${as} credentials access to ${what}: ${reasonOf(err)}`);
  }
  if (status === 401 || status === 403) {
    return new ImsError("unavailable", `S3 at ${endpoint} refused the ${as} credentials for ${what}: ${reasonOf(err)}`);
  }
  return new ImsError("bad_request", `S3 rejected the request for ${what}: ${reasonOf(err)}`);
}
