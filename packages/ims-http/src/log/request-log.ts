/**
 * The one request log line: method, path, query, status, duration, request id and who asked
 * (the peer address, and X-Forwarded-For when a gateway passed the request on). It is written
 * for every request, so nothing is computed for a line the level filter would drop.
 */
import type { Logger } from "@ims/core";

type Level = "debug" | "info" | "error";

/** Where a client's address comes from: Bun's server (absent for in-process app.handle calls). */
export interface PeerSource {
  requestIP(request: Request): { address: string } | null;
}

export interface RequestInfo {
  request: Request;
  server: PeerSource | null | undefined;
  status: number;
  durationMs: number;
  requestId: string;
}

/** Path and query of an absolute request URL, without parsing all of it. */
export function splitUrl(url: string): { path: string; query: string } {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return { path: "/", query: "" };
  const q = url.indexOf("?", start);
  return q < 0 ? { path: url.slice(start), query: "" } : { path: url.slice(start, q), query: url.slice(q + 1) };
}

/**
 * Health probes (the kubelet's, every few seconds, and the readiness 503 while draining) are
 * debug; a failure of the service (5xx) is an error; everything else info.
 */
const levelOf = (path: string, status: number): Level => (path.startsWith("/healthz/") ? "debug" : status >= 500 ? "error" : "info");

export function logRequest(logger: Logger, r: RequestInfo): void {
  // Below 500 the line is info or debug: with info off, both are dropped, so not even the URL is read.
  if (r.status < 500 && logger.enabled?.("info") === false) return;
  const { path, query } = splitUrl(r.request.url);
  const level = levelOf(path, r.status);
  if (logger.enabled?.(level) === false) return;
  const duration_ms = Math.round(r.durationMs * 1000) / 1000;
  const fields: Record<string, unknown> = { method: r.request.method, path };
  if (query) fields.query = query;
  fields.status = r.status;
  fields.duration_ms = duration_ms;
  fields.request_id = r.requestId;
  const client = r.server?.requestIP(r.request)?.address;
  if (client) fields.client = client;
  const forwarded = r.request.headers.get("x-forwarded-for");
  if (forwarded) fields.forwarded_for = forwarded;
  logger[level]("request", fields);
}
