/**
 * Errors are data: every failure the domain can report is an ImsError with a kind.
 * Only the HTTP edge turns a kind into a status code and a problem+json body.
 */
export type ErrorKind =
  | "missing_input" // 400: body absent or falsy
  | "bad_request" // 400: a rule outside the schema (e.g. ssh containers on a create job)
  | "not_found" // 404
  | "conflict" // 409
  | "precondition_failed" // 412: stale If-Match
  | "payload_too_large" // 413
  | "validation" // 422: schema or domain validation
  | "unavailable" // 503: a dependency (S3, Kubernetes) is down or not configured
  | "internal"; // 500

/** Field errors as marshmallow shapes them: field -> messages, nested by field or list index. */
export type FieldErrors = { [field: string]: string[] | FieldErrors };

export class ImsError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly detail: string,
    /** Field errors (422), a list of strings (500 clean-up failures), or nothing. */
    readonly errors?: FieldErrors | string[],
  ) {
    super(detail);
    this.name = "ImsError";
  }
}

export const notFound = (what: string, id: string) =>
  new ImsError("not_found", `${what} with id '${id}' was not found.`);

export const missingInput = () => new ImsError("missing_input", "No input provided. Determine the specific information that is missing or invalid and then re-run the request with valid information.");

export const isImsError = (e: unknown): e is ImsError => e instanceof ImsError;
