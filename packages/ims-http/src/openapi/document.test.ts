import { describe, expect, test } from "bun:test";
import { buildOpenApi } from "./openapi.ts";
import { ROUTES } from "../routes/index.ts";

const doc = buildOpenApi(ROUTES, "9.9.9") as any;
const op = (method: string, path: string) => doc.paths[path][method];
const ops = () => Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item as object).map(([method, o]) => ({ method, path, o })));
const schema = (name: string) => doc.components.schemas[name];

describe("the document names things as upstream's api/openapi.yaml does", () => {
  test("operationIds are upstream's, its irregular ones too; unversioned aliases drop the version", () => {
    const ids = Object.fromEntries(ops().map(({ method, path, o }) => [`${method.toUpperCase()} ${path}`, o.operationId]));
    expect(ids).toMatchObject({
      "GET /v3/recipes": "get_all_v3_recipes",
      "POST /v3/recipes": "post_v3_recipes",
      "POST /v2/recipes": "post_v3_recipe",
      "POST /v3/images": "post_v3_image",
      "PATCH /v3/images/{image_id}": "patch_v3_image",
      "DELETE /v3/jobs": "delete_all_v3_jobs",
      "POST /v3/remote-build-nodes": "post_v3_remote_build_node",
      "GET /v3/remote-build-nodes/status": "get_all_v3_remote_build_status",
      "PATCH /v3/deleted/recipes": "patch_all_v3_deleted_recipes",
      "GET /v3/deleted/public-keys/{deleted_public_key_id}": "get_v3_deleted_public_key",
      "DELETE /v2/images/{image_id}": "delete_v2_image",
      "GET /healthz/ready": "get_healthz_ready",
      "GET /version": "getVersion",
      "GET /recipes": "get_all_recipes",
      "GET /v3/operations/{operation_id}": "get_v3_operation",
    });
  });

  test("tags: the resource, the version, craycli's cli_ignore/cli_hidden; every tag is declared", () => {
    expect(op("get", "/v3/public-keys").tags).toEqual(["public keys", "v3"]);
    expect(op("get", "/images/{image_id}").tags).toEqual(["images", "v2"]);
    expect(op("patch", "/v3/jobs/{job_id}").tags).toEqual(["jobs", "cli_ignore", "v3"]);
    expect(op("delete", "/v2/recipes").tags).toEqual(["recipes", "cli_ignore", "v2"]);
    expect(op("delete", "/v3/recipes").tags).toEqual(["recipes", "v3"]);
    expect(op("get", "/version").tags).toEqual(["version", "cli_hidden"]);
    expect(op("get", "/healthz/live").tags).toEqual(["healthz", "cli_ignore"]);
    const declared = new Set(doc.tags.map((t: any) => t.name));
    for (const { o } of ops()) for (const t of o.tags) expect({ tag: t, declared: declared.has(t) }).toEqual({ tag: t, declared: true });
  });

  test("servers: upstream's gateway URL first (cray sends to /apis/ims), then the mesh, then ims on its own", () => {
    expect(doc.servers.map((s: any) => s.url)).toEqual([
      "https://api-gw-service-nmn.local/apis/ims", "http://cray-ims.services.svc.cluster.local", "http://localhost:9100",
    ]);
  });

  test("path parameters say what they name; a deleted recipe's is recipe_id, as upstream's", () => {
    for (const { o, path } of ops()) {
      for (const p of (o.parameters ?? []).filter((p: any) => p.in === "path")) expect({ path, name: p.name, described: !!p.description }).toEqual({ path, name: p.name, described: true });
    }
    expect(op("get", "/v3/deleted/recipes/{recipe_id}").parameters[0]).toMatchObject({ description: "The unique ID of a deleted recipe", schema: { type: "string", format: "uuid" } });
    expect(op("get", "/v3/remote-build-nodes/{remote_build_node_xname}").parameters[0].schema).toEqual({ type: "string" });
  });
});

describe("the document tells what the service does", () => {
  test("503 where S3 or the database must be reached; 409 where a move may still run or the record kept changing", () => {
    const statuses = (method: string, path: string) => Object.keys(op(method, path).responses);
    for (const [method, path] of [["post", "/v3/images"], ["patch", "/v2/recipes/{recipe_id}"], ["delete", "/v3/images/{image_id}"], ["delete", "/recipes"], ["post", "/v3/jobs"]]) {
      expect({ method, path, s3: statuses(method!, path!).includes("503") }).toEqual({ method, path, s3: true });
    }
    expect(op("post", "/v3/public-keys").responses["503"].description).toBe("The database cannot be reached; retry later");
    expect(op("post", "/v3/images").responses["503"].description).toBe("S3, where the artifacts are kept, cannot be reached; retry later; or the database cannot be reached");
    for (const { method, path, o } of ops()) {
      const probe = path.startsWith("/healthz") || path === "/version";
      if (!probe) expect({ method, path, db: !!o.responses["503"] }).toEqual({ method, path, db: true });
    }
    expect(op("get", "/version").responses["503"]).toBeUndefined();
    for (const path of ["/v3/deleted/images", "/v3/deleted/images/{deleted_image_id}", "/v3/deleted/recipes", "/v3/deleted/recipes/{recipe_id}"]) {
      for (const method of ["patch", "delete"]) {
        expect(op(method, path).responses["409"].description).toContain("still moving");
        expect(statuses(method, path)).toContain("503");
      }
    }
    expect(op("delete", "/v3/public-keys/{public_key_id}").responses["409"].description).toContain("kept changing");
    expect(op("patch", "/jobs/{job_id}").responses["409"]).toBeDefined();
  });

  test("bodies: patches need a property, link paths are s3://, one ssh container, operation without `required`", () => {
    for (const name of ["RecipePatch", "ImagePatch", "JobPatch", "Undelete"]) expect(schema(name).minProperties).toBe(1);
    expect(schema("Undelete")).toEqual({ type: "object", additionalProperties: false, minProperties: 1, properties: { operation: { type: "string", enum: ["undelete"] } } });
    const path = new RegExp(schema("ImageCreate").properties.link.properties.path.pattern);
    expect(["s3://boot-images/x/manifest.json", "S3://b/k?v=1"].map((p) => path.test(p))).toEqual([true, true]);
    expect(["http://b/k", "s3://b/", "s3:///k", "b/k"].map((p) => path.test(p))).toEqual([false, false, false, false]);
    expect(schema("RecipePatch").properties.link.properties.type).toMatchObject({ type: "string", pattern: "^s3$" });
    expect(schema("RecipePatch").properties.link.properties.type.enum).toBeUndefined();
    expect(schema("JobCreate").properties.ssh_containers.maxItems).toBe(1);
    expect(schema("ImageCreate").properties.metadata).toMatchObject({ additionalProperties: { type: "string" }, properties: { key: { type: "string" }, value: { type: "string" } } });
  });

  test("every integer has its bounds", () => {
    const unbounded: string[] = [];
    const visit = (s: any, at: string) => {
      if (!s || typeof s !== "object") return;
      if (s.type === "integer" && s.minimum === undefined) unbounded.push(at);
      for (const [k, v] of Object.entries(s.properties ?? {})) visit(v, `${at}.${k}`);
      visit(s.items, `${at}[]`);
      if (typeof s.additionalProperties === "object") visit(s.additionalProperties, `${at}{}`);
    };
    for (const [name, s] of Object.entries(doc.components.schemas)) visit(s, name);
    expect(unbounded).toEqual([]);
    expect(schema("Job").properties.ssh_containers.items.properties.connection_info.additionalProperties.properties.port).toMatchObject({ minimum: 1, maximum: 65535 });
    expect(schema("JobCreate").properties.build_env_size).toMatchObject({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
  });
});

describe("the document says how to authenticate, without requiring it", () => {
  test("a bearer JWT scheme, optional everywhere; health and version need none; 401/403 where a token is checked", () => {
    expect(doc.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: "http", scheme: "bearer", bearerFormat: "JWT" }) });
    expect(doc.security).toEqual([{}, { bearer: [] }]);
    for (const { method, path, o } of ops()) {
      const open = path.startsWith("/healthz") || path === "/version";
      const got = { method, path, security: o.security, challenges: ["401", "403"].filter((s) => s in o.responses) };
      expect(got).toEqual({ method, path, security: open ? [] : undefined, challenges: open ? [] : ["401", "403"] });
    }
  });
});
