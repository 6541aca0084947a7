/** UUID input as Python's uuid.UUID() accepts it: hyphens optional, braces, "urn:uuid:" prefix. */
const HEX32 = /^[0-9a-f]{32}$/;

export function normaliseUuid(input: string): string | undefined {
  let s = input.trim().toLowerCase();
  if (s.startsWith("urn:")) s = s.slice(4);
  if (s.startsWith("uuid:")) s = s.slice(5);
  s = s.replace(/^\{/, "").replace(/\}$/, "").replaceAll("-", "");
  if (!HEX32.test(s)) return undefined;
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
