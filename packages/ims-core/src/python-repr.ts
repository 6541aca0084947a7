/**
 * Python's repr() of JSON-shaped values. Upstream puts artifact links into its messages with
 * f-strings ("The s3 artifact {'path': 's3://…', 'etag': '', 'type': 's3'} cannot be …"), so
 * clients see dict reprs; the key order is the order upstream held the dict in.
 */

const ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Python 3 str.isprintable(), closely enough: not a control, separator-other or unassigned character. */
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function escapeChar(c: string): string {
  const cp = c.codePointAt(0)!;
  if (ESCAPES[c]) return ESCAPES[c];
  if (c === " " || !NON_PRINTABLE.test(c)) return c;
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, "0")}`;
  return `\\U${cp.toString(16).padStart(8, "0")}`;
}

/** repr(str): single quotes unless the text holds ' and no ". */
export function pyStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = "";
  // Iterating a string yields code points; a lone surrogate comes through on its own.
  for (const c of s) out += c === quote ? `\\${c}` : escapeChar(c);
  return quote + out + quote;
}

/** repr() of a JSON value: None/True/False, ints, floats as Python prints them, lists and dicts. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return pyStr(value);
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : pyFloat(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  const members = value instanceof Map ? [...value] : Object.entries(value as object);
  return `{${members.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
}

/** Python's float repr: shortest round-trip digits, exponent form outside 1e-4 ≤ |x| < 1e16. */
function pyFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  const abs = Math.abs(x);
  if (abs >= 1e16 || abs < 1e-4) {
    const [mant, exp] = x.toExponential().split("e");
    const e = Number(exp);
    return `${mant}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  return String(x);
}
