/**
 * ETag = hex MD5 of the content, as S3 gives for a single PUT. Hashing a multi-GB rootfs on
 * every HEAD would be slow, so the value is cached in a sidecar, trusted only while the file's
 * inode, size and mtime still match (every write or copy renames a new inode into place).
 */
import { type FileHandle, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { ObjectRef } from "../../src/ports.ts";
import type { Layout } from "./paths.ts";

interface Sidecar {
  etag: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

export interface FileStat {
  size: number;
  mtimeMs: number;
  ino: number;
}

export const md5Hex = (bytes: Uint8Array) => new Bun.CryptoHasher("md5").update(bytes).digest("hex");

/** Hashes through an open handle, so the hash and the stat describe the same file. */
async function md5Handle(fh: FileHandle): Promise<string> {
  const hasher = new Bun.CryptoHasher("md5");
  const buffer = new Uint8Array(1024 * 1024);
  for (let position = 0; ; ) {
    const { bytesRead } = await fh.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) return hasher.digest("hex");
    hasher.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
}

export async function etagOf(layout: Layout, ref: ObjectRef, fh: FileHandle, st: FileStat): Promise<string> {
  try {
    const cached = JSON.parse(await readFile(layout.meta(ref), "utf8")) as Sidecar;
    if (cached.ino === st.ino && cached.size === st.size && cached.mtimeMs === st.mtimeMs) return cached.etag;
  } catch {
    // no sidecar or a torn one: hash
  }
  const etag = await md5Handle(fh);
  await saveEtag(layout, ref, st, etag);
  return etag;
}

/** Best effort: without a sidecar the next HEAD just hashes again. */
export async function saveEtag(layout: Layout, ref: ObjectRef, st: FileStat, etag: string): Promise<void> {
  const sidecar: Sidecar = { etag, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
  const target = layout.meta(ref);
  const temp = layout.temp();
  try {
    await writeFile(temp, JSON.stringify(sidecar));
    await mkdir(dirname(target), { recursive: true });
    await rename(temp, target);
  } catch {
    await Bun.file(temp).delete().catch(() => {});
  }
}
