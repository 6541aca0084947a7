/**
 * Errors are data: every failure the domain can report is an ImsError with a kind.
 * Only the HTTP edge turns a kind into a status code and a problem+json body.
 */
import { MISSING_INPUT, NOT_FOUND, VALIDATION_FAILED } from "./texts.ts";

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
    /** "" when the problem has no detail (upstream then says it all in the title). */
    readonly detail: string,
    /** Field errors (422), a list of strings (500 clean-up failures), or nothing. */
    readonly errors?: FieldErrors | string[],
    /** Replaces the status's reason phrase as the problem's title. */
    readonly title?: string,
  ) {
    super(detail || title);
    this.name = "ImsError";
  }
}

/** Upstream answers every unknown id with the same sentence. */
export const notFound = () => new ImsError("not_found", NOT_FOUND);

export const missingInput = () => new ImsError("missing_input", MISSING_INPUT);

/** The 422 of a schema failure: upstream's sentence, the messages per field in `errors`. */
export const validationFailed = (errors: FieldErrors | string[]) => new ImsError("validation", VALIDATION_FAILED, errors);

/** 400 whose text upstream puts in the title, with no detail (job DELETE filters). */
export const badRequestTitle = (title: string) => new ImsError("bad_request", "", undefined, title);

export const isImsError = (e: unknown): e is ImsError => e instanceof ImsError;
