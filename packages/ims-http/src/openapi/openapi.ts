/**
 * OpenAPI 3.0 document generated from the route table and the core's TypeBox schemas, so the
 * document cannot drift from what is served. TypeBox emits JSON Schema (const, null unions,
 * patternProperties); 3.0 wants enum, nullable and additionalProperties instead.
 */
import { SERVERS, TAGS } from "./document-info.ts";
import { operationId } from "./operation-ids.ts";
import { withNotes } from "./schema-notes.ts";
import type { RouteDef } from "../routes/route-table.ts";
import { SCHEMAS, type SchemaName } from "./schemas.ts";

type Json = Record<string, unknown>;
const DROP = new Set(["$id", "$schema"]);

/** Converts one JSON Schema (TypeBox output) to an OpenAPI 3.0 Schema Object. */
export function toOpenApiSchema(input: unknown): Json {
  const s = input as Json;
  if (Array.isArray(s.anyOf)) return convertUnion(s);
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (DROP.has(k)) continue;
    if (k === "const") {
      out.type = typeof v;
      out.enum = [v];
    } else if (k === "properties") {
      out.properties = Object.fromEntries(Object.entries(v as Json).map(([p, ps]) => [p, toOpenApiSchema(ps)]));
    } else if (k === "patternProperties") {
      out.additionalProperties = toOpenApiSchema(Object.values(v as Json)[0]);
    } else if ((k === "items" || k === "additionalProperties") && typeof v === "object" && v !== null) {
      out[k] = toOpenApiSchema(v);
    } else if (k === "type" && v === "null") {
      out.nullable = true;
    } else out[k] = v;
  }
  return out;
}

function convertUnion(s: Json): Json {
  const { anyOf, ...rest } = s;
  const members = (anyOf as Json[]).filter((m) => m.type !== "null").map(toOpenApiSchema);
  const nullable = (anyOf as Json[]).some((m) => m.type === "null");
  const extra = toOpenApiSchema(rest);
  let base: Json;
  if (members.length > 0 && members.every((m) => Array.isArray(m.enum) && m.type === members[0]!.type)) {
    base = { type: members[0]!.type, enum: members.flatMap((m) => m.enum as unknown[]) };
  } else if (members.length === 1) base = members[0]!;
  else base = { anyOf: members };
  return { ...base, ...extra, ...(nullable ? { nullable: true } : {}) };
}

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });

// The headers behind optimistic concurrency (ETag / If-Match) and safe create retries.
const IF_MATCH = {
  name: "If-Match", in: "header", required: false, schema: { type: "string" },
  description: 'The ETag from a GET ("N"; W/"N" is taken too, * matches any version): the write happens only while the record is at that version, else 412.',
};
const IDEMPOTENCY_KEY = {
  name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", minLength: 1, maxLength: 255 },
  description:
    "Makes a retry safe: the first result for the key is stored with the new record and answered again (same status, body and ETag) " +
    "to every retry with the same method, path and body, from any replica. The key with a different request is a 422; " +
    "an empty key, one over 255 characters or one with control characters is a 400. A create that fails stores nothing.",
};
const ETAG = { ETag: { description: 'The record\'s version as a strong ETag ("N"); send it as If-Match to make a write conditional.', schema: { type: "string" } } };

/** What a path parameter names, as upstream's document says it (a deleted recipe's is recipe_id too). */
const PATH_PARAMS: Record<string, string> = {
  image_id: "image", deleted_image_id: "deleted image", recipe_id: "recipe", public_key_id: "public key",
  deleted_public_key_id: "deleted public key", job_id: "job", operation_id: "artifact operation",
};

function pathParam(name: string, path: string): Json {
  if (name === "remote_build_node_xname") {
    return { name, in: "path", required: true, description: "The unique xname of a remote build node", schema: { type: "string" } };
  }
  const noun = `${path.startsWith("/v3/deleted/") && !PATH_PARAMS[name]!.startsWith("deleted") ? "deleted " : ""}${PATH_PARAMS[name]}`;
  const article = /^[aeiou]/.test(noun) ? "an" : "a";
  return { name, in: "path", required: true, description: `The unique ID of ${article} ${noun}`, schema: { type: "string", format: "uuid" } };
}

/** Upstream's tags: the resource, the API version (unversioned paths serve v2), and craycli's cli_* tag. */
function tagsOf(route: RouteDef): string[] {
  const version = route.path.match(/^\/(v\d+)\//)?.[1] ?? (/^\/(healthz|version)\b/.test(route.path) ? undefined : "v2");
  return [route.tag, ...(route.cli ? [`cli_${route.cli}`] : []), ...(version ? [version] : [])];
}

/**
 * Every route but the probes and /version reads the record store; a PostgreSQL that cannot be
 * reached answers 503 (adapters/postgres/outage.ts), so each of them documents it.
 */
function withDatabase(route: RouteDef): RouteDef["responses"] {
  if (/^\/(healthz|version)\b/.test(route.path)) return route.responses;
  const other = route.responses[503];
  const description = other ? `${other.description}; or the database cannot be reached` : "The database cannot be reached; retry later";
  return { ...route.responses, 503: { description, schema: "Problem" } };
}

/**
 * Bearer tokens are optional: checked only when the service is configured with a JWKS
 * (IMS_AUTH_JWKS_URL); upstream leaves this to the API gateway. Every operation then takes either
 * nothing or a token, the public ones nothing. craycli reads none of this.
 */
const BEARER_SCHEME = {
  type: "http", scheme: "bearer", bearerFormat: "JWT",
  description:
    "Only when IMS is configured with IMS_AUTH_JWKS_URL (off by default; in CSM the API gateway checks tokens): a JWT signed " +
    "by a key of that JWKS, not expired, with the configured issuer and audience. Roles from a claim (realm_access.roles by " +
    "default): the read role (monitor-ro) may GET, the admin role (admin) may do everything, an optional job role may PATCH a " +
    "job. No or an unusable token: 401 with WWW-Authenticate: Bearer; a role that does not allow the request: 403; the JWKS " +
    "cannot be fetched: 503. /healthz/*, /version and this document need no token.",
};
const OPTIONAL_BEARER = [{}, { bearer: [] }];
const AUTH_RESPONSES: RouteDef["responses"] = {
  401: { description: "Authentication on (IMS_AUTH_JWKS_URL): no bearer token, or one that is not accepted (the detail says why)", schema: "Problem" },
  403: { description: "Authentication on: the token's roles do not allow this method here", schema: "Problem" },
};

function operation(route: RouteDef): Json {
  const params: Json[] = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => pathParam(m[1]!, route.path));
  for (const q of route.query ?? []) params.push({ name: q.name, in: "query", required: false, description: q.description, schema: q.schema ?? { type: "string" } });
  for (const h of route.headers ?? []) params.push({ name: h.name, in: "header", required: false, description: h.description, schema: h.schema ?? { type: "string" } });
  if (412 in route.responses) params.push(IF_MATCH);
  if (route.idempotent) params.push(IDEMPOTENCY_KEY);
  const responses = Object.fromEntries(
    Object.entries({ ...withDatabase(route), ...(route.access === "public" ? {} : AUTH_RESPONSES) }).map(([status, r]) => {
      if (!r.schema) return [status, { description: r.description }];
      const media = r.media ?? (r.schema === "Problem" ? "application/problem+json" : "application/json");
      const schema = r.list ? { type: "array", items: ref(r.schema) } : ref(r.schema);
      return [status, { description: r.description, ...(r.etag ? { headers: ETAG } : {}), content: { [media]: { schema } } }];
    }),
  );
  const op: Json = { operationId: operationId(route), summary: route.summary, tags: tagsOf(route), responses };
  if (params.length) op.parameters = params;
  if (route.access === "public") op.security = [];
  if (route.body) op.requestBody = { required: true, content: { "application/json": { schema: ref(route.body) } } };
  return op;
}

export function buildOpenApi(routes: readonly RouteDef[], version: string): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  const schemas = Object.fromEntries(Object.entries(SCHEMAS).map(([name, s]) => [name, withNotes(name, toOpenApiSchema(s))]));
  return {
    openapi: "3.0.3",
    info: { title: "Image Management Service", version, description: "Errors are RFC 7807 application/problem+json." },
    servers: SERVERS,
    tags: TAGS,
    paths,
    security: OPTIONAL_BEARER,
    components: { schemas, securitySchemes: { bearer: BEARER_SCHEME } },
  };
}
