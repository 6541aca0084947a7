import { describe, expect, test } from "bun:test";
import { buildOpenApi } from "./openapi.ts";
import { ROUTES } from "../routes/index.ts";
import { crayImsTree, crayTree, flagName, type CrayCommand, type CrayOption } from "./cray-tree.ts";
import { UPSTREAM_CRAY_IMS, UPSTREAM_CRAY_IMS_BASE_PATH, UPSTREAM_CRAY_IMS_GROUPS } from "./cray-upstream-tree.ts";

const ours = crayImsTree(buildOpenApi(ROUTES, "9.9.9"));

const text = (name: string): CrayOption => ({ name, type: "text", required: false });

/** Options our document adds to upstream commands: optional headers and fields upstream serves but leaves out. */
const ADDED_OPTIONS: [CrayOption, string[]][] = [
  [text("--if--match"), [
    "deleted images delete", "deleted images update", "deleted public-keys delete", "deleted public-keys update",
    "deleted recipes delete", "deleted recipes update", "images delete", "images update", "jobs delete",
    "public-keys delete", "recipes delete", "recipes update",
  ]],
  [text("--idempotency--key"), ["images create", "jobs create", "public-keys create", "recipes create", "remote-build-nodes create"]],
  [{ name: "--job-mem-size", type: "integer", required: false }, ["jobs create"]],
  // The dry run (issue 13): click's BOOL, so `cray ims jobs create --dry-run true ...`; craycli sends
  // dry_run=True, which the service reads as true. Left out, nothing is sent: a create as before.
  [{ name: "--dry-run", type: "boolean", required: false }, ["jobs create"]],
];

/** Commands for our own operations only. */
const ADDED_COMMANDS: Record<string, CrayCommand> = {
  "operations describe": { hidden: false, args: [{ name: "OPERATION_ID", type: "text", required: true }], options: [] },
  "operations list": {
    hidden: false, args: [],
    options: [text("--record-id"), { name: "--state", type: "choice", choices: ["pending", "done", "failed"], required: false }],
  },
};

function expectedTree(): Record<string, CrayCommand> {
  const out: Record<string, CrayCommand> = structuredClone({ ...UPSTREAM_CRAY_IMS, ...ADDED_COMMANDS });
  for (const [option, commands] of ADDED_OPTIONS) {
    for (const c of commands) out[c]!.options = [...out[c]!.options, option].sort((a, b) => a.name.localeCompare(b.name));
  }
  return out;
}

describe("cray ims built from our OpenAPI document", () => {
  test("has every upstream command with the same arguments, options, types, choices, defaults, required and hidden flags", () => {
    for (const [name, upstream] of Object.entries(UPSTREAM_CRAY_IMS)) {
      const mine = ours.commands[name];
      expect({ name, args: mine?.args, hidden: mine?.hidden }).toEqual({ name, args: upstream.args, hidden: upstream.hidden });
      for (const option of upstream.options) expect({ name, option: mine?.options.find((o) => o.name === option.name) }).toEqual({ name, option });
    }
  });

  test("differs only by our additions: optional options and the operations commands", () => {
    expect(ours.commands).toEqual(expectedTree());
    expect(Object.keys(UPSTREAM_CRAY_IMS)).toHaveLength(45);
    expect(Object.keys(ours.commands)).toHaveLength(47);
  });

  test("no upstream command gains a required option", () => {
    for (const [name, upstream] of Object.entries(UPSTREAM_CRAY_IMS)) {
      const required = (c: CrayCommand | undefined) => c?.options.filter((o) => o.required).map((o) => o.name);
      expect({ name, required: required(ours.commands[name]) }).toEqual({ name, required: required(upstream) });
    }
  });

  test("groups are shown or hidden as upstream's (version hidden), and requests go to /apis/ims", () => {
    expect(ours.groups).toEqual({ ...UPSTREAM_CRAY_IMS_GROUPS, operations: false });
    expect(ours.basePath).toBe(UPSTREAM_CRAY_IMS_BASE_PATH);
  });
});

/** A one-path document with the given operations, for the derivation's own rules. */
const doc = (paths: Record<string, unknown>, components: object = {}) => ({ servers: [{ url: "https://gw/apis/ims" }], paths, components });
const body = (schema: object) => ({ requestBody: { content: { "application/json": { schema } } } });
const id = { name: "thing_id", in: "path", required: true, schema: { type: "string" } };

describe("crayTree follows craycli's rules", () => {
  test("verbs: list/create/deleteall on a collection, describe/update/delete on an item; cli_ignore drops, cli_hidden hides", () => {
    const t = crayTree(doc({
      "/v3/things": { get: {}, post: {}, delete: {} },
      "/v3/things/{thing_id}": { parameters: [id], get: {}, patch: { tags: ["cli_ignore"] }, delete: { tags: ["things", "cli_hidden"] } },
      "/v2/things": { get: {} },
    }));
    expect(Object.keys(t.commands).sort()).toEqual(["v2 things list", "v3 things create", "v3 things delete", "v3 things deleteall", "v3 things describe", "v3 things list"]);
    expect(t.commands["v3 things describe"]!.args).toEqual([{ name: "THING_ID", type: "text", required: true }]);
    expect(t.commands["v3 things delete"]!.hidden).toBe(true);
    expect(t.groups).toEqual({ v2: false, "v2 things": false, v3: false, "v3 things": false });
    const hiddenOnly = crayTree(doc({ "/v3/secrets/{thing_id}": { parameters: [id], get: { tags: ["cli_hidden"] } } }));
    expect(hiddenOnly.groups).toEqual({ v3: true, "v3 secrets": true });
  });

  test("body properties become options: nested objects joined, arrays of objects as text, readOnly left out", () => {
    const schema = {
      type: "object", required: ["name", "kind"],
      properties: {
        id: { type: "string", readOnly: true },
        name: { type: "string" },
        kind: { type: "string", enum: ["a", "b"] },
        size: { type: "integer" },
        link: { type: "object", required: ["path"], properties: { path: { type: "string" } } },
        boxes: { type: "array", items: { type: "object", required: ["name"], properties: { name: { type: "string" }, jail: { type: "boolean" } } } },
        either: { anyOf: [{ type: "string" }, { type: "integer" }] },
      },
    };
    const t = crayTree(doc({ "/v3/things": { post: body(schema) } }));
    expect(t.commands["v3 things create"]!.options).toEqual([
      text("--boxes-jail"), text("--boxes-name"),
      { name: "--kind", type: "choice", choices: ["a", "b"], required: true },
      text("--link-path"), { name: "--name", type: "text", required: true }, { name: "--size", type: "integer", required: false },
    ]);
  });

  test("an option keeps its schema default only when Python finds it true (the CLI sends it when the option is left out)", () => {
    const schema = {
      type: "object",
      properties: {
        arch: { type: "string", default: "x86_64" }, dkms: { type: "boolean", default: true }, debug: { type: "boolean", default: false },
        size: { type: "integer", default: 0 }, note: { type: "string", default: "" },
      },
    };
    const t = crayTree(doc({ "/v3/things": { post: body(schema) } }));
    expect(t.commands["v3 things create"]!.options).toEqual([
      { name: "--arch", type: "text", required: false, default: "x86_64" }, { name: "--debug", type: "boolean", required: false },
      { name: "--dkms", type: "boolean", required: false, default: true }, text("--note"), { name: "--size", type: "integer", required: false },
    ]);
  });

  test("query and header parameters are options; an array of an enum is a choice; $refs are followed", () => {
    const t = crayTree(doc({
      "/v3/things": {
        delete: {
          parameters: [
            { name: "status", in: "query", schema: { type: "array", items: { $ref: "#/components/schemas/Status" } } },
            { name: "If-Match", in: "header", required: false, schema: { type: "string" } },
          ],
        },
      },
    }, { schemas: { Status: { type: "string", enum: ["up", "down"] } } }));
    expect(t.commands["v3 things deleteall"]!.options).toEqual([text("--if--match"), { name: "--status", type: "choice", choices: ["up", "down"], required: false }]);
  });

  test("of two routes with the same command the later one wins, as craycli's broken conflict check lets it", () => {
    const t = crayTree(doc({
      "/v3/things": { patch: body({ type: "object", properties: { all: { type: "string" } } }) },
      "/v3/things/{thing_id}": { parameters: [id], patch: body({ type: "object", properties: { one: { type: "string" } } }) },
    }));
    expect(t.commands["v3 things update"]).toEqual({ hidden: false, args: [{ name: "THING_ID", type: "text", required: true }], options: [text("--one")] });
  });

  test("cray ims takes the v3 group and version, and fails to load without them; requests go to the api-gw path", () => {
    const keys = { name: "public_key", in: "path", required: true, schema: { type: "string" } };
    const ims = crayImsTree(doc({ "/v3/public-keys": { post: {} }, "/v2/images": { get: {} }, "/version": { get: { tags: ["cli_hidden"] } }, "/x/{public_key}": { parameters: [keys], get: {} } }));
    expect(Object.keys(ims.commands)).toEqual(["public-keys create", "version list"]);
    expect(ims.groups).toEqual({ "public-keys": false, version: true });
    expect(ims.basePath).toBe("/apis/ims");
    expect(() => crayImsTree(doc({ "/v3/public-keys": { post: {} } }))).toThrow("version");
  });

  test("fails where craycli fails: no servers, a path-level summary, a oneOf holding an object", () => {
    expect(() => crayTree({ paths: {} })).toThrow("servers");
    expect(() => crayTree(doc({ "/v3/things": { summary: "x", get: {} } }))).toThrow("crashes");
    expect(() => crayTree(doc({ "/v3/things": { post: body({ oneOf: [{ type: "object" }], properties: { a: {} } }) } }))).toThrow("crashes");
  });

  test("option names as craycli spells them", () => {
    expect(["template_dictionary-key", "If-Match", "Idempotency-Key", "job_type"].map(flagName)).toEqual(["template-dictionary-key", "if--match", "idempotency--key", "job-type"]);
  });
});
