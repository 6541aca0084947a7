import { describe, expect, test } from "bun:test";
import { createApp } from "../app.ts";
import { buildOpenApi, toOpenApiSchema } from "./openapi.ts";
import { ROUTES } from "../routes/index.ts";
import type { RouteDef } from "../routes/route-table.ts";
import { Type } from "@sinclair/typebox";
import type { ImsService } from "@ims/core";

const doc = buildOpenApi(ROUTES, "9.9.9") as any;

/** The header parameter `name` of a route's documented operation, if any. */
const header = (r: RouteDef, name: string) =>
  (doc.paths[r.path][r.method.toLowerCase()].parameters ?? []).find((p: any) => p.in === "header" && p.name === name);

/** Every value nested anywhere in a JSON document. */
function* walk(v: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(v)) for (const x of v) yield* walk(x);
  else if (v && typeof v === "object") {
    yield v as Record<string, unknown>;
    for (const x of Object.values(v)) yield* walk(x);
  }
}

describe("OpenAPI document", () => {
  test("is served at /openapi.json", async () => {
    const app = createApp({ ims: {} as ImsService, version: "9.9.9" });
    const res = await app.handle(new Request("http://localhost/openapi.json"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(doc);
  });

  test("is served at /openapi.yaml too, as the same document", async () => {
    const app = createApp({ ims: {} as ImsService, version: "9.9.9" });
    const res = await app.handle(new Request("http://localhost/openapi.yaml"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/yaml; charset=utf-8");
    const text = await res.text();
    expect(Bun.YAML.parse(text)).toEqual(doc);
    expect(text).not.toMatch(/(^|\s)[&*][A-Za-z][\w-]*\s*$/m); // no anchors or aliases: plain YAML for every tool
    const post = await app.handle(new Request("http://localhost/openapi.yaml", { method: "POST" }));
    expect([post.status, post.headers.get("allow")]).toEqual([405, "GET, HEAD, OPTIONS"]);
  });

  test("lists every registered route, and nothing else", () => {
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${path}`));
    expect(listed.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  test("covers api.md section 2 (37 paths, 97 operations), plus the 2 operations-view routes and the event stream", () => {
    expect(Object.keys(doc.paths)).toHaveLength(37 + 3);
    expect(ROUTES).toHaveLength(97 + 3);
    expect(Object.keys(doc.paths["/v3/events"].get.responses["200"].content)).toEqual(["text/event-stream"]);
    expect(doc.paths["/v3/events"].get.tags).toContain("cli_ignore");
    expect(doc.paths["/v3/operations"].get.responses["400"]).toBeDefined();
    expect(doc.paths["/v3/operations/{operation_id}"].get.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Operation" });
    expect(Object.keys(doc.paths).filter((p) => p.includes("jobs"))).toHaveLength(6);
  });

  test("operation ids are unique; path parameters are declared", () => {
    const ids = ROUTES.map((r) => doc.paths[r.path][r.method.toLowerCase()].operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of ROUTES) {
      const op = doc.paths[r.path][r.method.toLowerCase()];
      const names = (op.parameters ?? []).filter((p: any) => p.in === "path").map((p: any) => p.name);
      expect(names).toEqual([...r.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]));
    }
  });

  test("every $ref resolves", () => {
    for (const node of walk(doc)) {
      if (typeof node.$ref === "string") {
        const name = node.$ref.replace("#/components/schemas/", "");
        expect(doc.components.schemas[name]).toBeDefined();
      }
    }
  });

  test("is OpenAPI 3.0: no const, null types, patternProperties or $id left", () => {
    expect(doc.openapi).toBe("3.0.3");
    expect(doc.info.version).toBe("9.9.9");
    for (const node of walk(doc.components)) {
      expect("const" in node).toBe(false);
      expect("patternProperties" in node).toBe(false);
      expect("$id" in node).toBe(false);
      expect(node.type).not.toBe("null");
    }
  });

  test("every create (jobs too) documents Idempotency-Key, and no other route does", () => {
    const withKey = ROUTES.filter((r) => header(r, "Idempotency-Key")).map((r) => `${r.method} ${r.path}`);
    const creates = ROUTES.filter((r) => r.method === "POST" && r.body?.endsWith("Create")).map((r) => `${r.method} ${r.path}`);
    expect(withKey.sort()).toEqual(creates.sort());
    expect(creates).toHaveLength(3 * 4 + 1);
    expect(withKey).toContain("POST /v2/jobs");
    const p = header(ROUTES.find((r) => r.path === "/jobs" && r.method === "POST")!, "Idempotency-Key");
    expect(p).toMatchObject({ in: "header", required: false, schema: { type: "string", minLength: 1, maxLength: 255 } });
  });

  test("If-Match on every route that can answer 412; ETag on every answer that is one record", () => {
    for (const r of ROUTES) expect([r.method, r.path, !!header(r, "If-Match")]).toEqual([r.method, r.path, 412 in r.responses]);
    const withEtag = (method: string, path: string) => Object.keys(doc.paths[path][method].responses).filter((s) => doc.paths[path][method].responses[s].headers?.ETag);
    expect(withEtag("get", "/v3/jobs/{job_id}")).toEqual(["200"]);
    expect(withEtag("patch", "/jobs/{job_id}")).toEqual(["200"]);
    expect(withEtag("post", "/v2/jobs")).toEqual(["201"]);
    expect(withEtag("get", "/v3/deleted/images/{deleted_image_id}")).toEqual(["200"]);
    expect(withEtag("post", "/v3/remote-build-nodes")).toEqual(["201"]);
    expect(withEtag("get", "/v3/jobs")).toEqual([]);
    expect(withEtag("delete", "/v3/jobs/{job_id}")).toEqual([]);
  });

  test("v2 recipe/image deletes document cascade; v3 ones do not", () => {
    const params = (path: string) => (doc.paths[path].delete.parameters ?? []).map((p: any) => p.name);
    expect(params("/v2/recipes/{recipe_id}")).toContain("cascade");
    expect(params("/images")).toContain("cascade");
    expect(params("/v3/images/{image_id}")).not.toContain("cascade");
    expect(params("/v2/public-keys/{public_key_id}")).not.toContain("cascade");
  });
});

describe("toOpenApiSchema", () => {
  test("literal unions become enums; null unions become nullable", () => {
    const arch = Type.Union([Type.Literal("x86_64"), Type.Literal("aarch64")], { default: "x86_64" });
    expect(toOpenApiSchema(arch)).toEqual({ type: "string", enum: ["x86_64", "aarch64"], default: "x86_64" });
    const link = Type.Union([Type.Object({ path: Type.String() }), Type.Null()]);
    expect(toOpenApiSchema(link)).toEqual({ type: "object", properties: { path: { type: "string" } }, required: ["path"], nullable: true });
  });

  test("records become additionalProperties", () => {
    expect(toOpenApiSchema(Type.Record(Type.String(), Type.String()))).toEqual({ type: "object", additionalProperties: { type: "string" } });
  });
});
