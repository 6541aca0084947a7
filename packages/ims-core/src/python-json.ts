/**
 * JSON text as upstream's Python writes it, byte for byte:
 * - `pyDumps`: `json.dumps(value)` (problem bodies, POST answers, the deleted manifest):
 *   separators ", " and ": ", members in the order given, non-ASCII escaped.
 * - `canonicalJson`: Flask's `jsonify` (GET and PATCH answers, and what the stores keep):
 *   separators "," and ":", members sorted by code point.
 * JavaScript lists integer-like keys ("9", "10") first whatever the insertion order, so objects
 * are written member by member here; a Map keeps any order, integer-like keys included.
 */

/** Escapes like Python's ensure_ascii: everything outside printable ASCII as \uXXXX. */
export const asciiOnly = (json: string) =>
  json.replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));

/** Python compares str by code point; JavaScript's default sort compares UTF-16 units. */
export function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

interface Style {
  comma: string;
  colon: string;
  sort: boolean;
}

function membersOf(value: object, sort: boolean): [string, unknown][] {
  const members = value instanceof Map ? [...value] : Object.entries(value);
  return sort ? members.sort(([a], [b]) => byCodePoint(a, b)) : members;
}

function write(value: unknown, style: Style): string | undefined {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => write(v, style) ?? "null").join(style.comma)}]`;
  const parts: string[] = [];
  for (const [k, v] of membersOf(value, style.sort)) {
    const text = write(v, style);
    if (text !== undefined) parts.push(JSON.stringify(k) + style.colon + text);
  }
  return `{${parts.join(style.comma)}}`;
}

const DUMPS: Style = { comma: ", ", colon: ": ", sort: false };
const JSONIFY: Style = { comma: ",", colon: ":", sort: true };

/** Python's `json.dumps(value)` with its default separators (Maps keep their order). */
export const pyDumps = (value: unknown): string => asciiOnly(write(value, DUMPS) ?? "null");

/** Has any object (at any depth) keys that JavaScript lists out of code point order? */
function needsSorting(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some(needsSorting);
  if (value instanceof Map) return true;
  const keys = Object.keys(value);
  for (let i = 1; i < keys.length; i++) if (byCodePoint(keys[i - 1]!, keys[i]!) > 0) return true;
  return keys.some((k) => needsSorting((value as Record<string, unknown>)[k]));
}

/**
 * Flask's `jsonify` text, before the ASCII escaping (the HTTP edge applies it) and without its
 * trailing newline. Records are kept sorted, so the usual case is JSON.stringify itself.
 */
export const canonicalJson = (value: unknown): string =>
  needsSorting(value) ? (write(value, JSONIFY) ?? "null") : JSON.stringify(value);
