/**
 * Upstream's data directory (/var/ims/data) as a LegacyDir: only the IMS data file names, read as
 * text and never written. A directory that does not exist holds no files.
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { ALL_LEGACY_FILES } from "../../src/migrate/index.ts";
import type { LegacyDir } from "../../src/migrate/index.ts";

export function openLegacyDir(dir: string): LegacyDir {
  return { where: dir, read: () => readLegacyFiles(dir) };
}

/** name -> text of the IMS data files in `dir`; {} when it has none or does not exist. */
export async function readLegacyFiles(dir: string): Promise<Record<string, string>> {
  const st = await stat(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return undefined;
    throw new Error(`cannot read ${dir}: ${e.message}`);
  });
  if (!st) return {};
  if (!st.isDirectory()) throw new Error(`${dir} is not a directory`);
  const files: Record<string, string> = {};
  for (const name of ALL_LEGACY_FILES) {
    try {
      files[name] = await readFile(join(dir, name), "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") continue; // upstream treats a missing file as []
      throw new Error(`cannot read ${join(dir, name)}: ${(e as Error).message}`);
    }
  }
  return files;
}
