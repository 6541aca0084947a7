/**
 * Timestamps as upstream writes them: Python's naive datetime.now().isoformat() in UTC,
 * "YYYY-MM-DDTHH:MM:SS.ffffff" with microseconds, the fraction left out when it is zero.
 */
import type { Clock } from "./ports.ts";

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** Formats microseconds since the epoch. */
export function isoMicros(epochMicros: number): string {
  const seconds = Math.floor(epochMicros / 1e6);
  const micros = epochMicros - seconds * 1e6;
  const d = new Date(seconds * 1000);
  const base =
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return micros === 0 ? base : `${base}.${pad(micros, 6)}`;
}

export const isoNaive = (d: Date): string => isoMicros(d.getTime() * 1000);

let anchorMs = performance.timeOrigin;

/**
 * Wall-clock microseconds: the monotonic clock's resolution, kept within the millisecond that
 * Date.now() reports (re-anchored when the two drift apart, e.g. after an NTP step).
 */
export function systemEpochMicros(): number {
  const mono = performance.now();
  const wall = Date.now();
  let ms = anchorMs + mono;
  if (ms < wall || ms >= wall + 1) {
    anchorMs = wall + (ms < wall ? 0 : 0.999) - mono;
    ms = anchorMs + mono;
  }
  return Math.floor(ms * 1000);
}

/** Now in epoch microseconds: the clock's own when it has them, else its milliseconds. */
export const nowMicros = (clock: Clock): number => clock.epochMicros?.() ?? clock.now().getTime() * 1000;

/** Now as a record timestamp. */
export const isoNow = (clock: Clock): string => isoMicros(nowMicros(clock));

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
