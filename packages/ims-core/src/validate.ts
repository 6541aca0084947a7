/**
 * Validates raw JSON input against a TypeBox schema the way upstream's marshmallow 3 schemas
 * do: errors { field: [messages] } in the schema's field order with unknown fields last, nested
 * by field or list index; booleans, integers and UUIDs read as marshmallow reads them; defaults
 * applied. Field-specific messages come from field-rules.ts.
 */
import type { TSchema } from "@sinclair/typebox";
import { missingInput, validationFailed, type FieldErrors } from "./errors.ts";
import { ruleOf, type FieldRule } from "./field-rules.ts";
import { pyInt } from "./python-int.ts";
import { normaliseUuid } from "./uuid.ts";

type Checked = { ok: true; value: unknown } | { ok: false; errors: string[] | FieldErrors };
const fail = (...messages: string[]): Checked => ({ ok: false, errors: messages });
const ok = (value: unknown): Checked => ({ ok: true, value });

// marshmallow's Boolean: exactly these values (so "tRuE" is not a boolean); 1 and 0 match 1.0 and 0.0.
const TRUTHY = new Set<unknown>(["t", "T", "true", "True", "TRUE", "on", "On", "ON", "y", "Y", "yes", "Yes", "YES", "1", 1, true]);
const FALSY = new Set<unknown>(["f", "F", "false", "False", "FALSE", "off", "Off", "OFF", "n", "N", "no", "No", "NO", "0", 0, false]);

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Sets a key without ever touching the prototype (a "__proto__" key stays a plain key). */
export const setOwn = (o: Record<string, unknown>, k: string, v: unknown) =>
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });

/** A choice among string literals: marshmallow checks the string first, then OneOf. */
function checkChoice(allowed: string[], v: unknown, rule?: FieldRule): Checked {
  if (typeof v !== "string") return fail("Not a valid string.");
  if (allowed.includes(v)) return ok(v);
  return fail((rule?.choice ?? "Must be one of: {choices}.").replace("{choices}", allowed.join(", ")));
}

function checkUnion(s: TSchema, v: unknown, rule?: FieldRule): Checked {
  const members = s.anyOf as TSchema[];
  if (v === null) return members.some((m) => m.type === "null") ? ok(null) : fail("Field may not be null.");
  const others = members.filter((m) => m.type !== "null");
  if (others.every((m) => "const" in m)) return checkChoice(others.map((m) => m.const as string), v, rule);
  return check(others[0]!, v, rule);
}

function checkObject(s: TSchema, v: unknown): Checked {
  if (s.patternProperties) return checkMapping(Object.values(s.patternProperties)[0] as TSchema, v);
  if (!isPlainObject(v)) return { ok: false, errors: { _schema: ["Invalid input type."] } };
  const props = (s.properties ?? {}) as Record<string, TSchema>;
  const required = new Set<string>((s.required as string[]) ?? []);
  const errors: FieldErrors = {};
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(props)) {
    if (!Object.hasOwn(v, key)) {
      if (required.has(key)) errors[key] = ["Missing data for required field."];
      else if (hasDefault(prop)) out[key] = structuredClone(defaultOf(prop));
      continue;
    }
    const r = check(prop, v[key], ruleOf(s, key));
    if (r.ok) out[key] = r.value;
    else errors[key] = r.errors;
  }
  for (const key of Object.keys(v)) {
    if (!Object.hasOwn(props, key)) setOwn(errors, key, ["Unknown field."]);
  }
  return Object.keys(errors).length ? { ok: false, errors } : ok(out);
}

/** marshmallow's Mapping of string values: errors per key, under "value". */
function checkMapping(valueSchema: TSchema, v: unknown): Checked {
  if (!isPlainObject(v)) return fail("Not a valid mapping type.");
  const errors: FieldErrors = {};
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(v)) {
    const r = check(valueSchema, item);
    if (r.ok) setOwn(out, key, r.value);
    else setOwn(errors, key, { value: r.errors as string[] });
  }
  return Object.keys(errors).length ? { ok: false, errors } : ok(out);
}

function checkArray(s: TSchema, v: unknown): Checked {
  if (!Array.isArray(v)) return fail("Not a valid list.");
  const errors: FieldErrors = {};
  const out = v.map((item, i) => {
    const r = check(s.items as TSchema, item);
    if (!r.ok) errors[String(i)] = r.errors;
    return r.ok ? r.value : undefined;
  });
  return Object.keys(errors).length ? { ok: false, errors } : ok(out);
}

/** marshmallow's Integer: int(value), so 2.7 is 2 and " 12" is 12; booleans are refused. */
export function marshmallowInt(v: unknown): number | "invalid" | "too large" {
  let n: bigint | number | undefined;
  if (typeof v === "number") n = Number.isFinite(v) ? Math.trunc(v) : undefined;
  else if (typeof v === "string") n = pyInt(v);
  if (n === undefined) return "invalid";
  const value = Number(n);
  return Number.isSafeInteger(value) ? value + 0 : "too large"; // + 0 turns -0 into 0
}

function checkString(s: TSchema, v: unknown, rule?: FieldRule): Checked {
  if (s.format === "uuid") {
    const id = typeof v === "string" ? normaliseUuid(v) : undefined;
    return id ? ok(id) : fail("Not a valid UUID.");
  }
  if (typeof v !== "string") return fail("Not a valid string.");
  if (s.minLength !== undefined && v.length < s.minLength) return fail(rule?.blank ?? `Shorter than minimum length ${s.minLength}.`);
  const problem = rule?.check?.(v);
  return problem ? fail(problem) : ok(v);
}

function checkScalar(s: TSchema, v: unknown, rule?: FieldRule): Checked {
  switch (s.type) {
    case "string":
      return checkString(s, v, rule);
    case "boolean":
      if (TRUTHY.has(v)) return ok(true);
      if (FALSY.has(v)) return ok(false);
      return fail("Not a valid boolean.");
    case "integer": {
      const n = marshmallowInt(v);
      if (n === "invalid") return fail("Not a valid integer.");
      if (n === "too large") return fail("Number too large.");
      if (s.minimum !== undefined && n < s.minimum) return fail(rule?.range ?? `Must be greater than or equal to ${s.minimum}.`);
      return ok(n);
    }
    default:
      return ok(v);
  }
}

function check(s: TSchema, v: unknown, rule?: FieldRule): Checked {
  if (s.anyOf) return checkUnion(s, v, rule);
  if (v === null) return fail("Field may not be null.");
  if ("const" in s) return checkChoice([s.const as string], v, rule);
  if (s.type === "object") return checkObject(s, v);
  if (s.type === "array") return checkArray(s, v);
  return checkScalar(s, v, rule);
}

const defaultOf = (s: TSchema): unknown =>
  "default" in s ? s.default : (s.anyOf as TSchema[] | undefined)?.find((m) => "default" in m)?.default;

const hasDefault = (s: TSchema): boolean =>
  "default" in s || ((s.anyOf as TSchema[] | undefined)?.some((m) => "default" in m) ?? false);

/** Python's truth value of a JSON value: null, false, 0, "", [] and {} are false. */
export const isFalsy = (v: unknown): boolean =>
  !v || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);

/** Upstream answers 400 "no input" for any falsy JSON body (or none). */
export function requireInput(body: unknown): void {
  if (isFalsy(body)) throw missingInput();
}

/** marshmallow's merge_errors: messages of one field joined, `first`'s members first. */
function mergeErrors(first: FieldErrors, second: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of [...Object.entries(first), ...Object.entries(second)]) {
    const had = Object.hasOwn(out, k) ? out[k] : undefined;
    const merged =
      had === undefined ? v
      : Array.isArray(had) && Array.isArray(v) ? [...had, ...v]
      : !Array.isArray(had) && !Array.isArray(v) ? mergeErrors(had, v)
      : v;
    setOwn(out, k, merged);
  }
  return out;
}

/** Errors of a top-level body in the schema's field order, unknown fields last. */
function inSchemaOrder(schema: TSchema, errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const k of [...Object.keys(schema.properties ?? {}), ...Object.keys(errors)]) {
    if (Object.hasOwn(errors, k) && !Object.hasOwn(out, k)) setOwn(out, k, errors[k]);
  }
  return out;
}

/**
 * Checks a request body: 400 when empty, 422 with field errors when it does not fit. `extra`:
 * errors found before validation (image metadata keys), reported with the schema's own.
 */
export function validateBody<V>(schema: TSchema, body: unknown, extra?: FieldErrors): V {
  requireInput(body);
  const r = check(schema, body);
  if (r.ok && !extra) return r.value as V;
  if (!extra) throw validationFailed((r as { errors: FieldErrors }).errors);
  const own = r.ok ? {} : (r.errors as FieldErrors);
  throw validationFailed(inSchemaOrder(schema, mergeErrors(extra, own)));
}
