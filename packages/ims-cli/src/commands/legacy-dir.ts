/** Reads upstream's data directory for migrate-legacy: it must exist and hold IMS data files. */
import { stat } from "node:fs/promises";
import { readLegacyFiles } from "@ims/core/legacy-dir";

export async function readLegacyDir(dir: string): Promise<Record<string, string>> {
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new Error(`${dir} is not a directory`);
  const files = await readLegacyFiles(dir);
  if (Object.keys(files).length === 0) {
    throw new Error(`${dir} holds no IMS data files (expected names such as v2_public_keys.json, v2.1_images.json, v2.4_jobs.json)`);
  }
  return files;
}
