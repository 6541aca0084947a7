/** Reads upstream's data directory: only the IMS data file names, as text. */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { ALL_LEGACY_FILES } from "@ims/core";

export async function readLegacyDir(dir: string): Promise<Record<string, string>> {
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new Error(`${dir} is not a directory`);
  const files: Record<string, string> = {};
  for (const name of ALL_LEGACY_FILES) {
    try {
      files[name] = await readFile(join(dir, name), "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") continue; // upstream treats a missing file as []
      throw new Error(`cannot read ${join(dir, name)}: ${(e as Error).message}`);
    }
  }
  if (Object.keys(files).length === 0) {
    throw new Error(`${dir} holds no IMS data files (expected names such as v2_public_keys.json, v2.1_images.json, v2.4_jobs.json)`);
  }
  return files;
}
