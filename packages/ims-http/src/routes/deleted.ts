/** /v3/deleted/{public-keys,recipes,images}: list, get, permanent delete, undelete (PATCH). */
import type { RouteDef } from "./route-table.ts";
import { ACCEPTED, BODY_PROBLEMS, CHANGING, MOVING, S3_DOWN, artifactAnswer, problems, recordText, listBody, type RouteCtx } from "./route-table.ts";
import type { SchemaName } from "../openapi/schemas.ts";

interface DeletedFamily {
  resource: "deletedPublicKeys" | "deletedRecipes" | "deletedImages";
  segment: string;
  param: string;
  noun: string;
  schema: SchemaName;
  /** Records with artifacts in S3: undelete and purge move or remove them. */
  artifacts: boolean;
}

const FAMILIES: DeletedFamily[] = [
  { resource: "deletedPublicKeys", segment: "public-keys", param: "deleted_public_key_id", noun: "deleted public key", schema: "DeletedPublicKey", artifacts: false },
  // Upstream names this one recipe_id (`cray ims deleted recipes describe RECIPE_ID`).
  { resource: "deletedRecipes", segment: "recipes", param: "recipe_id", noun: "deleted recipe", schema: "DeletedRecipe", artifacts: true },
  { resource: "deletedImages", segment: "images", param: "deleted_image_id", noun: "deleted image", schema: "DeletedImage", artifacts: true },
];

function deletedRoutes(f: DeletedFamily): RouteDef[] {
  const base = `/v3/deleted/${f.segment}`;
  const item = `${base}/{${f.param}}`;
  const tag = f.segment.replace("-", " ");
  // Undelete and purge wait for the record's pending artifact work and read S3 first.
  const writes = f.artifacts ? { ...MOVING, ...S3_DOWN } : CHANGING;
  const res = (c: RouteCtx) => c.ims[f.resource];
  const id = (c: RouteCtx) => c.params[f.param]!;
  const accepted = f.artifacts ? ACCEPTED : {};
  return [
    {
      method: "GET", path: base, tag, summary: `List ${f.noun}s`,
      responses: { 200: { description: `All ${f.noun}s`, schema: f.schema, list: true } },
      handler: async (c) => listBody(await res(c).listJson()),
    },
    {
      method: "PATCH", path: base, tag, summary: `Undelete every ${f.noun}`, body: "Undelete",
      responses: { 204: { description: "Undeleted" }, ...accepted, ...problems(...BODY_PROBLEMS), ...writes },
      handler: async (c) => (c.longLived(), artifactAnswer(await res(c).undeleteAll(await c.body(), c.waitOptions()))),
    },
    {
      method: "DELETE", path: base, tag, summary: `Permanently delete every ${f.noun}`,
      responses: { 204: { description: "Deleted" }, ...accepted, ...problems(422), ...writes },
      handler: async (c) => (c.longLived(), artifactAnswer(await res(c).deleteAll(c.waitOptions()))),
    },
    {
      method: "GET", path: item, tag, summary: `Get a ${f.noun}`,
      responses: { 200: { description: `The ${f.noun}`, schema: f.schema, etag: true }, ...problems(404) },
      handler: async (c) => recordText(200, await res(c).getJson(id(c))),
    },
    {
      method: "PATCH", path: item, tag, summary: `Undelete a ${f.noun}`, body: "Undelete",
      responses: { 204: { description: "Undeleted" }, ...accepted, ...problems(404, 412, ...BODY_PROBLEMS), ...writes },
      handler: async (c) => {
        const opts = c.writeOptions();
        return artifactAnswer(await res(c).undelete(id(c), await c.body(() => res(c).get(id(c))), opts));
      },
    },
    {
      method: "DELETE", path: item, tag, summary: `Permanently delete a ${f.noun}`,
      responses: { 204: { description: "Deleted" }, ...accepted, ...problems(404, 412, 422), ...writes },
      handler: async (c) => artifactAnswer(await res(c).delete(id(c), c.writeOptions())),
    },
  ];
}

export const deletedRoutesAll = (): RouteDef[] => FAMILIES.flatMap(deletedRoutes);
