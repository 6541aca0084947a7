/**
 * The version /version reports: the first line of IMS_VERSION_FILE (upstream: /app/.version),
 * else of the repository's .version, else "Unknown" (upstream's answer when the file is missing).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const REPO_VERSION_FILE = fileURLToPath(new URL("../../../../.version", import.meta.url));

function firstLine(path: string): string | undefined {
  try {
    const line = readFileSync(path, "utf8").split(/\r?\n/, 1)[0]!.trim();
    return line || undefined;
  } catch {
    return undefined;
  }
}

export function resolveVersion(versionFile: string, fallbackFile = REPO_VERSION_FILE): string {
  return firstLine(versionFile) ?? firstLine(fallbackFile) ?? "Unknown";
}
