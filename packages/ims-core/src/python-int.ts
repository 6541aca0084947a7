/**
 * Python's int(text, base) for base 10 and 16, which marshmallow's Integer and uuid.UUID rely
 * on: surrounding whitespace, a sign, "0x" (base 16), "_" between digits, and the decimal digits
 * of every script ("٣" is 3) are all accepted.
 */

/** Characters str.strip() removes (str.isspace()). */
const PY_SPACE = "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

export function pyStrip(s: string, chars = PY_SPACE): string {
  let start = 0;
  let end = s.length;
  while (start < end && chars.includes(s[start]!)) start++;
  while (end > start && chars.includes(s[end - 1]!)) end--;
  return s.slice(start, end);
}

const ND = /^\p{Nd}$/u;

/**
 * The value of one digit: ASCII hex digits by base, other scripts' decimal digits by their
 * place in Unicode, where each script's 0-9 are ten consecutive code points starting at 0.
 */
export function digitValue(c: string, base: 10 | 16): number | undefined {
  const ascii = "0123456789abcdef".indexOf(c.toLowerCase());
  if (c.length === 1 && ascii >= 0) return ascii < base ? ascii : undefined;
  if (!ND.test(c)) return undefined;
  let cp = c.codePointAt(0)!;
  let offset = 0;
  while (ND.test(String.fromCodePoint(cp - 1))) {
    cp--;
    offset++;
  }
  return offset % 10;
}

/** int(text, base) as a BigInt, or undefined where Python raises ValueError. */
export function pyInt(text: string, base: 10 | 16 = 10): bigint | undefined {
  let s = pyStrip(text);
  let negative = false;
  if (s[0] === "+" || s[0] === "-") {
    negative = s[0] === "-";
    s = s.slice(1);
  }
  let underscoreOk = false;
  if (base === 16 && /^0[xX]/.test(s)) {
    s = s.slice(2);
    underscoreOk = true; // int("0x_ff", 16) is 255
  }
  let value = 0n;
  let digits = 0;
  let pendingUnderscore = false;
  for (const c of s) {
    if (c === "_") {
      if (!underscoreOk || pendingUnderscore) return undefined;
      pendingUnderscore = true;
      continue;
    }
    const d = digitValue(c, base);
    if (d === undefined) return undefined;
    value = value * BigInt(base) + BigInt(d);
    digits++;
    underscoreOk = true;
    pendingUnderscore = false;
  }
  if (!digits || pendingUnderscore) return undefined;
  return negative ? -value : value;
}
