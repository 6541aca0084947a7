import { describe, expect, test } from "bun:test";
import { openMemoryStore } from "../../adapters/memory/index.ts";
import { COLLECTIONS } from "../records.ts";
import type { RecordStore, RecordTx } from "../ports.ts";
import { importRecords } from "./import.ts";
import { parseLegacyData } from "./legacy.ts";
import { expectedRecords, IDS, legacyFiles } from "./test-fixtures.ts";

const data = () => parseLegacyData(legacyFiles());

async function snapshot(store: RecordStore) {
  const out: Record<string, unknown> = {};
  for (const c of COLLECTIONS) out[c] = await store.list(c);
  return out;
}

describe("importRecords", () => {
  test("a dry run counts everything and writes nothing", async () => {
    const store = openMemoryStore();
    const result = await importRecords(store, data(), { dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.collections.jobs).toEqual({ records: 2, created: 2, updated: 0, unchanged: 0 });
    expect(result.total.created).toBe(14);
    for (const c of COLLECTIONS) expect(await store.count(c)).toBe(0);
  });

  test("the real run writes every record in order and returns the dry run's counts", async () => {
    const store = openMemoryStore();
    const dry = await importRecords(store, data(), { dryRun: true });
    const real = await importRecords(store, data());
    expect({ ...real, dryRun: true }).toEqual(dry);
    const expected = expectedRecords();
    for (const c of COLLECTIONS) expect((await store.list(c)).map((s) => s.data)).toEqual(expected[c] as never);
  });

  test("a re-run changes nothing, not even versions; an edited record is updated in place", async () => {
    const store = openMemoryStore();
    await importRecords(store, data());
    const before = await snapshot(store);
    const again = await importRecords(store, data());
    expect(again.total).toEqual({ records: 14, created: 0, updated: 0, unchanged: 14 });
    expect(await snapshot(store)).toEqual(before);

    const edited = data();
    edited.records.images[1] = { ...edited.records.images[1]!, name: "renamed" };
    const third = await importRecords(store, edited);
    expect(third.collections.images).toEqual({ records: 3, created: 0, updated: 1, unchanged: 2 });
    const images = await store.list("images");
    expect(images.map((s) => s.data.name)).toEqual(["cos-3.0", "renamed", "no link yet"]);
    expect(images[1]!.version).toBe(2);
  });

  test("a failure part-way writes nothing (one transaction)", async () => {
    const inner = openMemoryStore();
    // Fails on the first job, after all keys, recipes and images were upserted in the same transaction.
    const store: RecordStore = {
      ...inner,
      transaction: (fn) =>
        inner.transaction((tx) =>
          fn({
            get: (c, id) => tx.get(c, id),
            list: (c) => tx.list(c),
            upsert: (c, id, d) => (id === IDS.job1 ? Promise.reject(new Error("disk full")) : tx.upsert(c, id, d)),
          } as RecordTx),
        ),
    };
    await expect(importRecords(store, data())).rejects.toThrow("disk full");
    for (const c of COLLECTIONS) expect(await inner.count(c)).toBe(0);
  });

  test("progress is reported every N records and at the end", async () => {
    const calls: [number, number][] = [];
    await importRecords(openMemoryStore(), data(), { onProgress: (d, t) => calls.push([d, t]), progressEvery: 4 });
    expect(calls).toEqual([[4, 14], [8, 14], [12, 14], [14, 14]]);
  });
});
