/**
 * How craycli (Cray-HPE/craycli, cray/swagger.py) flattens a parameter or request-body schema
 * into CLI parameters. Our own code, written from reading theirs, so a test can tell what
 * `cray ims` will offer without running Python. Their quirks are kept on purpose: the parent's
 * `required: false` drops a child's `required`, array options leak into the item's schema,
 * `allOf`/`oneOf`/`anyOf` give no options at all (or crash when the schema holds an object).
 */
type Json = Record<string, any>;

/** Python's truth value: empty lists and dicts are false, so `a or b` differs from JS `a || b`. */
export const pyTruthy = (v: unknown): boolean =>
  Array.isArray(v) ? v.length > 0 : v && typeof v === "object" ? Object.keys(v).length > 0 : Boolean(v);
const pyOr = (...values: unknown[]): unknown => values.find(pyTruthy) ?? values[values.length - 1];

export const NESTED_ARRAY = "nested_array";
const NESTED_OBJECT = "nested_object";

/** One flattened parameter: the schema's keys plus name, type, required, nesting. */
export type FlatParam = Json & { name: string };
interface Parsed {
  params: FlatParam[];
  options: Json;
}

export function findType(schema: Json, fallback?: string): string | undefined {
  for (const k of ["allOf", "oneOf", "anyOf"]) if (k in schema) return k;
  return schema.type ?? fallback;
}

function makeName(prefix: string | undefined, name: string | undefined, fallback?: string): string {
  if (name === undefined && prefix === undefined && fallback === undefined) throw new Error("craycli: either name or prefix is required");
  const keys = [...(prefix !== undefined ? prefix.split("-") : []), ...(name !== undefined ? name.split("-") : [])];
  if (!keys.length && fallback !== undefined) keys.push(fallback);
  return keys.filter((k) => k !== "").join("-");
}

function setNesting(param: FlatParam, fallback = NESTED_OBJECT): void {
  if (param.nesting === NESTED_ARRAY || param.nesting === NESTED_OBJECT) return;
  if (param.name.split("-").length > 1) param.nesting = fallback;
}

/** parse_schema_type: `kwargs` holds prefix and required apart from the rest, as Python's signature does. */
export function parseSchema(type: string | undefined, input: Json, prefix?: string, required?: unknown, kwargs: Json = {}): Parsed {
  const schema = input;
  const own = schema.required;
  if (required === false && own !== undefined) delete schema.required;
  const req = pyOr(required, own);
  switch (type) {
    case "object":
      return parseObject(schema, prefix, kwargs);
    case "array":
      return parseArray(schema, prefix, req, kwargs);
    case "allOf":
    case "oneOf":
    case "anyOf":
      return parseComplex(schema, prefix, req, kwargs);
    default:
      return parseString(schema, prefix, req, kwargs);
  }
}

function parseObject(schema: Json, prefix: string | undefined, kwargs: Json): Parsed {
  const required = ((schema.required ?? []) as string[]).map((r) => r.toLowerCase());
  const params: FlatParam[] = [];
  const childArgs = { ...kwargs };
  for (const [name, prop] of Object.entries((schema.properties ?? {}) as Json)) {
    const parsed = parseSchema(findType(prop, "object"), prop, makeName(prefix, name), required.includes(name.toLowerCase()), childArgs);
    for (const p of parsed.params) {
      Object.assign(p, parsed.options);
      setNesting(p);
    }
    params.push(...parsed.params);
  }
  return { params, options: {} };
}

function parseArray(schema: Json, prefix: string | undefined, required: unknown, kwargs: Json): Parsed {
  const { items, type: _type, ...opts } = schema;
  const rest = { ...kwargs, ...opts };
  const itemType = findType(items, "object");
  const itemRequired = pyOr(required, rest.required ?? false);
  delete rest.prefix;
  delete rest.required;
  const parsed = parseSchema(itemType, items, makeName(prefix, schema.name, ""), itemRequired, rest);
  for (const p of parsed.params) setNesting(p, NESTED_ARRAY);
  return { params: parsed.params, options: { ...parsed.options, nesting: NESTED_ARRAY, array_item_type: itemType } };
}

function parseString(schema: Json, prefix: string | undefined, required: unknown, kwargs: Json): Parsed {
  const name = schema.name as string | undefined;
  const args: Json = { ...kwargs, required: pyOr(required, kwargs.required ?? false) };
  const binary = schema.format === "binary";
  if (binary) args.required = true;
  Object.assign(schema, args);
  const param: FlatParam = { ...schema, name: makeName(prefix, name, binary && name === undefined ? "file" : undefined) };
  param.required = schema.required ?? false;
  delete param.xml;
  delete param.properties;
  param.type = param.enum?.length ? "choice" : binary ? "filepath" : param.name.includes("password") ? "password" : schema.type;
  return { params: [param], options: {} };
}

/** _merge_complex only reads object-valued keys, and then as lists of schemas: a crash, or nothing. */
function parseComplex(schema: Json, prefix: string | undefined, required: unknown, kwargs: Json): Parsed {
  for (const [k, v] of Object.entries(schema)) {
    if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length) {
      throw new Error(`craycli crashes on a ${findType(schema)} schema with an object under "${k}"`);
    }
  }
  return parseSchema("object", { type: "object", required: [], properties: {} }, prefix, required, kwargs);
}
