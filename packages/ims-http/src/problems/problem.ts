/**
 * The one place where failures become HTTP: an ImsError kind (or an HTTP-level HttpProblem)
 * becomes a status and an RFC 7807 `application/problem+json` body {status, title, detail?,
 * errors?}, written as upstream's httpproblem writes it (json.dumps, no trailing newline).
 */
import { asciiOnly, isImsError, pyDumps, type ErrorKind, type FieldErrors, type Logger } from "@ims/core";

const STATUS_OF: Record<ErrorKind, number> = {
  missing_input: 400,
  bad_request: 400,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  validation: 422,
  unavailable: 503,
  internal: 500,
};

// Titles are the reason phrases upstream's Python (http.client.responses) gives these statuses.
const REASON: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Request Entity Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export const reasonPhrase = (status: number) => REASON[status] ?? "Error";

/** A failure found by the HTTP layer itself (body, headers, routing), before the core is called. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "HttpProblem";
  }
}

export const URL_NOT_FOUND =
  "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.";
export const METHOD_NOT_ALLOWED = "The method is not allowed for the requested URL.";

export { asciiOnly };

/** JSON text with non-ASCII escaped as \uXXXX, like Python's json.dumps: byte-compatible and safe for any client. */
export const asciiJson = (value: unknown) => asciiOnly(JSON.stringify(value));

/** `detail` "" is left out, as upstream leaves out a falsy detail; `title` replaces the reason phrase. */
export function problemResponse(
  status: number,
  detail: string,
  errors?: FieldErrors | string[],
  headers: Record<string, string> = {},
  title = reasonPhrase(status),
): Response {
  const body: Record<string, unknown> = { status, title };
  if (detail) body.detail = detail;
  if (errors !== undefined) body.errors = errors;
  return new Response(pyDumps(body), {
    status,
    headers: { ...headers, "content-type": "application/problem+json" },
  });
}

/** Maps anything thrown while handling a request; unexpected errors are logged, never echoed. */
export function toProblem(err: unknown, logger: Logger, requestId: string): Response {
  if (isImsError(err)) return problemResponse(STATUS_OF[err.kind] ?? 500, err.detail, err.errors, {}, err.title);
  if (err instanceof HttpProblem) return problemResponse(err.status, err.detail, undefined, err.headers);
  const e = err instanceof Error ? err : new Error(String(err));
  logger.error("unhandled error", { request_id: requestId, error: e.message, stack: e.stack });
  return problemResponse(500, "An unexpected error occurred. The error has been logged; please retry later.");
}
