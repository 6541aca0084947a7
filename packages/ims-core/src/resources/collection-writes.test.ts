/**
 * Collection-wide deletes, purges and undeletes go in bounded batches: far fewer transactions
 * than records, records created meanwhile are left alone, and a record changed between the
 * batch's read and its write is still handled (one by one).
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { openFixture, type Fixture } from "../../adapters/test-fixture.ts";
import { openMemoryStore } from "../../adapters/memory/index.ts";
import type { RecordStore } from "../ports.ts";

const RECORDS = 3000;
const key = (i: number) => ({ name: `k${i}`, public_key: `ssh-ed25519 AAAA${i}` });

/** The memory store, counting transactions and running `onPage` once after the first page is read. */
function instrumented(onPage: (store: RecordStore) => Promise<void>) {
  const store = openMemoryStore();
  let transactions = 0;
  let pages = 0;
  const wrapped: RecordStore = {
    ...store,
    transaction: (fn) => (transactions++, store.transaction(fn)),
    listPage: async (c, after, limit) => {
      const page = await store.listPage(c, after, limit);
      if (pages++ === 0) await onPage(store);
      return page;
    },
  };
  return { store: wrapped, transactions: () => transactions };
}

let f: Fixture;
let counted: ReturnType<typeof instrumented>;
const late = { id: "late", name: "late", public_key: "ssh-ed25519 LATE", created: "2024-01-01T00:00:00" };
beforeEach(async () => {
  counted = instrumented(async (s) => {
    // Created (and one listed key changed) while the walk runs.
    await s.transaction(async (tx) => {
      await tx.insert("public_keys", "late", late);
      const [first] = await tx.list("public_keys");
      await tx.update("public_keys", first!.data.id, { ...first!.data, name: "changed" });
    });
  });
  f = await openFixture({ store: counted.store });
});
afterEach(() => f.cleanup());

async function seed(): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < RECORDS; i += 500) {
    const batch = await Promise.all(Array.from({ length: 500 }, (_, j) => f.ims.publicKeys.create(key(i + j))));
    ids.push(...batch.map((b) => b.data.id));
  }
  return ids;
}

describe("collection-wide writes", () => {
  test("a v3 delete of every key moves each one in few transactions, and leaves one created meanwhile", async () => {
    const ids = await seed();
    const before = counted.transactions();
    await f.ims.publicKeys.deleteAll({ mode: "soft" });
    const used = counted.transactions() - before - 1; // the one that created "late"
    expect(used).toBeLessThan(RECORDS / 4);
    expect((await f.store.list("public_keys")).map((r) => r.data.id)).toEqual(["late"]);
    const deleted = await f.store.list("deleted_public_keys");
    expect(deleted.map((r) => r.data.id).sort()).toEqual([...ids].sort());
    expect(deleted.find((r) => r.data.id === ids[0])!.data.name).toBe("changed"); // redone with its fresh data
  });

  test("a v2 delete, an undelete of every key and a purge of every key do the same", async () => {
    const ids = await seed();
    await f.ims.publicKeys.deleteAll({ mode: "hard", cascade: true });
    expect((await f.store.list("public_keys")).map((r) => r.data.id)).toEqual(["late"]);
    await f.ims.publicKeys.delete("late", { mode: "soft" });
    for (const id of ids.slice(0, 100)) await f.store.transaction((tx) => tx.upsert("deleted_public_keys", id, { ...late, id, deleted: "2024-01-02T00:00:00" }));
    const before = counted.transactions();
    await f.ims.deletedPublicKeys.undeleteAll({ operation: "undelete" });
    expect(counted.transactions() - before).toBeLessThan(101 / 4);
    expect((await f.store.list("public_keys")).length).toBe(101);
    await f.ims.publicKeys.deleteAll({ mode: "soft" });
    await f.ims.deletedPublicKeys.deleteAll();
    expect(await f.store.count("deleted_public_keys")).toBe(0);
    expect(await f.store.count("public_keys")).toBe(0);
  });
});
