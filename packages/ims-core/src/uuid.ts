/**
 * UUID input exactly as Python's uuid.UUID(text) takes it: every "urn:" and "uuid:" removed,
 * braces stripped from both ends, hyphens removed, then 32 characters that int(…, 16) reads.
 */
import { pyInt, pyStrip } from "./python-int.ts";

export function normaliseUuid(input: string): string | undefined {
  const hex = pyStrip(input.replaceAll("urn:", "").replaceAll("uuid:", ""), "{}").replaceAll("-", "");
  if ([...hex].length !== 32) return undefined;
  const n = pyInt(hex, 16);
  if (n === undefined || n < 0n || n >= 1n << 128n) return undefined;
  const s = n.toString(16).padStart(32, "0");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
