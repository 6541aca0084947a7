/**
 * Lists keys under a prefix in S3's order (UTF-8 byte order of the whole key) without
 * collecting them all: siblings are sorted with directories named as "name/", which makes a
 * depth-first walk come out in key order.
 */
import { opendir } from "node:fs/promises";
import { join } from "node:path";
import { isMissing } from "./fs-errors.ts";

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

export async function* walkKeys(bucketDir: string, prefix: string, under = ""): AsyncGenerator<{ key: string; path: string }> {
  const entries: { name: string; path: string; dir: boolean }[] = [];
  try {
    for await (const d of await opendir(join(bucketDir, under))) {
      // Symlinks and other oddities are not objects (and could point outside the store).
      if (d.isDirectory() || d.isFile()) entries.push({ name: under + d.name + (d.isDirectory() ? "/" : ""), path: join(bucketDir, under, d.name), dir: d.isDirectory() });
    }
  } catch (e) {
    if (isMissing(e)) return; // no bucket directory yet: nothing written there
    throw e;
  }
  entries.sort((a, b) => byBytes(a.name, b.name));
  for (const e of entries) {
    if (e.dir) {
      // Descend only where keys can start with the prefix.
      if (e.name.startsWith(prefix) || prefix.startsWith(e.name)) yield* walkKeys(bucketDir, prefix, e.name);
    } else if (e.name.startsWith(prefix)) {
      yield { key: e.name, path: e.path };
    }
  }
}
