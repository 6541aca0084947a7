/**
 * The change log and group commit, part of the RecordStore contract (store-contract.ts runs it
 * for every adapter): every committed write is one change a client understands, in commit order,
 * and only committed ones; a list's version moves exactly when its family changes; transactions
 * that arrive together fail alone.
 */
import { expect, test } from "bun:test";
import { RECORD_IN_CHANGE_MAX, type Change } from "../src/changes.ts";
import type { NewOperation, RecordStore } from "../src/ports.ts";
import { canonicalJson } from "../src/python-json.ts";
import type { Image } from "../src/records.ts";

const image = (id: string, name = "img"): Image => ({ id, created: "2024-03-01T10:00:00", name, link: null, arch: "x86_64", metadata: {} });
const deleted = (id: string) => ({ ...image(id), deleted: "2024-03-02T00:00:00" });
const operation = (id: string, recordId: string): NewOperation => ({
  id,
  action: "soft delete image",
  collection: "images",
  recordId,
  steps: [{ op: "remove", ref: { bucket: "b", key: `${recordId}/x` } }],
  created: "2024-03-01T10:00:00",
});

/** What a change says, without its seq and time. */
const said = (c: Change) => [c.collection, c.id, c.change, c.version, c.record === null ? null : JSON.parse(c.record)];
const all = async (store: RecordStore, after = 0) => (await store.changes.after(after, 1000)).map(said);

export function changesContract(get: () => { store: RecordStore; reopen?: () => Promise<RecordStore> }): void {
  test("each committed write is one change, in commit order, with the record's new version and the record", async () => {
    const { store } = get();
    await store.transaction(async (tx) => {
      await tx.insert("images", "a", image("a"));
      await tx.insert("jobs", "j", image("j") as never);
    });
    await store.transaction((tx) => tx.update("images", "a", image("a", "second")));
    // v3 delete: moved to the deleted collection, and its artifact work journaled
    await store.transaction(async (tx) => {
      await tx.remove("images", "a");
      await tx.upsert("deleted_images", "a", deleted("a"));
      await tx.enqueue(operation("op1", "a"));
    });
    // undelete, then v3 delete and purge, then a hard (v2) delete of another record
    await store.transaction(async (tx) => {
      await tx.remove("deleted_images", "a");
      await tx.upsert("images", "a", image("a", "back"));
    });
    await store.transaction(async (tx) => {
      await tx.remove("images", "a");
      await tx.upsert("deleted_images", "a", deleted("a"));
    });
    await store.transaction((tx) => tx.remove("deleted_images", "a"));
    await store.transaction((tx) => tx.remove("jobs", "j"));
    await store.transaction((tx) => tx.upsert("remote_build_nodes", "x1", { xname: "x1" }));
    await store.transaction((tx) => tx.removeAll("remote_build_nodes"));
    const changes = await store.changes.after(0, 1000);
    expect(changes.map(said)).toEqual([
      ["images", "a", "created", 1, image("a")],
      ["jobs", "j", "created", 1, image("j")],
      ["images", "a", "updated", 2, image("a", "second")],
      ["images", "a", "deleted", 1, deleted("a")],
      ["operations", "op1", "pending", null, expect.objectContaining({ id: "op1", recordId: "a", state: "pending", nextStep: 0 })],
      ["images", "a", "undeleted", 1, image("a", "back")],
      ["images", "a", "deleted", 1, deleted("a")],
      ["images", "a", "purged", 1, null],
      ["jobs", "j", "deleted", 1, null],
      ["remote-build-nodes", "x1", "created", 1, { xname: "x1" }],
      ["remote-build-nodes", "x1", "deleted", 1, null],
    ]);
    expect(changes[4]!.recordId).toBe("a");
    const seqs = changes.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(changes.every((c) => Math.abs(c.at - Date.now()) < 60_000)).toBe(true);
    expect((await store.changes.after(seqs[8]!, 1000)).map((c) => c.seq)).toEqual(seqs.slice(9));
    expect(await store.changes.after(seqs[8]!, 1)).toHaveLength(1);
    expect(await store.changes.bounds()).toEqual({ latest: seqs.at(-1)!, prunedThrough: 0 });
  });

  test("a rolled-back transaction logs nothing; in a group, one that throws fails alone", async () => {
    const { store } = get();
    const boom = new Error("boom");
    await expect(
      store.transaction(async (tx) => {
        await tx.insert("images", "gone", image("gone"));
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await all(store)).toEqual([]);
    // Three at once: they share a commit, the middle one's writes are undone, its neighbours' stay.
    const results = await Promise.allSettled([
      store.transaction((tx) => tx.insert("images", "first", image("first", "first"))),
      store.transaction(async (tx) => {
        await tx.insert("images", "second", image("second"));
        await tx.update("images", "first", image("first", "changed by the failing one"));
        throw boom;
      }),
      store.transaction(async (tx) => {
        await tx.insert("images", "third", image("third"));
        return (await tx.get("images", "first"))!.data.name;
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toBe(boom);
    expect((results[2] as PromiseFulfilledResult<string>).value).toBe("first"); // the undone update is not seen
    expect((await store.list("images")).map((r) => r.data.id)).toEqual(["first", "third"]);
    expect((await store.get("images", "first"))!.data.name).toBe("first");
    expect(await all(store)).toEqual([
      ["images", "first", "created", 1, image("first", "first")],
      ["images", "third", "created", 1, image("third")],
    ]);
  });

  test("more transactions at once than one group takes: every one commits, each awaiting real work", async () => {
    const { store } = get();
    const ids = Array.from({ length: 600 }, (_, i) => `k${i}`);
    // A turn of the event loop inside each: the next group is scheduled while this one still runs.
    const settled = await Promise.allSettled(
      ids.map((id) =>
        store.transaction(async (tx) => {
          await new Promise((r) => setImmediate(r));
          await tx.insert("public_keys", id, { id, name: id, public_key: "ssh-ed25519 AAAA", created: "2024-03-01T10:00:00" });
        }),
      ),
    );
    expect(settled.filter((r) => r.status === "rejected")).toEqual([]);
    expect(await store.count("public_keys")).toBe(600);
    expect((await store.changes.after(0, 1000)).length).toBe(600);
  });

  test("listVersion moves when its family changes, and only then; a deleted record is of its live family", async () => {
    const { store, reopen } = get();
    const versions = async (s: RecordStore) => Promise.all((["images", "deleted_images", "jobs", "public_keys"] as const).map((c) => s.listVersion(c)));
    const [images0, deleted0, jobs0, keys0] = await versions(store);
    await store.transaction((tx) => tx.insert("images", "a", image("a")));
    const [images1, deleted1, jobs1, keys1] = await versions(store);
    expect(images1).toBeGreaterThan(images0!);
    expect(deleted1).toBe(images1!);
    expect([jobs1, keys1]).toEqual([jobs0, keys0]);
    await store.transaction((tx) => tx.insert("jobs", "j", image("j") as never));
    const [images2, , jobs2] = await versions(store);
    expect(images2).toBe(images1!);
    expect(jobs2).toBeGreaterThan(images1!);
    // A failed transaction moves nothing.
    await store.transaction(async (tx) => {
      await tx.insert("images", "b", image("b"));
      throw new Error("no");
    }).catch(() => {});
    expect(await versions(store)).toEqual(await versions(store));
    expect((await versions(store))[0]).toBe(images1!);
    expect(deleted0).toBe(images0!);
    if (!reopen) return;
    // Another process's commit moves it too, once the event loop turns.
    const other = await reopen();
    await other.transaction((tx) => tx.update("images", "a", image("a", "elsewhere")));
    await new Promise((r) => setImmediate(r));
    expect(await store.listVersion("images")).toBeGreaterThan(images2!);
  });

  test("an operation's change of state is a change; its progress otherwise is not", async () => {
    const { store } = get();
    await store.transaction((tx) => tx.enqueue(operation("op1", "r1")));
    await store.journal.claim("w", 10, 1000);
    await store.journal.progress("op1", { nextStep: 1, leaseUntil: 5 });
    await store.journal.progress("op1", { state: "done", lastError: "a note" });
    await store.journal.progress("op1", { state: "failed" });
    const changes = await store.changes.after(0, 100);
    expect(changes.map((c) => [c.collection, c.id, c.change, c.recordId])).toEqual([
      ["operations", "op1", "pending", "r1"],
      ["operations", "op1", "done", "r1"],
      ["operations", "op1", "failed", "r1"],
    ]);
    expect(JSON.parse(changes[1]!.record!)).toMatchObject({ state: "done", nextStep: 1, lastError: "a note" });
    await expect(store.journal.progress("nope", { state: "done" })).rejects.toThrow();
    expect(await store.changes.after(changes[2]!.seq, 100)).toEqual([]);
  });

  test("a record too large to carry is left out of its change; awkward text survives", async () => {
    const { store } = get();
    const big = image("big", "x".repeat(RECORD_IN_CHANGE_MAX));
    const awkward = image("awk", "nul\u0000 lone \ud800 sep\u2028 quote\" back\\ {a,b}");
    await store.transaction(async (tx) => {
      await tx.insert("images", "big", big);
      await tx.insert("images", "awk", awkward);
    });
    const [b, a] = await store.changes.after(0, 10);
    expect(b!.record).toBeNull();
    expect(b!.version).toBe(1);
    expect(a!.record === canonicalJson(awkward)).toBe(true);
  });

  test("onCommit wakes after a commit that changed something", async () => {
    const { store } = get();
    let wakes = 0;
    const stop = store.changes.onCommit(() => wakes++);
    await store.transaction((tx) => tx.insert("images", "a", image("a")));
    expect(wakes).toBeGreaterThan(0);
    stop();
    const before = wakes;
    await store.transaction((tx) => tx.insert("images", "b", image("b")));
    expect(wakes).toBe(before);
  });

  test("prune removes changes older than the cutoff but each family's newest, and says how far", async () => {
    const { store } = get();
    for (const id of ["a", "b", "c"]) await store.transaction((tx) => tx.insert("images", id, image(id)));
    await store.transaction((tx) => tx.insert("jobs", "j", image("j") as never));
    const [a, b, c, j] = await store.changes.after(0, 10);
    expect(await store.changes.prune(0)).toBe(0);
    const listVersion = await store.listVersion("images");
    expect(await store.changes.prune(Date.now() + 60_000)).toBe(2);
    expect((await store.changes.after(0, 10)).map((x) => x.seq)).toEqual([c!.seq, j!.seq]);
    expect(await store.changes.bounds()).toEqual({ latest: j!.seq, prunedThrough: b!.seq });
    expect(await store.listVersion("images")).toBe(listVersion);
    expect(a!.seq).toBeLessThan(b!.seq);
  });
}
