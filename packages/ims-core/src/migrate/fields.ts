/**
 * Reading one stored record field by field, the way upstream loads its data files: unknown
 * fields are never copied, missing fields take a load default, and a value of the wrong type
 * fails with an error that names the file, the record and the field.
 */
import { ImsError } from "../errors.ts";
import { parseNaive } from "../time.ts";
import { normaliseUuid } from "../uuid.ts";
import { isPlainObject } from "../validate.ts";

/** Turns a stored value into its record form, or undefined when the value is not acceptable. */
export interface Kind<T> {
  what: string;
  parse(v: unknown): T | undefined;
}

export const str: Kind<string> = { what: "a string", parse: (v) => (typeof v === "string" ? v : undefined) };
export const bool: Kind<boolean> = { what: "a boolean", parse: (v) => (typeof v === "boolean" ? v : undefined) };
/** marshmallow's Integer also loads "60" and 60.0; a size defaulted from the env was such a string. */
export const int: Kind<number> = {
  what: "an integer",
  parse: (v) => {
    const n = typeof v === "string" && /^[+-]?\d+$/.test(v.trim()) ? Number(v) : v;
    return typeof n === "number" && Number.isSafeInteger(n) ? n : undefined;
  },
};
/** Stored UUIDs are re-emitted in canonical form, as Python's uuid.UUID would print them. */
export const uuid: Kind<string> = { what: "a UUID", parse: (v) => (typeof v === "string" ? normaliseUuid(v) : undefined) };
/** Kept exactly as written (the API echoes the stored string); it only has to be ISO-8601. */
export const time: Kind<string> = {
  what: "an ISO-8601 date and time",
  parse: (v) => (typeof v === "string" && !Number.isNaN(parseNaive(v)) ? v : undefined),
};
export const oneOf = <V extends string>(values: readonly V[]): Kind<V> => ({
  what: `one of ${values.join(", ")}`,
  parse: (v) => (values.includes(v as V) ? (v as V) : undefined),
});

/** What to do when a field is absent or null: use a value, or fail. */
export type Fallback<T> = { value: T } | "fail";

export class Fields {
  constructor(
    private readonly raw: Record<string, unknown>,
    /** e.g. `v2.1_images.json, record at index 3 (id "…")` */
    readonly where: string,
  ) {}

  fail(field: string, why: string): never {
    throw new ImsError("validation", `${this.where}: field '${field}' ${why}.`);
  }

  /** A field that must be present and not null. */
  need<T>(name: string, kind: Kind<T>): T {
    return this.get(name, kind, "fail", "fail");
  }

  /** A field with load defaults: `missing` when absent, `ifNull` (default: same) when null. */
  get<T, M, N = M>(name: string, kind: Kind<T>, missing: Fallback<M>, ifNull?: Fallback<N>): T | M | N {
    const v = Object.hasOwn(this.raw, name) ? this.raw[name] : undefined;
    if (v === undefined || v === null) {
      const fallback = v === null ? (ifNull ?? missing) : missing;
      if (fallback === "fail") this.fail(name, v === null ? "must not be null" : "is missing");
      return fallback.value;
    }
    const parsed = kind.parse(v);
    if (parsed === undefined) this.fail(name, `must be ${kind.what}, got ${show(v)}`);
    return parsed;
  }

  /** A nested object field, read with its own Fields (errors name the path, e.g. link.path). */
  nested(name: string): Fields | null | undefined {
    const v = Object.hasOwn(this.raw, name) ? this.raw[name] : undefined;
    if (v === undefined || v === null) return v;
    if (!isPlainObject(v)) this.fail(name, `must be an object, got ${show(v)}`);
    return new Fields(v, `${this.where}, ${name}`);
  }

  /** A list of objects, each read with its own Fields (errors name e.g. ssh_containers[0]). */
  list(name: string): Fields[] | null | undefined {
    const v = Object.hasOwn(this.raw, name) ? this.raw[name] : undefined;
    if (v === undefined || v === null) return v;
    if (!Array.isArray(v)) this.fail(name, `must be a list, got ${show(v)}`);
    return v.map((item, i) => {
      if (!isPlainObject(item)) this.fail(`${name}[${i}]`, `must be an object, got ${show(item)}`);
      return new Fields(item, `${this.where}, ${name}[${i}]`);
    });
  }

  /** The raw value, for maps that the caller walks itself. */
  value(name: string): unknown {
    return Object.hasOwn(this.raw, name) ? this.raw[name] : undefined;
  }
}

/** A short rendering of a bad value for error messages. */
export function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
