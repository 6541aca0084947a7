/** File handling for the store tree: open-if-present, atomic placement, tidy removal. */
import type { Stats } from "node:fs";
import { type FileHandle, mkdir, open, rename, rmdir, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { codeOf, isMissing } from "./fs-errors.ts";

/** Runs `use` on the regular file at `path`; undefined when there is none (or a directory). */
export async function withRegularFile<T>(path: string, use: (fh: FileHandle, st: Stats) => Promise<T>): Promise<T | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(path, "r");
  } catch (e) {
    if (isMissing(e) || codeOf(e) === "EISDIR") return undefined;
    throw e;
  }
  try {
    const st = await fh.stat();
    return st.isFile() ? await use(fh, st) : undefined; // a directory is a key prefix, not an object
  } finally {
    await fh.close();
  }
}

/**
 * Renames a finished temp file onto its final path: readers see the old or the new content,
 * never a partial one. Retries once if a concurrent remove pruned the parent directory.
 */
export async function place(temp: string, target: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await mkdir(dirname(target), { recursive: true });
    try {
      return await rename(temp, target);
    } catch (e) {
      if (codeOf(e) !== "ENOENT" || attempt === 2) throw e;
    }
  }
}

/** Unlinks a file (missing is fine) and prunes the directories it leaves empty, up to `root`. */
export async function unlinkAndPrune(path: string, root: string): Promise<void> {
  try {
    await unlink(path);
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
  // Empty directories would block a later key named like them ("a" after "a/b" is gone).
  for (let dir = dirname(path); dir.startsWith(`${root}/`); dir = dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return; // not empty (or gone): stop climbing
    }
  }
}
