/**
 * Timestamps as upstream writes them: Python's naive datetime.isoformat() in UTC,
 * "YYYY-MM-DDTHH:MM:SS.ffffff", with the fraction left out when it is zero.
 */
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

export function isoNaive(d: Date): string {
  const base =
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  return ms === 0 ? base : `${base}.${pad(ms, 3)}000`;
}

/** "YYYY-MM-DD HH:MM:SS", the format of a deleted manifest's `created`. */
export const spacedSeconds = (d: Date) => isoNaive(d).slice(0, 19).replace("T", " ");

/**
 * Parses a stored timestamp (any ISO-8601, offset ignored as upstream does when comparing)
 * to epoch ms as if it were UTC.
 */
export function parseNaive(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?/.exec(s);
  if (!m) return NaN;
  const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0), Math.floor(frac));
}
