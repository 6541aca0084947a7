/**
 * The behaviour every ArtifactStore must show, as bun:test blocks. Each test works under its
 * own random prefix, so one store (and one S3 server) serves the whole suite.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash, randomUUID } from "node:crypto";
import { ImsError } from "../src/errors.ts";
import type { ArtifactStore, ObjectRef } from "../src/ports.ts";

/** Buckets the contract writes to; a store under test must accept them (S3: create them). */
export const CONTRACT_BUCKETS = ["ims", "boot-images"] as const;

export interface ContractOptions {
  /** Keys written for the listing test; S3 stores pass > 1000 to cross a page. Default 30. */
  listKeys?: number;
  /** Writes an object with user metadata the way a job pod would (S3 SDK directly). */
  writeWithMetadata?: (ref: ObjectRef, body: Uint8Array, metadata: Record<string, string>) => Promise<void>;
  /**
   * Whether concurrent writes to one key are atomic. Default true; s3rver writes its files in
   * place without locking (real S3 and Ceph RGW are atomic), so its suite turns this off.
   */
  atomicWrites?: boolean;
}

const md5 = (b: Uint8Array | string) => createHash("md5").update(b).digest("hex");
const bytes = (n: number, seed = 0) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) % 256);

/** Resolves to the ImsError a promise (or a sync throw) fails with. */
export async function imsErrorOf(run: () => unknown): Promise<ImsError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof ImsError) return e;
    throw new Error(`expected an ImsError, got ${e}`);
  }
  throw new Error("expected an ImsError, but the call succeeded");
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export function runArtifactContract(
  name: string,
  open: () => Promise<{ store: ArtifactStore; cleanup(): Promise<void> }>,
  options: ContractOptions = {},
): void {
  describe(`ArtifactStore contract: ${name}`, () => {
    let store: ArtifactStore;
    let cleanup: () => Promise<void>;
    beforeAll(async () => ({ store, cleanup } = await open()));
    afterAll(async () => cleanup?.());
    const at = (key: string, bucket: string = CONTRACT_BUCKETS[0]): ObjectRef => ({ bucket, key: `${randomUUID()}/${key}` });

    test("write, head and read round-trip the exact bytes", async () => {
      const ref = at("rootfs");
      const body = bytes(70_000);
      const { etag } = await store.write(ref, body, "application/octet-stream");
      expect(etag).toBe(md5(body)); // bare hex, no quotes
      expect(await store.head(ref)).toEqual({ etag, size: body.length, metadata: expect.any(Object) });
      expect(await store.read(ref, body.length)).toEqual(body);
    });

    test("a string body is stored as UTF-8", async () => {
      const ref = at("manifest.json", CONTRACT_BUCKETS[1]);
      const text = JSON.stringify({ version: "1.0", note: "ünïcødé ✓" });
      await store.write(ref, text, "application/json");
      expect(new TextDecoder().decode(await store.read(ref, 1 << 20))).toBe(text);
      expect((await store.head(ref))?.etag).toBe(md5(text));
    });

    test("an empty object round-trips", async () => {
      const ref = at("empty");
      expect((await store.write(ref, new Uint8Array(), "application/octet-stream")).etag).toBe(md5(""));
      expect((await store.head(ref))?.size).toBe(0);
      expect(await store.read(ref, 0)).toEqual(new Uint8Array());
    });

    test("a missing object: head is undefined, read and copy are not_found", async () => {
      const ref = at("missing");
      expect(await store.head(ref)).toBeUndefined();
      expect((await imsErrorOf(() => store.read(ref, 100))).kind).toBe("not_found");
      expect((await imsErrorOf(() => store.copy(ref, at("target")))).kind).toBe("not_found");
      expect(await store.head({ bucket: "no-such-bucket-for-contract", key: "x" })).toBeUndefined();
    });

    test("read refuses an object larger than maxBytes with bad_request naming the limit", async () => {
      const ref = at("big");
      await store.write(ref, bytes(2048), "application/octet-stream");
      const err = await imsErrorOf(() => store.read(ref, 1000));
      expect(err.kind).toBe("bad_request");
      expect(err.detail).toContain("size limit of 1000 bytes");
      expect((await store.read(ref, 2048)).length).toBe(2048); // exactly at the limit is fine
    });

    test("copy overwrites the target, returns its etag and keeps the source", async () => {
      const from = at("src");
      const to = at("dst", CONTRACT_BUCKETS[1]);
      const body = bytes(5000, 3);
      const { etag } = await store.write(from, body, "application/octet-stream");
      await store.write(to, "old content", "text/plain");
      expect(await store.copy(from, to)).toEqual({ etag });
      expect(await store.read(to, 10_000)).toEqual(body);
      expect((await store.head(to))?.etag).toBe(etag);
      expect(await store.read(from, 10_000)).toEqual(body);
    });

    test("copy onto itself changes nothing and returns the etag", async () => {
      const ref = at("self");
      const { etag } = await store.write(ref, "same", "text/plain");
      expect(await store.copy(ref, { ...ref })).toEqual({ etag });
      expect(new TextDecoder().decode(await store.read(ref, 100))).toBe("same");
    });

    test("remove deletes and is idempotent", async () => {
      const ref = at("gone");
      await store.write(ref, "x", "text/plain");
      await store.remove(ref);
      expect(await store.head(ref)).toBeUndefined();
      await store.remove(ref);
      await store.remove(at("never-written"));
    });

    test("a removed key can be written again, and so can a former prefix", async () => {
      const dir = at("d");
      await store.write({ ...dir, key: `${dir.key}/inner` }, "1", "text/plain");
      await store.remove({ ...dir, key: `${dir.key}/inner` });
      await store.write(dir, "2", "text/plain");
      expect(new TextDecoder().decode(await store.read(dir, 10))).toBe("2");
    });

    test("list yields exactly the keys under a prefix, in key order, with sizes", async () => {
      const n = options.listKeys ?? 30;
      const base = `${randomUUID()}/list`;
      const keys = Array.from({ length: n }, (_, i) => `${base}/${String(i).padStart(5, "0")}`);
      // Siblings sorting before and after "list/": they share the prefix text but not "list/".
      const all = [...keys, `${base}-sibling`, `${base}x/y`];
      for (let i = 0; i < all.length; i += 32) {
        await Promise.all(all.slice(i, i + 32).map((key, j) => store.write({ bucket: "ims", key }, bytes((i + j) % 7), "text/plain")));
      }
      const listed = await collect(store.list("ims", `${base}/`));
      expect(listed.map((o) => o.key)).toEqual(keys);
      expect(listed.map((o) => o.size)).toEqual(keys.map((_, i) => i % 7));
      // Across the page boundary too, siblings come in key order ("-" < "/" < "x").
      const wider = await collect(store.list("ims", base));
      expect(wider.map((o) => o.key)).toEqual([`${base}-sibling`, ...keys, `${base}x/y`]);
      expect(await collect(store.list("ims", `${randomUUID()}/`))).toEqual([]);
    });

    test("a list prefix need not end at a '/'", async () => {
      const base = randomUUID();
      const keys = [`${base}/a`, `${base}-b`, `${base}x/c`, `${base}x/d/e`];
      for (const key of keys) await store.write({ bucket: "ims", key }, "x", "text/plain");
      expect((await collect(store.list("ims", base))).map((o) => o.key)).toEqual([...keys].sort());
      expect((await collect(store.list("ims", `${base}x/d`))).map((o) => o.key)).toEqual([`${base}x/d/e`]);
    });

    test("keys with spaces and unicode work everywhere", async () => {
      const base = `${randomUUID()}/with space`;
      const names = ["ünïcødé ✓.txt", "emoji 🎉 (1).bin", "tab-free ~ 'quoted'.txt"];
      for (const n of names) {
        const ref = { bucket: "ims", key: `${base}/${n}` };
        const { etag } = await store.write(ref, n, "text/plain");
        expect((await store.head(ref))?.etag).toBe(etag);
        expect(new TextDecoder().decode(await store.read(ref, 1000))).toBe(n);
        const copy = { bucket: "boot-images", key: `${base}/copy of ${n}` };
        expect((await store.copy(ref, copy)).etag).toBe(etag);
        expect(new TextDecoder().decode(await store.read(copy, 1000))).toBe(n);
      }
      const listed = await collect(store.list("ims", `${base}/`));
      expect(listed.map((o) => o.key).sort()).toEqual(names.map((n) => `${base}/${n}`).sort());
      for (const n of names) await store.remove({ bucket: "ims", key: `${base}/${n}` });
      expect(await collect(store.list("ims", `${base}/`))).toEqual([]);
    });

    test("keys with URL-special characters round-trip (write, head, read, list)", async () => {
      const ref = at("a+b=c&d;e,f:g@h$i.txt");
      const { etag } = await store.write(ref, "special", "text/plain");
      expect((await store.head(ref))?.etag).toBe(etag);
      expect(new TextDecoder().decode(await store.read(ref, 100))).toBe("special");
      expect((await collect(store.list(ref.bucket, ref.key))).map((o) => o.key)).toEqual([ref.key]);
    });

    test("presign returns a URL that fetches the object", async () => {
      const ref = at("presigned file.txt");
      await store.write(ref, "fetch me", "text/plain");
      const url = await store.presign(ref, 3600);
      expect(() => new URL(url)).not.toThrow();
      const res = await fetch(url);
      expect(await res.text()).toBe("fetch me");
    });

    test("abortUploads on a key without uploads is a no-op", async () => {
      const ref = at("no-uploads");
      await store.abortUploads(ref);
      await store.write(ref, "x", "text/plain");
      await store.abortUploads(ref);
      expect(await store.head(ref)).toBeDefined();
    });

    test.skipIf(options.atomicWrites === false)("concurrent writes to one key leave one whole body, never a mix", async () => {
      const ref = at("racy");
      const bodies = Array.from({ length: 8 }, (_, i) => bytes(100_000, i));
      await Promise.all(bodies.map((b) => store.write(ref, b, "application/octet-stream")));
      const stored = await store.read(ref, 1 << 20);
      expect(bodies.some((b) => Buffer.from(b).equals(Buffer.from(stored)))).toBe(true);
      expect((await store.head(ref))?.etag).toBe(md5(stored));
    });

    if (options.writeWithMetadata) {
      const writeWithMetadata = options.writeWithMetadata;
      test("user metadata written by the S3 SDK shows in head (md5sum) and survives copy", async () => {
        const ref = at("recipe.tgz");
        const body = bytes(1234);
        await writeWithMetadata(ref, body, { md5sum: md5(body) });
        expect((await store.head(ref))?.metadata).toEqual({ md5sum: md5(body) });
        const to = at("deleted/recipe.tgz");
        await store.copy(ref, to);
        expect((await store.head(to))?.metadata).toEqual({ md5sum: md5(body) });
      });
    }

    describe("hostile references are refused with a validation error", () => {
      const hostile: [string, ObjectRef, RegExp][] = [
        ["a '..' segment", { bucket: "ims", key: "a/../../etc/passwd" }, /'\.\.' segment/],
        ["a bare '..' key", { bucket: "ims", key: ".." }, /'\.\.' segment/],
        ["a '.' segment", { bucket: "ims", key: "a/./b" }, /'\.' or '\.\.' segment/],
        ["an empty key", { bucket: "ims", key: "" }, /key is empty/],
        ["an empty bucket", { bucket: "", key: "a" }, /bucket is empty/],
        ["a NUL in the key", { bucket: "ims", key: "a\0b" }, /NUL/],
        ["a NUL in the bucket", { bucket: "i\0ms", key: "a" }, /NUL/],
        ["a '/' in the bucket", { bucket: "../ims", key: "a" }, /bucket/],
        ["an absolute key", { bucket: "ims", key: "/etc/passwd" }, /starts with '\/'/],
      ];
      for (const [what, ref, detail] of hostile) {
        test(what, async () => {
          const ok: ObjectRef = { bucket: "ims", key: `${randomUUID()}/ok` };
          await store.write(ok, "ok", "text/plain");
          const calls: [string, () => unknown][] = [
            ["head", () => store.head(ref)],
            ["read", () => store.read(ref, 10)],
            ["write", () => store.write(ref, "x", "text/plain")],
            ["copy from", () => store.copy(ref, ok)],
            ["copy to", () => store.copy(ok, ref)],
            ["remove", () => store.remove(ref)],
            ["presign", () => store.presign(ref, 60)],
            ["abortUploads", () => store.abortUploads(ref)],
          ];
          for (const [call, run] of calls) {
            const err = await imsErrorOf(run);
            expect({ call, kind: err.kind }).toEqual({ call, kind: "validation" });
            expect(err.detail).toMatch(detail);
          }
          expect(new TextDecoder().decode(await store.read(ok, 10))).toBe("ok"); // untouched
        });
      }

      test("list checks its bucket and prefix", async () => {
        expect((await imsErrorOf(() => collect(store.list("", "a")))).kind).toBe("validation");
        expect((await imsErrorOf(() => collect(store.list("../x", "a")))).kind).toBe("validation");
        expect((await imsErrorOf(() => collect(store.list("ims", "a\0")))).kind).toBe("validation");
      });
    });
  });
}
