/**
 * Routes of a live resource family (public keys, recipes, images) under one prefix. The
 * unversioned and /v2 families hard-delete (with `cascade`); /v3 soft-deletes.
 */
import type { PatchableResource } from "@ims/core";
import type { SchemaName } from "../openapi/schemas.ts";
import {
  ACCEPTED, BODY_PROBLEMS, CASCADE_QUERY, CHANGING, S3_DOWN, SOFT, artifactAnswer, created, listBody, problems, record, recordText, v2Delete,
  type Prefix, type RouteCtx, type RouteDef,
} from "./route-table.ts";

export interface LiveFamily {
  resource: "publicKeys" | "recipes" | "images";
  /** URL segment, e.g. "public-keys". */
  segment: string;
  /** Path parameter name, as upstream's OpenAPI names it. */
  param: string;
  noun: string;
  schema: SchemaName;
  create: SchemaName;
  /** PATCH body schema; no PATCH route without it (405). */
  patch?: SchemaName;
  /** Whether v2 deletes take `cascade` (recipes, images). */
  cascade: boolean;
}

export function liveRoutes(prefix: Prefix, f: LiveFamily): RouteDef[] {
  const base = `${prefix}/${f.segment}`;
  const item = `${base}/{${f.param}}`;
  const v3 = prefix === "/v3";
  const tag = f.segment.replace("-", " ");
  // Families with artifacts (those whose v2 deletes cascade) read S3 before they change a record.
  const s3 = f.cascade ? S3_DOWN : {};
  const res = (c: RouteCtx) => c.ims[f.resource];
  const id = (c: RouteCtx) => c.params[f.param]!;
  const mode = (c: RouteCtx) => (v3 ? SOFT : v2Delete(c.query));
  const query = !v3 && f.cascade ? [CASCADE_QUERY] : undefined;
  const deleted = v3 ? `soft-delete (moved to /v3/deleted/${f.segment})` : "delete permanently";
  // Public keys have no artifacts: their deletes never answer 202.
  const moves = f.cascade;
  const routes: RouteDef[] = [
    {
      method: "GET", path: base, tag, summary: `List ${f.noun}s`,
      responses: { 200: { description: `All ${f.noun}s`, schema: f.schema, list: true } },
      handler: async (c) => listBody(await res(c).listJson()),
    },
    {
      method: "POST", path: base, tag, summary: `Create a ${f.noun}`, body: f.create, idempotent: true,
      responses: { 201: { description: `The new ${f.noun}`, schema: f.schema, etag: true }, ...problems(...BODY_PROBLEMS), ...s3 },
      handler: async (c) => {
        const { body, opts } = await c.createInput();
        return created(f.schema, await res(c).create(body, opts));
      },
    },
    {
      method: "DELETE", path: base, tag, summary: `Delete all ${f.noun}s: ${deleted}`, query, cli: v3 ? undefined : "ignore",
      responses: { 204: { description: "Deleted" }, ...(moves ? ACCEPTED : {}), ...CHANGING, ...s3 },
      // A whole collection can take longer than the server's idle timeout: the answer must still come.
      handler: async (c) => (c.longLived(), artifactAnswer(await res(c).deleteAll(mode(c), c.waitOptions()))),
    },
    {
      method: "GET", path: item, tag, summary: `Get a ${f.noun}`,
      responses: { 200: { description: `The ${f.noun}`, schema: f.schema, etag: true }, ...problems(404) },
      handler: async (c) => recordText(200, await res(c).getJson(id(c))),
    },
    {
      method: "DELETE", path: item, tag, summary: `Delete a ${f.noun}: ${deleted}`, query,
      responses: { 204: { description: "Deleted" }, ...(moves ? ACCEPTED : {}), ...problems(404, 412), ...CHANGING, ...s3 },
      handler: async (c) => artifactAnswer(await res(c).delete(id(c), mode(c), c.writeOptions())),
    },
  ];
  if (f.patch) {
    const patchable = (c: RouteCtx) => c.ims[f.resource] as PatchableResource<unknown>;
    routes.push({
      method: "PATCH", path: item, tag, summary: `Update a ${f.noun}`, body: f.patch,
      responses: { 200: { description: `The updated ${f.noun}`, schema: f.schema, etag: true }, ...problems(404, 409, 412, ...BODY_PROBLEMS), ...s3 },
      handler: async (c) => {
        const opts = c.writeOptions();
        return record(200, await patchable(c).patch(id(c), await c.body(() => patchable(c).get(id(c))), opts));
      },
    });
  }
  return routes;
}
