/**
 * The `cray ims` command tree that craycli builds from an IMS OpenAPI document: the rules of its
 * cray/swagger.py (paths -> commands), cray/generator.py (parameters -> click arguments and
 * options) and cray/modules/ims/cli.py (the v3 group plus `version`), restated in our code so a
 * test can hold our document to upstream's tree. craycli reads only paths, parameters,
 * request bodies, `cli_*` tags and servers; operationIds, responses and descriptions never
 * change the tree.
 */
import { findType, NESTED_ARRAY, parseSchema, pyTruthy, type FlatParam } from "./cray-params.ts";
import { resolveRefs } from "./resolve-refs.ts";

type Json = Record<string, any>;

export interface CrayArg {
  name: string;
  type: string;
  required: boolean;
}
export interface CrayOption extends CrayArg {
  choices?: string[];
  /** The value sent when the option is left out (craycli keeps only a truthy schema default). */
  default?: unknown;
}
export interface CrayCommand {
  hidden: boolean;
  args: CrayArg[];
  options: CrayOption[];
}
export interface CrayTree {
  /** "images create" -> the command. */
  commands: Record<string, CrayCommand>;
  /** "deleted images" -> hidden (a group is hidden when all it holds is). */
  groups: Record<string, boolean>;
  /** Path the CLI puts before every route: from the api-gw server URL. */
  basePath: string;
}

// craycli's Swagger vocabulary with the ims module's override (deleteall stays deleteall).
const VERBS: Record<string, string> = { getall: "list", get: "describe", post: "create", put: "update", patch: "update", delete: "delete", deleteall: "deleteall" };
const CLICK_TYPES: Record<string, string> = { string: "text", integer: "integer", int: "integer", float: "float", boolean: "boolean", filepath: "path" };
const MIMES = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data", "application/octet-stream", "*/*"];

/** craycli's _make_name: camelCase splits into words, underscores become hyphens ("If-Match" -> "if--match"). */
export const flagName = (name: string) =>
  name.replace(/([A-Z][a-z]+|[A-Z]+[s]?(?![a-rt-z]))/g, " $1").split(/\s+/).filter(Boolean).join("-").replace(/_/g, "-").toLowerCase();

function clickType(type: string | undefined, p: FlatParam): Pick<CrayOption, "type" | "choices"> {
  if ("enum" in p && type !== "string") return { type: "choice", choices: (p.enum as unknown[]).map(String) };
  return { type: CLICK_TYPES[type ?? ""] ?? "text" };
}

function option(p: FlatParam): CrayOption | undefined {
  if (p.readOnly === true) return undefined;
  let t = clickType(p.type, p);
  if (p.nesting === NESTED_ARRAY) {
    if (typeof p.type !== "string") throw new Error(`craycli crashes on array option ${p.name} without a type`);
    t = clickType("string", p); // comma-separated lists are read as text
  }
  const required = "required" in p && p.array_item_type !== "object" ? Boolean(p.required) : false;
  return { name: `--${flagName(p.name)}`, ...t, required, ...(pyTruthy(p.default) ? { default: p.default } : {}) };
}

function params(list: Json[] | undefined): Record<string, FlatParam[]> {
  const out: Record<string, FlatParam[]> = {};
  for (const raw of list ?? []) {
    const { schema, ...rest } = raw;
    const merged = { ...rest, ...schema };
    if (!("type" in merged)) throw new Error(`craycli crashes on parameter ${raw.name} without a schema type`);
    (out[raw.in] ??= []).push(...parseSchema(merged.type, merged).params);
  }
  return out;
}

function body(requestBody: Json): FlatParam[] {
  const mime = MIMES.find((m) => m in requestBody.content);
  if (!mime) throw new Error(`craycli supports none of ${Object.keys(requestBody.content)}`);
  const schema = requestBody.content[mime].schema;
  return parseSchema(findType(schema, "object"), schema).params;
}

function command(pathParams: Record<string, FlatParam[]>, op: Json): CrayCommand {
  const tags = ((op.tags ?? []) as string[]).filter((t) => t.toLowerCase().includes("cli_"));
  const p = { ...pathParams, ...params(op.parameters) };
  const args = (p.path ?? []).map((a) => ({ name: a.name.toUpperCase(), ...clickType(a.type, a), required: Boolean(a.required) }));
  const fromBody = op.requestBody ? body(op.requestBody) : [];
  const fromFile = tags.includes("cli_from_file") && fromBody.length;
  if (fromFile) args.push({ name: "PAYLOAD_FILE", type: "path", required: true });
  const opts = [...(p.query ?? []), ...(p.header ?? []), ...(fromFile ? [] : fromBody)].map(option).filter((o) => o !== undefined);
  return { hidden: tags.includes("cli_hidden"), args, options: opts.sort((a, b) => a.name.localeCompare(b.name)) };
}

function allCommands(doc: Json): Record<string, CrayCommand> {
  const out: Record<string, CrayCommand> = {};
  for (const [route, item] of Object.entries(doc.paths as Json)) {
    const segments = route.split("/").filter(Boolean);
    const words = segments.filter((s) => !s.includes("{") && !s.includes("}"));
    const endsInArg = segments.length > 0 && /[{}]/.test(segments.at(-1)!);
    const { parameters, servers: _servers, ...ops } = item as Json;
    const pathParams = params(parameters);
    for (const [verb, op] of Object.entries(ops)) {
      if (typeof op !== "object" || op === null) throw new Error(`craycli crashes on "${verb}" in path item ${route}`);
      if ((op.tags ?? []).includes("cli_ignore")) continue;
      const v = verb === "get" && !endsInArg ? "getall" : verb === "delete" && !endsInArg ? "deleteall" : verb;
      if (!(v in VERBS)) throw new Error(`craycli has no word for ${verb} (${route})`);
      const key = [...words, VERBS[v]].map((w) => w[0]!.toLowerCase() + w.slice(1)).join(" ");
      // craycli's conflict check looks in the wrong dict, so the later route silently wins
      // (PATCH /v3/deleted/recipes/{recipe_id} is `deleted recipes update`, not the collection's).
      out[key] = command(pathParams, op);
    }
  }
  return out;
}

/** What craycli's generator builds from a document: every command, keyed by its words ("v3 images create"). */
export function crayTree(document: unknown): CrayTree {
  const doc = resolveRefs(document) as Json;
  if (!Array.isArray(doc.servers)) throw new Error("craycli needs a servers list (KeyError: 'servers')");
  const commands = allCommands(doc);
  return { commands, groups: groupsOf(commands), basePath: basePath(doc.servers) };
}

/** The `cray ims` tree: the generator's v3 group plus `version` (cray/modules/ims/cli.py). */
export function crayImsTree(document: unknown): CrayTree {
  const all = crayTree(document);
  const commands: Record<string, CrayCommand> = {};
  for (const [key, cmd] of Object.entries(all.commands)) {
    if (key.startsWith("v3 ")) commands[key.slice(3)] = cmd;
    else if (key.startsWith("version ")) commands[key] = cmd;
  }
  // The module looks these up by name when it loads (KeyError otherwise).
  for (const needed of ["version ", "public-keys create"]) {
    if (!Object.keys(commands).some((k) => k.startsWith(needed))) throw new Error(`cray ims fails to load without "${needed.trim()}"`);
  }
  return { commands, groups: groupsOf(commands), basePath: all.basePath };
}

/** A group is hidden when everything in it is (craycli's _hide_parent). */
function groupsOf(commands: Record<string, CrayCommand>): Record<string, boolean> {
  const groups: Record<string, boolean> = {};
  for (const key of Object.keys(commands)) {
    const words = key.split(" ");
    for (let i = 1; i < words.length; i++) {
      const group = words.slice(0, i).join(" ");
      groups[group] = Object.entries(commands).filter(([k]) => k.startsWith(`${group} `)).every(([, c]) => c.hidden);
    }
  }
  return groups;
}

/** generator.filter_servers + find_newest: the api-gw (or /apis) URL whose last segment sorts last. */
function basePath(servers: Json[]): string {
  const urls = servers.map((s) => String(s.url ?? "").replace(/\/$/, "")).filter(Boolean);
  const preferred = urls.filter((u) => u.includes("api-gw") || u.includes("/apis"));
  const chosen = preferred.length ? preferred : urls;
  const byVersion = new Map(chosen.filter((u) => u.split("/").at(-1)).map((u) => [u.split("/").at(-1)!, u]));
  if (!byVersion.size) return "";
  const newest = [...byVersion.keys()].sort().at(-1)!;
  const url = byVersion.get(newest)!;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? new URL(url).pathname : url; // urlsplit: no scheme, all path
}
