/**
 * Named notes, part of the RecordStore contract (store-contract.ts runs it for every adapter):
 * getMeta/putMeta inside transactions, committed or rolled back with the records, kept on reopen.
 */
import { expect, test } from "bun:test";
import type { RecordStore } from "../src/ports.ts";

const NOTE = JSON.stringify({ files: [{ name: "v2.1_images.json", sha256: "ab" }], text: "é 😀 \n 'quoted' \"double\"" });

export function metaContract(get: () => { store: RecordStore; reopen?: () => Promise<RecordStore> }): void {
  test("a note is read back in its transaction and after commit, replaced by a later put, kept on reopen", async () => {
    const { store, reopen } = get();
    await store.transaction(async (tx) => {
      expect(await tx.getMeta("legacy-import")).toBeUndefined();
      await tx.putMeta("legacy-import", NOTE);
      expect(await tx.getMeta("legacy-import")).toBe(NOTE);
    });
    expect(await store.transaction((tx) => tx.getMeta("legacy-import"))).toBe(NOTE);
    await store.transaction((tx) => tx.putMeta("other", ""));
    await store.transaction((tx) => tx.putMeta("other", "second"));
    expect(await store.transaction(async (tx) => [await tx.getMeta("other"), await tx.getMeta("never")])).toEqual(["second", undefined]);
    if (reopen) {
      await store.close();
      const again = await reopen();
      expect(await again.transaction(async (tx) => [await tx.getMeta("legacy-import"), await tx.getMeta("other")])).toEqual([NOTE, "second"]);
    }
  });

  test("a rolled-back note is not kept; names and values with NUL or lone surrogates are refused", async () => {
    const { store } = get();
    const boom = new Error("boom");
    const failed = store.transaction(async (tx) => {
      await tx.insert("remote_build_nodes", "x1", { xname: "x1" });
      await tx.putMeta("legacy-import", NOTE);
      throw boom;
    });
    await expect(failed).rejects.toBe(boom);
    expect(await store.transaction((tx) => tx.getMeta("legacy-import"))).toBeUndefined();
    expect(await store.count("remote_build_nodes")).toBe(0);
    await store.transaction(async (tx) => {
      await expect(tx.putMeta("bad\u0000name", "v")).rejects.toThrow("cannot be stored");
      await expect(tx.putMeta("name", "lone \ud800")).rejects.toThrow("cannot be stored");
      expect(await tx.getMeta("bad\u0000name")).toBeUndefined();
    });
  });
}
