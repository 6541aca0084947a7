/**
 * Validates raw JSON input against a TypeBox schema the way upstream's marshmallow schemas do:
 * unknown fields rejected, booleans/integers coerced from common strings, UUIDs normalised,
 * defaults applied, and errors shaped as { field: [messages] } (nested by field or list index).
 */
import type { TSchema } from "@sinclair/typebox";
import { ImsError, missingInput, type FieldErrors } from "./errors.ts";
import { normaliseUuid } from "./uuid.ts";

type Checked = { ok: true; value: unknown } | { ok: false; errors: string[] | FieldErrors };
const fail = (...messages: string[]): Checked => ({ ok: false, errors: messages });

const TRUTHY = new Set(["true", "t", "yes", "y", "on", "1"]);
const FALSY = new Set(["false", "f", "no", "n", "off", "0"]);

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Sets a key without ever touching the prototype (a "__proto__" key stays a plain key). */
export const setOwn = (o: Record<string, unknown>, k: string, v: unknown) =>
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });

function checkUnion(s: TSchema, v: unknown): Checked {
  const members = s.anyOf as TSchema[];
  const allowsNull = members.some((m) => m.type === "null");
  if (v === null) return allowsNull ? { ok: true, value: null } : fail("Field may not be null.");
  const others = members.filter((m) => m.type !== "null");
  if (others.every((m) => "const" in m)) {
    const allowed = others.map((m) => m.const as string);
    return allowed.includes(v as string) ? { ok: true, value: v } : fail(`Must be one of: ${allowed.join(", ")}.`);
  }
  return check(others[0]!, v);
}

function checkObject(s: TSchema, v: unknown): Checked {
  if (!isPlainObject(v)) return { ok: false, errors: { _schema: ["Invalid input type."] } };
  if (s.patternProperties) return checkRecord(Object.values(s.patternProperties)[0] as TSchema, v);
  const props = (s.properties ?? {}) as Record<string, TSchema>;
  const required = new Set<string>((s.required as string[]) ?? []);
  const errors: FieldErrors = {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    if (!Object.hasOwn(props, key)) setOwn(errors, key, ["Unknown field."]);
  }
  for (const [key, prop] of Object.entries(props)) {
    if (!Object.hasOwn(v, key)) {
      if (required.has(key)) errors[key] = ["Missing data for required field."];
      else if (hasDefault(prop)) out[key] = structuredClone(defaultOf(prop));
      continue;
    }
    const r = check(prop, v[key]);
    if (r.ok) out[key] = r.value;
    else errors[key] = r.errors;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: out };
}

function checkRecord(valueSchema: TSchema, v: Record<string, unknown>): Checked {
  const errors: FieldErrors = {};
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(v)) {
    const r = check(valueSchema, item);
    if (r.ok) setOwn(out, key, r.value);
    else setOwn(errors, key, { value: r.errors as string[] });
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: out };
}

function checkArray(s: TSchema, v: unknown): Checked {
  if (!Array.isArray(v)) return fail("Not a valid list.");
  const errors: FieldErrors = {};
  const out = v.map((item, i) => {
    const r = check(s.items as TSchema, item);
    if (!r.ok) errors[String(i)] = r.errors;
    return r.ok ? r.value : undefined;
  });
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: out };
}

function checkScalar(s: TSchema, v: unknown): Checked {
  switch (s.type) {
    case "string": {
      if (typeof v !== "string") return fail("Not a valid string.");
      if (s.minLength !== undefined && v.length < s.minLength) return fail(`Shorter than minimum length ${s.minLength}.`);
      if (s.format === "uuid") {
        const id = normaliseUuid(v);
        return id ? { ok: true, value: id } : fail("Not a valid UUID.");
      }
      return { ok: true, value: v };
    }
    case "boolean": {
      if (typeof v === "boolean") return { ok: true, value: v };
      const text = typeof v === "number" || typeof v === "string" ? String(v).toLowerCase() : undefined;
      if (text !== undefined && TRUTHY.has(text)) return { ok: true, value: true };
      if (text !== undefined && FALSY.has(text)) return { ok: true, value: false };
      return fail("Not a valid boolean.");
    }
    case "integer": {
      const n = typeof v === "number" ? v : typeof v === "string" && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : NaN;
      if (!Number.isSafeInteger(n)) return fail("Not a valid integer.");
      if (s.minimum !== undefined && n < s.minimum) return fail(`Must be greater than or equal to ${s.minimum}.`);
      return { ok: true, value: n };
    }
    default:
      return { ok: true, value: v };
  }
}

function check(s: TSchema, v: unknown): Checked {
  if (s.anyOf) return checkUnion(s, v);
  if (v === null) return fail("Field may not be null.");
  if ("const" in s) return v === s.const ? { ok: true, value: v } : fail(`Must be one of: ${s.const}.`);
  if (s.type === "object") return checkObject(s, v);
  if (s.type === "array") return checkArray(s, v);
  return checkScalar(s, v);
}

const defaultOf = (s: TSchema): unknown =>
  "default" in s ? s.default : (s.anyOf as TSchema[] | undefined)?.find((m) => "default" in m)?.default;

const hasDefault = (s: TSchema): boolean =>
  "default" in s || ((s.anyOf as TSchema[] | undefined)?.some((m) => "default" in m) ?? false);

/** Upstream answers 400 "no input" for any falsy JSON body: absent, null, {}, [], "", 0, false. */
export function requireInput(body: unknown): void {
  const empty =
    body === undefined || body === null || body === false || body === 0 || body === "" ||
    (Array.isArray(body) && body.length === 0) || (isPlainObject(body) && Object.keys(body).length === 0);
  if (empty) throw missingInput();
}

/** Checks a request body: 400 when empty, 422 with field errors when it does not fit. */
export function validateBody<V>(schema: TSchema, body: unknown): V {
  requireInput(body);
  const r = check(schema, body);
  if (r.ok) return r.value as V;
  throw new ImsError("validation", `Input data was not valid: ${summarise(r.errors)}`, r.errors);
}

function summarise(errors: string[] | FieldErrors, prefix = ""): string {
  if (Array.isArray(errors)) return `${prefix || "body"}: ${errors.join(" ")}`;
  return Object.entries(errors)
    .map(([k, e]) => summarise(e, prefix ? `${prefix}.${k}` : k))
    .join("; ");
}
