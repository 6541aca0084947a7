/** Builds the RouteCtx a handler sees: decoded params, query, lazy body and If-Match. */
import type { ImsService, WriteOptions } from "@ims/core";
import { readJsonBody } from "./body.ts";
import { HttpProblem, URL_NOT_FOUND } from "./problem.ts";
import type { RouteCtx } from "./route-table.ts";

const ETAG = /^(?:W\/)?"(\d{1,15})"$/;

/** If-Match: "N" or W/"N" -> { ifVersion: N }; "*" or absent -> no check; anything else -> 412. */
export function parseIfMatch(header: string | null): WriteOptions {
  if (header === null || header.trim() === "*") return {};
  const m = ETAG.exec(header.trim());
  if (!m) throw new HttpProblem(412, 'If-Match must be a single ETag from this service, e.g. "3", or *.');
  return { ifVersion: Number(m[1]) };
}

export interface CtxDeps {
  ims: ImsService;
  version: string;
  ready(): boolean;
  maxBodyBytes: number;
}

export function createCtx(deps: CtxDeps, request: Request, rawParams: Record<string, string | null | undefined> = {}): RouteCtx {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawParams ?? {})) {
    // Elysia yields null for a malformed %-escape: no record can have such an id.
    if (typeof v !== "string") throw new HttpProblem(404, URL_NOT_FOUND);
    params[k] = v;
  }
  return {
    ims: deps.ims,
    version: deps.version,
    ready: deps.ready,
    params,
    query: new URL(request.url).searchParams,
    writeOptions: () => parseIfMatch(request.headers.get("if-match")),
    async body(exists) {
      try {
        return await readJsonBody(request, deps.maxBodyBytes);
      } catch (e) {
        // Upstream answers 404 before it looks at the body; a too-large body is refused outright.
        if (exists && e instanceof HttpProblem && e.status !== 413) await exists();
        throw e;
      }
    },
  };
}
