/**
 * Retention, part of the RecordStore contract (store-contract.ts runs it for every adapter):
 * journal.prune and pruneIdempotent remove only what is older than the cutoff, by time order.
 */
import { expect, test } from "bun:test";
import type { IdempotentResult, NewOperation, RecordStore } from "../src/ports.ts";

const CUTOFF = "2024-03-01T10:00:00";

const operation = (id: string): NewOperation => ({
  id,
  action: "soft-delete image",
  collection: "images",
  recordId: `rec-${id}`,
  steps: [{ op: "remove", ref: { bucket: "b", key: id } }],
  created: "2020-01-01T00:00:00",
});

const result = (created: string): IdempotentResult => ({ fingerprint: "f", status: 201, body: '{"id":"x"}', created });

/**
 * Idempotency rows as stored before the created column existed (key, result text), for the SQL
 * adapters' migration tests: "old", "unreadable" and "no-created" prune at 2024-03-01, "recent"
 * stays. The awkward body must not confuse reading created out of the result.
 */
export const OLD_IDEMPOTENCY_ROWS: [string, string][] = [
  ["old", JSON.stringify({ ...result("2024-01-01T00:00:00"), body: 'nul\u0000 \ud800 ,"created":"9999-01-01T00:00:00"}\\' })],
  ["recent", JSON.stringify({ ...result("2024-06-01T00:00:00.5"), body: '\\",\\"created\\":\\"2000"}' })],
  ["unreadable", "not json"],
  ["no-created", JSON.stringify({ fingerprint: "f", status: 201, body: "{}" })],
];

export function retentionContract(get: () => { store: RecordStore; reopen?: () => Promise<RecordStore> }): void {
  test("journal.prune removes done operations updated before the cutoff; pending and failed stay however old", async () => {
    const { store, reopen } = get();
    const j = store.journal;
    await store.transaction(async (tx) => {
      for (const id of ["old", "edge", "fraction", "recent", "pending", "failed"]) await tx.enqueue(operation(id));
    });
    await j.progress("old", { state: "done", updated: "2024-03-01T09:59:59.999000" });
    await j.progress("edge", { state: "done", updated: CUTOFF }); // not earlier than the cutoff
    await j.progress("fraction", { state: "done", updated: `${CUTOFF}.500000` });
    await j.progress("recent", { state: "done", updated: "2024-03-02T00:00:00" });
    await j.progress("failed", { state: "failed", updated: "2020-01-01T00:00:00" });
    const left = async (s = store) => (await s.journal.list()).map((o) => o.id);

    expect(await j.prune(CUTOFF)).toBe(1);
    expect(await left()).toEqual(["edge", "fraction", "recent", "pending", "failed"]);
    // a whole second sorts before the same second with a fraction, and a cutoff fraction counts
    expect(await j.prune(`${CUTOFF}.5`)).toBe(1);
    expect(await j.prune(`${CUTOFF}.5`)).toBe(0);
    expect(await left()).toEqual(["fraction", "recent", "pending", "failed"]);
    expect(await j.prune("9999-12-31T23:59:59.999999")).toBe(2);
    expect(await left()).toEqual(["pending", "failed"]);
    expect((await j.claim("w", 1, 100))?.id).toBe("pending");
    if (reopen) expect(await left(await reopen())).toEqual(["pending", "failed"]);
  });

  test("pruneIdempotent removes results created before the cutoff, by their latest put", async () => {
    const { store, reopen } = get();
    const created: Record<string, string> = {
      old: "2024-02-29T23:59:59",
      edge: CUTOFF,
      fraction: `${CUTOFF}.250000`,
      recent: "2024-03-02T00:00:00",
      replaced: "2020-01-01T00:00:00",
    };
    await store.transaction(async (tx) => {
      for (const [key, at] of Object.entries(created)) await tx.putIdempotent(key, result(at));
    });
    await store.transaction((tx) => tx.putIdempotent("replaced", result("2024-03-05T00:00:00")));
    const kept = async (s = store) =>
      s.transaction(async (tx) => {
        const found: string[] = [];
        for (const key of Object.keys(created)) if (await tx.getIdempotent(key)) found.push(key);
        return found;
      });

    expect(await store.pruneIdempotent(CUTOFF)).toBe(1);
    expect(await kept()).toEqual(["edge", "fraction", "recent", "replaced"]);
    expect(await store.pruneIdempotent(`${CUTOFF}.25`)).toBe(1);
    expect(await store.pruneIdempotent(`${CUTOFF}.25`)).toBe(0);
    expect(await store.pruneIdempotent("2024-03-04T00:00:00")).toBe(2);
    expect(await kept()).toEqual(["replaced"]);
    expect(await store.transaction((tx) => tx.getIdempotent("replaced"))).toEqual(result("2024-03-05T00:00:00"));
    if (reopen) expect(await kept(await reopen())).toEqual(["replaced"]);
  });

  test("a cutoff that is not a naive ISO timestamp is refused and removes nothing; so is pruning inside a transaction", async () => {
    const { store } = get();
    await store.transaction(async (tx) => {
      await tx.enqueue(operation("done"));
      await tx.putIdempotent("k", result("2020-01-01T00:00:00"));
    });
    await store.journal.progress("done", { state: "done", updated: "2020-01-01T00:00:00" });
    for (const bad of ["", "2024-03-01", "2024-03-01 10:00:00", "2024-03-01T10:00:00Z", "9999", "z"]) {
      await expect(store.journal.prune(bad)).rejects.toThrow(/naive ISO/);
      await expect(store.pruneIdempotent(bad)).rejects.toThrow(/naive ISO/);
    }
    await store.transaction(async () => {
      await expect(store.journal.prune(CUTOFF)).rejects.toThrow(/inside a transaction/);
      await expect(store.pruneIdempotent(CUTOFF)).rejects.toThrow(/inside a transaction/);
    });
    expect((await store.journal.list()).length).toBe(1);
    expect(await store.transaction((tx) => tx.getIdempotent("k"))).toBeDefined();
  });
}
