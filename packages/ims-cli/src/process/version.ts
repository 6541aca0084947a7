/**
 * The version /version reports: the first line of IMS_VERSION_FILE (upstream: /app/.version),
 * else of the repository's .version as built in, else "Unknown" (upstream's answer when the
 * file is missing). The repository's file is a text import, so a compiled executable carries it.
 */
import { readFileSync } from "node:fs";
import repoVersion from "../../../../.version" with { type: "text" };

/** The first line of the repository's .version when this code was built or bundled. */
export const BUILT_IN_VERSION: string = firstLine(repoVersion) ?? "";

function firstLine(text: string): string | undefined {
  return text.split(/\r?\n/, 1)[0]!.trim() || undefined;
}

function fileFirstLine(path: string): string | undefined {
  try {
    return firstLine(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

export function resolveVersion(versionFile: string, builtIn = BUILT_IN_VERSION): string {
  return fileFirstLine(versionFile) ?? (builtIn || undefined) ?? "Unknown";
}
