/** Dump files: written whole or not at all; "-" means stdout / stdin. */
import { rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

export async function writeWhole(file: string, text: string, cwd: string): Promise<void> {
  if (file === "-") {
    await Bun.write(Bun.stdout, text);
    return;
  }
  const target = resolve(cwd, file);
  // A temp file beside the target, renamed over it: a failed export leaves no partial file.
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, text, { flag: "wx" });
    await rename(temp, target);
  } catch (e) {
    await unlink(temp).catch(() => {});
    throw new Error(`cannot write ${target}: ${(e as Error).message}`);
  }
}

export async function readWhole(file: string, cwd: string): Promise<string> {
  if (file === "-") return await Bun.stdin.text();
  const path = resolve(cwd, file);
  try {
    return await Bun.file(path).text();
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as Error).message}`);
  }
}
