/**
 * RFC 7240 `Prefer: respond-async`: the client would rather have 202 Accepted at once than wait
 * for a delete's artifact work (see ArtifactWork). Preferences are comma-separated tokens, case
 * insensitive, each with optional `=value` and `;` parameters; unknown ones are ignored.
 */
export function prefersAsync(header: string | null): boolean {
  if (header === null) return false;
  return header.split(",").some((pref) => pref.split(/[;=]/, 1)[0]!.trim().toLowerCase() === "respond-async");
}
