/**
 * The declarative route table: each entry says what the route is (for the router AND the OpenAPI
 * document) and holds a thin handler that turns the request into one core call.
 */
import { isAscii } from "node:buffer";
import { asciiOnly, canonicalJson, pyDumps, type ArtifactWaitOptions, type ArtifactWork, type CreateOptions, type DeleteMode, type ImsService, type Stored, type StoredJson, type WriteOptions } from "@ims/core";
import { inDumpOrder } from "./dump-order.ts";
import type { SchemaName } from "../openapi/schemas.ts";
import type { RouteAccess } from "../auth/roles.ts";

export type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** The unversioned aliases serve the v2 handlers; /v3 differs only in delete semantics. */
export const PREFIXES = ["", "/v2", "/v3"] as const;
export type Prefix = (typeof PREFIXES)[number];

/** A response the route can give: a named schema (or a list of them), or nothing (204). */
export interface ResponseSpec {
  description: string;
  schema?: SchemaName;
  list?: boolean;
  /** The answer carries the record's version as a strong ETag (`record`, `recordText`). */
  etag?: boolean;
  /** The media type of the body, when not JSON (e.g. text/event-stream). */
  media?: string;
}

export interface QuerySpec {
  name: string;
  description: string;
  /** The parameter's OpenAPI schema; a plain string when absent. */
  schema?: Record<string, unknown>;
}

/** What a handler gets: the service, decoded path params and lazy accessors for the rest. */
export interface RouteCtx {
  ims: ImsService;
  version: string;
  /** False while the process drains for shutdown. */
  ready(): boolean;
  /** Resolves when the dependencies the service needs answer (the record store); throws an unavailable ImsError otherwise. */
  dependencies(): Promise<void>;
  params: Record<string, string>;
  query: URLSearchParams;
  /**
   * The JSON body (undefined when empty). `exists` is checked before a 400/415 body error is
   * reported, because upstream looks the id up before it reads the body.
   */
  body(exists?: () => Promise<unknown>): Promise<unknown>;
  /** { ifVersion } from If-Match (412 when it cannot be parsed), plus waitOptions(). */
  writeOptions(): WriteOptions;
  /** { artifactWaitMs: 0 } when the client sent `Prefer: respond-async`. */
  waitOptions(): ArtifactWaitOptions;
  /** A create's body and options (Idempotency-Key with this request's fingerprint; 400 when malformed). */
  createInput(): Promise<{ body: unknown; opts: CreateOptions }>;
  /** A request header (null when absent). */
  header(name: string): string | null;
  /** This answer may take long or stream for long: no idle timeout; the signal aborts when the client goes away. */
  longLived(): AbortSignal;
  /** How often an idle event stream sends a heartbeat comment. */
  readonly eventHeartbeatMs: number;
}

export interface RouteDef {
  method: Method;
  /** OpenAPI template, e.g. "/v3/images/{image_id}". */
  path: string;
  summary: string;
  /** The resource's tag, as upstream's document names it ("images", "public keys", ...). */
  tag: string;
  /** How craycli treats the route, as upstream tags it: no command (cli_ignore) or a hidden one. */
  cli?: "ignore" | "hidden";
  body?: SchemaName;
  query?: QuerySpec[];
  /** Request headers the route reads (beyond If-Match and Idempotency-Key), for the document. */
  headers?: QuerySpec[];
  /** The handler reads its input with `createInput`, so an Idempotency-Key is honoured. */
  idempotent?: boolean;
  /** With authentication on: "public" needs no token; "job-status" also takes the job role for PATCH. */
  access?: RouteAccess;
  responses: Record<number, ResponseSpec>;
  handler(ctx: RouteCtx): Promise<Response>;
}

const JSON_HEADERS = { "content-type": "application/json" };

/** Flask's jsonify (upstream's GET and PATCH answers): keys sorted, compact, a closing newline. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(asciiOnly(canonicalJson(body)) + "\n", { status, headers: { ...JSON_HEADERS, ...headers } });

/**
 * flask-restful's answer to a resource returning a dict (upstream's POST 201, /version,
 * /healthz): json.dumps with its spaced separators, a closing newline.
 */
export const dumped = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(pyDumps(body) + "\n", { status, headers: { ...JSON_HEADERS, ...headers } });

/** One record (a PATCH answer), with its version as a strong ETag. */
export const record = (status: number, stored: Stored<unknown>) =>
  recordText(status, { json: canonicalJson(stored.data), version: stored.version });

/** A created record: 201 in upstream's dump order for `schema`, with its version as a strong ETag. */
export const created = (schema: SchemaName, stored: Stored<unknown>) =>
  dumped(201, inDumpOrder(schema, stored.data), { etag: `"${stored.version}"` });

/**
 * One record from its stored JSON text (RecordReader.getJson): the same bytes as `record`
 * without parsing and re-serialising. GET of a record is the hottest route: no spreads here.
 */
export const recordText = (status: number, stored: StoredJson) =>
  new Response(asciiOnly(stored.json) + "\n", {
    status,
    headers: { "content-type": "application/json", etag: `"${stored.version}"` },
  });

export const list = (items: Stored<unknown>[]) => json(200, items.map((s) => s.data));

const NEWLINE = 10;

/** The body of each list the core handed out (it hands out the same bytes while the list is unchanged). */
const listBodies = new WeakMap<Uint8Array, Uint8Array>();

/** The HTTP body of a list: asciiOnly's escapes where needed, and the closing newline. */
function listBytes(json: Uint8Array): Uint8Array {
  // DEL is ASCII, but asciiJson escapes it too: the bytes must stay the same.
  if (!isAscii(json) || json.includes(0x7f)) return new TextEncoder().encode(asciiOnly(new TextDecoder().decode(json)) + "\n");
  const body = new Uint8Array(json.byteLength + 1);
  body.set(json);
  body[json.byteLength] = NEWLINE;
  return body;
}

/**
 * A list from the store's UTF-8 JSON (RecordReader.listJson): the same bytes as `list`, without
 * an object per record. The body is built once per list the core hands out and then shared by
 * every answer (a Response does not copy it): concurrent lists hold one body, not one each.
 */
export function listBody(json: Uint8Array): Response {
  let body = listBodies.get(json);
  if (!body) listBodies.set(json, (body = listBytes(json)));
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
}

/** Upstream's 204: flask-restful labels every answer application/json; Werkzeug sends no body and no Content-Length. */
export const noContent = () => new Response(null, { status: 204, headers: { "content-type": "application/json" } });

/**
 * The answer of a delete, undelete or purge: 204 once its artifact work is done, or when it waited
 * its bound (the journal finishes the rest); 202 Accepted with the operation to follow when the
 * client (Prefer: respond-async) or the configuration (IMS_ARTIFACT_WAIT_MS=0) chose not to wait.
 */
export function artifactAnswer(work: ArtifactWork): Response {
  if (work.waited || !work.pending.length) return noContent();
  const location = work.pending.length === 1 ? `/v3/operations/${work.pending[0]}` : "/v3/operations?state=pending";
  return new Response(null, { status: 202, headers: { location, "preference-applied": "respond-async" } });
}

/** The 202 a route that moves artifacts can give, for the OpenAPI document. */
export const ACCEPTED: Record<number, ResponseSpec> = {
  202: { description: "Accepted (Prefer: respond-async, or IMS_ARTIFACT_WAIT_MS=0): the artifact work continues; Location names the operation" },
};

const TRUE_VALUES = new Set(["true", "yes", "t", "1"]);

/** v2/unversioned deletes: `cascade` missing -> true, else true iff a known truthy word (api.md 1.3). */
export function v2Delete(query: URLSearchParams): DeleteMode {
  const raw = query.get("cascade");
  return { mode: "hard", cascade: raw === null || TRUE_VALUES.has(raw.toLowerCase()) };
}

export const SOFT: DeleteMode = { mode: "soft" };

export const CASCADE_QUERY: QuerySpec = {
  name: "cascade",
  description: "Also delete the linked S3 artifacts (true, yes, t, 1); default true.",
};

/** Standard problem responses, merged into each route's own list. */
export const problems = (...statuses: number[]): Record<number, ResponseSpec> =>
  Object.fromEntries(statuses.map((s) => [s, { description: PROBLEM_TEXT[s] ?? "Error", schema: "Problem" as const }]));

const PROBLEM_TEXT: Record<number, string> = {
  400: "Missing input or malformed JSON",
  404: "Not found",
  409: "The record already has a link (a link cannot be changed once set), or it kept changing under concurrent requests",
  412: "If-Match does not match the current version",
  413: "Request body too large",
  415: "Content-Type is not JSON",
  422: "Validation failure",
  503: "Not ready or a dependency is unavailable",
};

/** 409 of a write that re-reads the record until its version guard holds (the core's `guarded`). */
export const CHANGING: Record<number, ResponseSpec> = {
  409: { description: "The record kept changing under concurrent requests; retry", schema: "Problem" },
};

/** 409 of an undelete or purge: it waits (bounded) for the record's artifact operations first. */
export const MOVING: Record<number, ResponseSpec> = {
  409: {
    description: "An artifact operation for the record is still moving its objects (see /v3/operations), or the record kept changing; retry later",
    schema: "Problem",
  },
};

/** 503 of a route that reads S3 (HEAD, manifest) before it changes anything. */
export const S3_DOWN: Record<number, ResponseSpec> = {
  503: { description: "S3, where the artifacts are kept, cannot be reached; retry later", schema: "Problem" },
};

/** Problems every body-carrying route can answer. */
export const BODY_PROBLEMS = [400, 413, 415, 422] as const;
