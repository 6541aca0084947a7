/**
 * An ArtifactStore on a local directory, for development and tests: s3://BUCKET/KEY is the file
 * DIR/BUCKET/KEY. Writes and copies are atomic (temp file + rename); ETags are content MD5s;
 * user metadata is not kept (always {}); presigned URLs are file:// URLs.
 */
import { constants } from "node:fs";
import { copyFile, mkdir, realpath, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ImsError } from "../../src/errors.ts";
import type { ArtifactStore, ObjectRef } from "../../src/ports.ts";
import { etagOf, md5Hex, saveEtag } from "./etag.ts";
import { place, unlinkAndPrune, withRegularFile } from "./files.ts";
import { toImsError } from "./fs-errors.ts";
import { checkPrefix, checkRef, Layout, show } from "./paths.ts";
import { walkKeys } from "./walk.ts";

export interface LocalArtifactsOptions {
  dir: string;
  /**
   * A missing `dir` is created; its missing parent directories too unless this is false (default
   * true). A process that takes the directory from its user passes false for any directory but
   * its own default, so a mistyped path fails instead of growing a new directory tree.
   */
  createParents?: boolean;
}

export async function openLocalArtifacts(options: LocalArtifactsOptions): Promise<ArtifactStore> {
  const dir = resolve(options.dir);
  const parent = dirname(dir);
  if (options.createParents === false && !(await stat(parent).then((s) => s.isDirectory(), () => false))) {
    throw new Error(`Cannot create the artifact directory ${dir}: directory ${parent} does not exist.`);
  }
  await mkdir(dir, { recursive: true });
  const layout = new Layout(await realpath(dir));
  await mkdir(layout.tempDir, { recursive: true });
  const fail = (e: unknown, ref: ObjectRef, placing = false) => toImsError(e, layout.dir, show(ref), placing);
  const guard = <T>(ref: ObjectRef, run: () => Promise<T>) => run().catch((e) => Promise.reject(fail(e, ref)));

  /** Moves a finished temp file to `ref` and records its ETag; drops the temp file on failure. */
  async function commit(temp: string, ref: ObjectRef, etag: string): Promise<{ etag: string }> {
    try {
      const st = await stat(temp);
      await place(temp, layout.data(ref));
      await saveEtag(layout, ref, st, etag); // rename keeps inode and mtime: the sidecar stays valid
      return { etag };
    } catch (e) {
      await unlink(temp).catch(() => {});
      throw fail(e, ref, true);
    }
  }

  const head = (ref: ObjectRef) =>
    guard(ref, () => withRegularFile(layout.data(ref), async (fh, st) => ({ etag: await etagOf(layout, ref, fh, st), size: st.size, metadata: {} })));

  return {
    head,

    async read(ref, maxBytes) {
      const bytes = await guard(ref, () =>
        withRegularFile(layout.data(ref), async (fh, st) => {
          if (st.size > maxBytes) throw tooLarge(ref, st.size, maxBytes);
          const data = new Uint8Array(await fh.readFile());
          if (data.byteLength > maxBytes) throw tooLarge(ref, data.byteLength, maxBytes); // grew meanwhile
          return data;
        }),
      );
      if (!bytes) throw notFound(ref);
      return bytes;
    },

    async write(ref, body, _contentType) {
      checkRef(ref);
      const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
      const temp = layout.temp();
      await guard(ref, () => writeFile(temp, bytes)).catch(async (e) => {
        await unlink(temp).catch(() => {});
        throw e;
      });
      return commit(temp, ref, md5Hex(bytes));
    },

    async copy(from, to) {
      checkRef(to);
      const source = await head(from);
      if (!source) throw notFound(from);
      if (from.bucket === to.bucket && from.key === to.key) return { etag: source.etag };
      const temp = layout.temp();
      // FICLONE: a reflink where the file system has them, a plain copy elsewhere.
      await guard(from, () => copyFile(layout.data(from), temp, constants.COPYFILE_FICLONE)).catch(async (e) => {
        await unlink(temp).catch(() => {});
        throw e;
      });
      return commit(temp, to, source.etag);
    },

    async remove(ref) {
      checkRef(ref);
      await guard(ref, async () => {
        await unlinkAndPrune(layout.data(ref), layout.bucketDir(ref.bucket));
        await unlinkAndPrune(layout.meta(ref), layout.metaBucketDir(ref.bucket));
      });
    },

    async presign(ref, _expiresSeconds) {
      return pathToFileURL(layout.data(ref)).href; // local files need no signature
    },

    async *list(bucket, prefix) {
      checkPrefix(bucket, prefix);
      for await (const { key, path } of walkKeys(layout.bucketDir(bucket), prefix)) {
        const st = await stat(path).catch(() => undefined); // removed meanwhile: skip it
        if (st) yield { key, size: st.size };
      }
    },

    async abortUploads(ref) {
      checkRef(ref); // no multipart uploads here
    },
  };
}

const notFound = (ref: ObjectRef) => new ImsError("not_found", `${show(ref)} was not found.`);

const tooLarge = (ref: ObjectRef, size: number, maxBytes: number) =>
  new ImsError("bad_request", `${show(ref)} is ${size} bytes, over the size limit of ${maxBytes} bytes.`);
