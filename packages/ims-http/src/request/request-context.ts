/** Builds the RouteCtx a handler sees: decoded params, query, lazy body and If-Match. */
import type { ArtifactWaitOptions, ImsService, WriteOptions } from "@ims/core";
import { readJsonBody } from "./body.ts";
import { createOptions, idempotencyKey } from "./idempotency.ts";
import { prefersAsync } from "./prefer.ts";
import { HttpProblem, URL_NOT_FOUND } from "../problems/problem.ts";
import type { RouteCtx } from "../routes/route-table.ts";

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
  dependencies(): Promise<void>;
  maxBodyBytes: number;
  eventHeartbeatMs: number;
  /** The listening server, once there is one (in-process tests have none). */
  server(): { timeout(request: Request, seconds: number): void } | null | undefined;
}

/**
 * A class, not an object literal of closures: one is built per request, and prototype methods
 * make that allocation cheap (GET of a record is the hottest path).
 */
class RequestCtx implements RouteCtx {
  readonly ims: ImsService;
  readonly version: string;
  readonly ready: () => boolean;
  #query: URLSearchParams | undefined;

  constructor(
    private readonly deps: CtxDeps,
    private readonly request: Request,
    readonly params: Record<string, string>,
  ) {
    this.ims = deps.ims;
    this.version = deps.version;
    this.ready = deps.ready;
  }

  /** Parsed on first use: most routes never look at the query. */
  get query(): URLSearchParams {
    return (this.#query ??= new URL(this.request.url).searchParams);
  }

  dependencies(): Promise<void> {
    return this.deps.dependencies();
  }

  writeOptions(): WriteOptions {
    return { ...parseIfMatch(this.request.headers.get("if-match")), ...this.waitOptions() };
  }

  waitOptions(): ArtifactWaitOptions {
    return prefersAsync(this.request.headers.get("prefer")) ? { artifactWaitMs: 0 } : {};
  }

  async body(exists?: () => Promise<unknown>): Promise<unknown> {
    try {
      return await readJsonBody(this.request, this.deps.maxBodyBytes);
    } catch (e) {
      // Upstream answers 404 before it looks at the body; a too-large body is refused outright.
      if (exists && e instanceof HttpProblem && e.status !== 413) await exists();
      throw e;
    }
  }

  get eventHeartbeatMs(): number {
    return this.deps.eventHeartbeatMs;
  }

  header(name: string): string | null {
    return this.request.headers.get(name);
  }

  longLived(): AbortSignal {
    this.deps.server()?.timeout(this.request, 0);
    return this.request.signal;
  }

  async createInput() {
    const key = idempotencyKey(this.request.headers);
    const body = await this.body();
    return { body, opts: createOptions(this.request, key, body) };
  }
}

export function createCtx(deps: CtxDeps, request: Request, rawParams: Record<string, string | null | undefined> = {}): RouteCtx {
  const params: Record<string, string> = {};
  for (const k in rawParams) {
    const v = rawParams[k];
    // Elysia yields null for a malformed %-escape: no record can have such an id.
    if (typeof v !== "string") throw new HttpProblem(404, URL_NOT_FOUND);
    params[k] = v;
  }
  return new RequestCtx(deps, request, params);
}
