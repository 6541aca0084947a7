import { describe, expect, test } from "bun:test";
import { openMemoryStore } from "../../adapters/memory/index.ts";
import type { RecordStore } from "../ports.ts";
import { LIST_MAX_AGE_MS, listCache } from "./list-cache.ts";

const key = (id: string) => ({ id, name: id, public_key: "ssh-ed25519 AAAA", created: "2024-01-01T00:00:00" });

/** The memory store, counting how often a list is built. */
function counting(store: RecordStore) {
  let builds = 0;
  const reader = { ...store, listJson: (c: Parameters<RecordStore["listJson"]>[0]) => (builds++, store.listJson(c)) };
  return { reader, builds: () => builds };
}

describe("list cache", () => {
  test("a list is built once per change of its collection and handed out as the same bytes until then", async () => {
    const store = openMemoryStore();
    const { reader, builds } = counting(store);
    let now = 0;
    const lists = listCache(reader, () => now);
    await store.transaction((tx) => tx.insert("public_keys", "a", key("a")));
    const first = await lists.json("public_keys");
    expect(await lists.json("public_keys")).toBe(first);
    expect(await Promise.all([1, 2, 3].map(() => lists.json("public_keys")))).toEqual([first, first, first]);
    expect(builds()).toBe(1);
    // Another collection's change leaves it alone; its own changes (also a soft delete) rebuild it.
    await store.transaction((tx) => tx.insert("jobs", "j", key("j") as never));
    expect(await lists.json("public_keys")).toBe(first);
    await store.transaction(async (tx) => {
      await tx.remove("public_keys", "a");
      await tx.upsert("deleted_public_keys", "a", { ...key("a"), deleted: "2024-01-02T00:00:00" });
    });
    const second = await lists.json("public_keys");
    expect(new TextDecoder().decode(second)).toBe("[]");
    expect(new TextDecoder().decode(await lists.json("deleted_public_keys"))).toContain('"deleted"');
    expect(builds()).toBe(3);
    // Past the maximum age it is rebuilt even when nothing logged a change.
    now += LIST_MAX_AGE_MS;
    expect(await lists.json("public_keys")).not.toBe(second);
    expect(builds()).toBe(4);
  });

  test("requests that arrive together after a change share one build; a failed build is not kept", async () => {
    const store = openMemoryStore();
    const { reader, builds } = counting(store);
    let fail = true;
    const flaky = { ...reader, listJson: (c: Parameters<RecordStore["listJson"]>[0]) => (fail ? Promise.reject(new Error("down")) : reader.listJson(c)) };
    const lists = listCache(flaky);
    await expect(lists.json("images")).rejects.toThrow("down");
    fail = false;
    const [a, b] = await Promise.all([lists.json("images"), lists.json("images")]);
    expect(a).toBe(b);
    expect(builds()).toBe(1);
  });
});
