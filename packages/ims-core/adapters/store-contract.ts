/**
 * The RecordStore contract: one bun:test suite that every store adapter must pass.
 * `open` gives a store over empty data; `reopen`, when given, opens another store on the same
 * data (a restart, or a second process); `cleanup` closes the store and frees its data.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { NewOperation, RecordStore } from "../src/ports.ts";
import { COLLECTIONS, type Image } from "../src/records.ts";
import { canonicalJson } from "../src/python-json.ts";
import { metaContract } from "./meta-contract.ts";
import { changesContract } from "./changes-contract.ts";
import { retentionContract } from "./retention-contract.ts";

export interface StoreFixture {
  store: RecordStore;
  reopen?: () => Promise<RecordStore>;
  cleanup: () => Promise<void>;
}

const image = (id: string, name = "img", metadata: Record<string, string> = {}): Image => ({
  id,
  created: "2024-03-01T10:00:00.123456",
  name,
  link: null,
  arch: "x86_64",
  metadata,
});

const operation = (id: string, recordId = "r1"): NewOperation => ({
  id,
  action: "soft-delete image",
  collection: "images",
  recordId,
  steps: [
    { op: "copy", from: { bucket: "b", key: `${recordId}/m.json` }, to: { bucket: "b", key: `deleted/${recordId}/m.json` } },
    { op: "remove", ref: { bucket: "b", key: `${recordId}/m.json` } },
  ],
  created: "2024-03-01T10:00:00",
});

/** Strings that break naive storage: control characters, NUL, lone surrogates, U+2028/9, quoting. */
const AWKWARD = [
  "line1\nline2\r\nline3\ttab",
  "nul\u0000inside\u0000",
  "lone high \ud800 and low \udc00, reversed \udc00\ud800",
  "\ud83d",
  "pair 😀 é ß 中文",
  "sep\u2028para\u2029end\u0085",
  "'; DROP TABLE records; -- \" \\ $1 ?",
  "",
];
const MEGABYTE = "0123456789abcdef\u00e9\u2028\ud800\u0000".repeat(1 << 16).slice(0, 1 << 20);

/** Strict: listJson must be valid UTF-8. */
const utf8 = (bytes: Uint8Array) => new TextDecoder("utf-8", { fatal: true }).decode(bytes);

const ids = (rows: { data: { id?: string; xname?: string } }[]) => rows.map((r) => r.data.id ?? r.data.xname);
const tick = () => Bun.sleep(1);

async function snapshot(store: RecordStore, idempotencyKeys: string[] = []) {
  const records: Record<string, unknown> = {};
  for (const c of COLLECTIONS) records[c] = await store.list(c);
  const idempotency = await store.transaction(async (tx) =>
    Promise.all(idempotencyKeys.map((k) => tx.getIdempotent(k))),
  );
  return { records, operations: await store.journal.list(), idempotency };
}

/** 50 read-modify-write increments of one counter, spread over `stores`, all started at once. */
async function increments(stores: RecordStore[], n = 50): Promise<void> {
  await stores[0].transaction((tx) => tx.insert("images", "counter", image("counter", "0")));
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      stores[i % stores.length].transaction(async (tx) => {
        const current = (await tx.get("images", "counter"))!;
        await tick(); // give another transaction every chance to interleave
        await tx.update("images", "counter", image("counter", String(Number(current.data.name) + 1)));
      }),
    ),
  );
}

export function runStoreContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`RecordStore contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: RecordStore;
    const extra: RecordStore[] = [];
    const reopen = async () => {
      const s = await fixture.reopen!();
      extra.push(s);
      return s;
    };

    let opened = false; // when open() fails, the test reports that error and nothing is cleaned up

    beforeEach(async () => {
      opened = false;
      fixture = await open();
      store = fixture.store;
      opened = true;
    });
    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close();
      if (opened) await fixture.cleanup();
    });

    describe("records", () => {
      test("insert keeps insertion order; get, list and count read it back", async () => {
        const order = ["c", "a", "e", "b", "d"];
        await store.transaction(async (tx) => {
          for (const id of order) await tx.insert("images", id, image(id, `name-${id}`));
          await tx.insert("remote_build_nodes", "x1", { xname: "x1" });
        });
        expect(ids(await store.list("images"))).toEqual(order);
        expect(await store.count("images")).toBe(5);
        expect(await store.count("remote_build_nodes")).toBe(1);
        expect(await store.count("jobs")).toBe(0);
        expect(await store.list("jobs")).toEqual([]);
        expect(await store.get("images", "e")).toEqual({ data: image("e", "name-e"), version: 1 });
        expect(await store.get("images", "zz")).toBeUndefined();
        expect(await store.get("recipes", "a")).toBeUndefined();
      });

      test("stored JSON is jsonify's: keys sorted by code point at every level, integer-like keys too", async () => {
        const metadata = { "9": "nine", "10": "ten", b: "x", "\u{1F600}": "astral", "\uFF01": "bmp" };
        await store.transaction((tx) => tx.insert("images", "k", image("k", "keys", metadata)));
        const text = (await store.getJson("images", "k"))!.json;
        expect(text).toContain(`"metadata":{"10":"ten","9":"nine","b":"x","\uFF01":"bmp","\u{1F600}":"astral"}`);
        expect(utf8(await store.listJson("images"))).toBe(`[${text}]`);
        expect((await store.get("images", "k"))!.data.metadata).toEqual(metadata);
        await store.transaction((tx) => tx.remove("images", "k"));
      });

      test("listJson is list's data as one UTF-8 JSON array, same bytes and order, also inside a transaction", async () => {
        const json = async () => {
          const bytes = await store.listJson("images");
          expect(bytes).toBeInstanceOf(Uint8Array);
          const text = utf8(bytes);
          expect(text).toBe(JSON.stringify((await store.list("images")).map((r) => r.data)));
          return text;
        };
        expect(utf8(await store.listJson("images"))).toBe("[]");
        await store.transaction(async (tx) => {
          for (const id of ["c", "a", "b", "d"]) await tx.insert("images", id, image(id, `n-${id}`, { [id]: AWKWARD[4] }));
          await tx.insert("recipes", "r", image("r") as never);
          expect(JSON.parse(utf8(await tx.listJson("images"))).map((r: Image) => r.id)).toEqual(["c", "a", "b", "d"]);
        });
        await store.transaction(async (tx) => {
          await tx.upsert("images", "a", image("a", "second"));
          await tx.remove("images", "c");
          await tx.insert("images", "c", image("c", "again"));
        });
        expect(JSON.parse(await json()).map((r: Image) => r.id)).toEqual(["a", "b", "d", "c"]);
        // getJson: one record's stored text and version, what get() parses
        const a = (await store.get("images", "a"))!;
        expect(await store.getJson("images", "a")).toEqual({ json: JSON.stringify(a.data), version: a.version });
        expect(a.version).toBe(2);
        expect(await store.getJson("images", "zz")).toBeUndefined();
        expect(await store.getJson("recipes", "a")).toBeUndefined();
        expect(await store.getJson("images", "bad\u0000key")).toBeUndefined();
        await store.transaction(async (tx) => {
          await tx.update("images", "b", image("b", "in tx"));
          expect(JSON.parse((await tx.getJson("images", "b"))!.json).name).toBe("in tx");
        });
        expect(JSON.parse(utf8(await store.listJson("recipes")))).toEqual([image("r")]);
        expect(utf8(await store.listJson("jobs"))).toBe("[]");
      });

      test("reads see this store's commits at once, and another store's once the event loop turns", async () => {
        await store.transaction((tx) => tx.insert("images", "a", image("a", "v1")));
        await store.transaction((tx) => tx.enqueue(operation("op1", "a")));
        expect((await store.get("images", "a"))!.data.name).toBe("v1");
        await store.transaction((tx) => tx.update("images", "a", image("a", "v2")));
        expect((await store.get("images", "a"))!.data.name).toBe("v2");
        expect(JSON.parse(utf8(await store.listJson("images")))[0].name).toBe("v2");
        await store.journal.claim("w", 10, 1000);
        expect((await store.journal.get("op1"))!.leaseUntil).toBe(1010);
        await store.journal.progress("op1", { state: "done" });
        expect((await store.journal.list({ state: "pending" })).length).toBe(0);
        if (!fixture.reopen) return;
        const other = await reopen();
        expect((await store.get("images", "a"))!.data.name).toBe("v2");
        await other.transaction((tx) => tx.update("images", "a", image("a", "v3")));
        await new Promise((r) => setImmediate(r));
        expect((await store.get("images", "a"))!.data.name).toBe("v3");
        expect(JSON.parse(utf8(await store.listJson("images")))[0].name).toBe("v3");
      });

      test("insert of an existing id throws, changes nothing, and the transaction goes on", async () => {
        await store.transaction((tx) => tx.insert("images", "a", image("a", "first")));
        await store.transaction(async (tx) => {
          await expect(tx.insert("images", "a", image("a", "second"))).rejects.toThrow();
          await tx.insert("images", "b", image("b"));
        });
        expect(await store.get("images", "a")).toEqual({ data: image("a", "first"), version: 1 });
        expect(ids(await store.list("images"))).toEqual(["a", "b"]);
      });

      test("listPage walks a collection in insertion order, a page at a time, and names its newest position", async () => {
        expect(await store.listPage("images", 0, 10)).toEqual({ records: [], last: 0 });
        await store.transaction(async (tx) => {
          for (const id of ["c", "a", "e", "b"]) await tx.insert("images", id, image(id));
          await tx.insert("jobs", "j", image("j") as never);
        });
        await store.transaction(async (tx) => {
          await tx.remove("images", "a");
          await tx.insert("images", "a", image("a", "again")); // a re-insert goes last
          await tx.upsert("images", "c", image("c", "second")); // an upsert keeps its place
        });
        const first = await store.listPage("images", 0, 2);
        expect(first.records.map((r) => [r.data.id, r.version])).toEqual([["c", 2], ["e", 1]]);
        const second = await store.listPage("images", first.records[1]!.position, 10);
        expect(second.records.map((r) => r.data)).toEqual([image("b"), image("a", "again")]);
        const positions = [...first.records, ...second.records].map((r) => r.position);
        expect(positions).toEqual([...positions].sort((x, y) => x - y));
        expect(first.last).toBe(positions.at(-1)!);
        expect(second.last).toBe(first.last);
        expect(await store.listPage("images", first.last, 10)).toEqual({ records: [], last: first.last });
        expect((await store.listPage("jobs", 0, 10)).records.map((r) => r.data.id)).toEqual(["j"]);
      });

      test("many lookups at once (one turn) each get their own record, across collections, missing and awkward ids", async () => {
        const awkwardIds = ['a,b', '{c}', 'd"e', "f\\g", "h i", "é", "NULL", ""];
        await store.transaction(async (tx) => {
          for (const id of awkwardIds) await tx.insert("images", id, image(id, `image ${id}`));
          await tx.insert("recipes", "a,b", image("a,b", "recipe") as never);
        });
        const wanted = [...awkwardIds.map((id) => ["images", id] as const), ["recipes", "a,b"] as const, ["jobs", "a,b"] as const, ["images", "missing"] as const];
        const found = await Promise.all(wanted.map(([c, id]) => store.getJson(c, id)));
        expect(found.map((f) => (f ? JSON.parse(f.json).name : undefined))).toEqual([...awkwardIds.map((id) => `image ${id}`), "recipe", undefined, undefined]);
        const parsed = await Promise.all(wanted.map(([c, id]) => store.get(c, id)));
        expect(parsed.map((p) => (p?.data as { name?: string } | undefined)?.name)).toEqual(found.map((f) => (f ? JSON.parse(f.json).name : undefined)));
      });

      test("the same id may live in different collections", async () => {
        await store.transaction(async (tx) => {
          await tx.insert("images", "same", image("same"));
          await tx.insert("deleted_images", "same", { ...image("same"), deleted: "2024-03-02T00:00:00" });
        });
        expect(await store.count("images")).toBe(1);
        expect((await store.get("deleted_images", "same"))?.data.deleted).toBe("2024-03-02T00:00:00");
      });

      test("upsert replaces in place (version + 1) or adds at the end (version 1)", async () => {
        await store.transaction(async (tx) => {
          for (const id of ["a", "b", "c"]) await tx.insert("images", id, image(id));
        });
        await store.transaction(async (tx) => {
          await tx.upsert("images", "b", image("b", "replaced"));
          await tx.upsert("images", "d", image("d"));
        });
        expect(ids(await store.list("images"))).toEqual(["a", "b", "c", "d"]);
        expect(await store.get("images", "b")).toEqual({ data: image("b", "replaced"), version: 2 });
        expect((await store.get("images", "d"))?.version).toBe(1);
      });

      test("update without ifVersion: version grows by one per write; missing -> undefined", async () => {
        await store.transaction((tx) => tx.insert("images", "a", image("a")));
        expect(await store.transaction((tx) => tx.update("images", "a", image("a", "v2")))).toBe(2);
        expect(await store.transaction((tx) => tx.update("images", "a", image("a", "v3")))).toBe(3);
        expect(await store.get("images", "a")).toEqual({ data: image("a", "v3"), version: 3 });
        expect(await store.transaction((tx) => tx.update("images", "zz", image("zz")))).toBeUndefined();
        expect(await store.count("images")).toBe(1);
      });

      test("update with ifVersion writes only when the version still matches", async () => {
        await store.transaction((tx) => tx.insert("images", "a", image("a")));
        expect(await store.transaction((tx) => tx.update("images", "a", image("a", "v2"), 1))).toBe(2);
        expect(await store.transaction((tx) => tx.update("images", "a", image("a", "stale"), 1))).toBeUndefined();
        expect(await store.transaction((tx) => tx.update("images", "a", image("a", "odd"), 1.5))).toBeUndefined();
        expect(await store.get("images", "a")).toEqual({ data: image("a", "v2"), version: 2 });
        expect(await store.transaction((tx) => tx.update("images", "a", image("a", "v3"), 2))).toBe(3);
      });

      test("remove with and without ifVersion; a re-inserted id goes to the end at version 1", async () => {
        await store.transaction(async (tx) => {
          for (const id of ["a", "b", "c"]) await tx.insert("images", id, image(id));
          await tx.update("images", "a", image("a", "v2"));
        });
        expect(await store.transaction((tx) => tx.remove("images", "a", 1))).toBe(false);
        expect(await store.count("images")).toBe(3);
        expect(await store.transaction((tx) => tx.remove("images", "a", 2))).toBe(true);
        expect(await store.transaction((tx) => tx.remove("images", "a"))).toBe(false);
        expect(await store.transaction((tx) => tx.remove("images", "b"))).toBe(true);
        await store.transaction((tx) => tx.insert("images", "a", image("a", "again")));
        expect(ids(await store.list("images"))).toEqual(["c", "a"]);
        expect((await store.get("images", "a"))?.version).toBe(1);
      });

      test("removeAll empties one collection and returns how many it removed", async () => {
        await store.transaction(async (tx) => {
          for (const id of ["a", "b", "c"]) await tx.insert("images", id, image(id));
          await tx.insert("remote_build_nodes", "x1", { xname: "x1" });
        });
        expect(await store.transaction((tx) => tx.removeAll("images"))).toBe(3);
        expect(await store.transaction((tx) => tx.removeAll("images"))).toBe(0);
        expect(await store.count("images")).toBe(0);
        expect(await store.count("remote_build_nodes")).toBe(1);
      });

      test("stored data is a copy: later mutation of inputs or outputs changes nothing", async () => {
        const data = image("a", "orig", { k: "v" });
        await store.transaction((tx) => tx.insert("images", "a", data));
        data.metadata.k = "mutated";
        const read = (await store.get("images", "a"))!;
        expect(read.data.metadata.k).toBe("v");
        read.data.name = "mutated";
        expect((await store.get("images", "a"))?.data.name).toBe("orig");
      });

      test("keys holding NUL or lone surrogates are refused on write and never found", async () => {
        for (const bad of ["a\u0000b", "x\ud800"]) {
          await expect(store.transaction((tx) => tx.insert("images", bad, image(bad)))).rejects.toThrow();
          await expect(store.transaction((tx) => tx.upsert("images", bad, image(bad)))).rejects.toThrow();
          expect(await store.get("images", bad)).toBeUndefined();
          await store.transaction(async (tx) => {
            expect(await tx.get("images", bad)).toBeUndefined();
            expect(await tx.update("images", bad, image(bad))).toBeUndefined();
            expect(await tx.remove("images", bad)).toBe(false);
            expect(await tx.getIdempotent(bad)).toBeUndefined();
          });
          expect(await store.journal.get(bad)).toBeUndefined();
        }
        expect(await store.count("images")).toBe(0);
      });
    });

    describe("transactions", () => {
      test("return the callback's value; a transaction sees its own writes, others see them after commit", async () => {
        const result = await store.transaction(async (tx) => {
          await tx.insert("images", "a", image("a"));
          expect((await tx.get("images", "a"))?.version).toBe(1);
          expect(await tx.count("images")).toBe(1);
          expect(ids(await tx.list("images"))).toEqual(["a"]);
          expect(await store.get("images", "a")).toBeUndefined();
          expect(await store.count("images")).toBe(0);
          return "done";
        });
        expect(result).toBe("done");
        expect(await store.count("images")).toBe(1);
      });

      test("a thrown error rolls back every write, including enqueue, putIdempotent and removeIdempotent", async () => {
        await store.transaction(async (tx) => {
          for (const id of ["a", "b"]) await tx.insert("images", id, image(id));
          await tx.insert("remote_build_nodes", "x1", { xname: "x1" });
          await tx.putIdempotent("k1", { fingerprint: "f", status: 201, body: "{}", created: "t" });
        });
        const before = await snapshot(store, ["k1", "k2"]);
        const boom = new Error("boom");
        const failing = store.transaction(async (tx) => {
          await tx.insert("images", "c", image("c"));
          await tx.upsert("images", "a", image("a", "changed"));
          await tx.update("images", "b", image("b", "changed"));
          await tx.remove("images", "b");
          await tx.removeAll("remote_build_nodes");
          await tx.enqueue(operation("op1"));
          await tx.putIdempotent("k1", { fingerprint: "g", status: 200, body: "x", created: "u" });
          await tx.putIdempotent("k2", { fingerprint: "g", status: 200, body: "x", created: "u" });
          await tx.removeIdempotent("k1");
          throw boom;
        });
        await expect(failing).rejects.toBe(boom);
        expect(await snapshot(store, ["k1", "k2"])).toEqual(before);
        expect(await store.journal.get("op1")).toBeUndefined();
        // the store still works after a rollback
        await store.transaction((tx) => tx.insert("images", "c", image("c")));
        expect(ids(await store.list("images"))).toEqual(["a", "b", "c"]);
      });

      test("concurrent transactions do not interleave: 50 read-modify-write increments give 50", async () => {
        await increments([store]);
        expect(await store.get("images", "counter")).toEqual({ data: image("counter", "50"), version: 51 });
      });

      test("transactions run one after the other, in call order", async () => {
        const events: string[] = [];
        await Promise.all(
          [1, 2, 3, 4].map((i) =>
            store.transaction(async (tx) => {
              events.push(`start ${i}`);
              await tx.count("images");
              await tick();
              events.push(`end ${i}`);
            }),
          ),
        );
        expect(events).toEqual(["start 1", "end 1", "start 2", "end 2", "start 3", "end 3", "start 4", "end 4"]);
      });

      test("lock(name) serialises transactions that take it", async () => {
        const events: string[] = [];
        const holder = (label: string, lockName: string) =>
          store.transaction(async (tx) => {
            await tx.lock(lockName);
            events.push(`${label} in`);
            await tick();
            events.push(`${label} out`);
          });
        await Promise.all([holder("a", "remote-build-nodes"), holder("b", "remote-build-nodes"), holder("c", "other")]);
        expect(events).toHaveLength(6);
        for (const label of ["a", "b"]) {
          const at = events.indexOf(`${label} in`);
          expect(events[at + 1]).toBe(`${label} out`);
        }
        await store.transaction(async (tx) => {
          await tx.lock("same");
          await tx.lock("same"); // taking a lock twice in one transaction is fine
        });
      });

      test("calling the store's own transaction or journal writes from inside a transaction throws", async () => {
        await store.transaction(async () => {
          await expect(store.transaction(async () => 1)).rejects.toThrow(/inside a transaction/);
          await expect(store.journal.claim("w", Date.now(), 1000)).rejects.toThrow(/inside a transaction/);
        });
      });

      test("a tx object cannot be used after its transaction ended", async () => {
        let leaked: Parameters<Parameters<RecordStore["transaction"]>[0]>[0] | undefined;
        await store.transaction(async (tx) => {
          leaked = tx;
        });
        await expect(leaked!.insert("images", "late", image("late"))).rejects.toThrow();
        expect(await store.get("images", "late")).toBeUndefined();
      });
    });

    describe("operation journal", () => {
      test("enqueue inside a transaction is visible only after commit, as a fresh pending op", async () => {
        const op = operation("op1");
        await store.transaction(async (tx) => {
          await tx.enqueue(op);
          expect(await store.journal.get("op1")).toBeUndefined();
          expect(await store.journal.list()).toEqual([]);
        });
        expect(await store.journal.get("op1")).toEqual({
          ...op,
          state: "pending",
          nextStep: 0,
          attempts: 0,
          lastError: null,
          updated: op.created,
          leaseUntil: 0,
        });
        expect(await store.journal.get("nope")).toBeUndefined();
      });

      test("enqueue of an id already in the journal throws", async () => {
        await store.transaction((tx) => tx.enqueue(operation("op1")));
        await expect(store.transaction((tx) => tx.enqueue(operation("op1")))).rejects.toThrow();
        await expect(
          store.transaction(async (tx) => {
            await tx.enqueue(operation("op2"));
            await tx.enqueue(operation("op2"));
          }),
        ).rejects.toThrow();
        expect((await store.journal.list()).map((o) => o.id)).toEqual(["op1"]);
      });

      test("claim takes the oldest pending op whose lease ended before now", async () => {
        await store.transaction(async (tx) => {
          for (const id of ["op1", "op2", "op3"]) await tx.enqueue(operation(id, `rec-${id}`));
        });
        const j = store.journal;
        expect(await j.claim("w1", 1000, 100)).toMatchObject({ id: "op1", leaseUntil: 1100, state: "pending" });
        expect((await j.get("op1"))?.leaseUntil).toBe(1100);
        expect((await j.claim("w2", 1000, 100))?.id).toBe("op2");
        await j.progress("op2", { state: "done" });
        expect((await j.claim("w1", 1050, 100))?.id).toBe("op3");
        expect(await j.claim("w1", 1050, 100)).toBeUndefined();
        expect(await j.claim("w1", 1100, 100)).toBeUndefined(); // lease must be strictly over
        expect(await j.claim("w1", 1101, 100)).toMatchObject({ id: "op1", leaseUntil: 1201 });
      });

      test("concurrent claims never return the same op", async () => {
        await store.transaction(async (tx) => {
          for (let i = 0; i < 20; i++) await tx.enqueue(operation(`op${i}`, `rec${i}`));
        });
        const claims = await Promise.all(Array.from({ length: 40 }, (_, i) => store.journal.claim(`w${i}`, 5000, 60_000)));
        const claimed = claims.filter((c) => c !== undefined).map((c) => c.id);
        expect(claimed).toHaveLength(20);
        expect(new Set(claimed).size).toBe(20);
      });

      test("operations of one record run in order: a later one waits until the earlier is no longer pending", async () => {
        await store.transaction(async (tx) => {
          await tx.enqueue(operation("a1", "A"));
          await tx.enqueue(operation("a2", "A"));
          await tx.enqueue(operation("b1", "B"));
        });
        const j = store.journal;
        expect((await j.claim("w1", 1000, 100))?.id).toBe("a1");
        expect((await j.claim("w2", 1000, 100))?.id).toBe("b1"); // a2 must wait for a1
        expect(await j.claim("w3", 1000, 100)).toBeUndefined();
        await j.progress("a1", { state: "done" });
        expect((await j.claim("w3", 1000, 100))?.id).toBe("a2");
      });

      test("claim with an id takes that op only when it is runnable, keeping record order and leases", async () => {
        await store.transaction(async (tx) => {
          await tx.enqueue(operation("a1", "A"));
          await tx.enqueue(operation("a2", "A"));
          await tx.enqueue(operation("b1", "B"));
        });
        const j = store.journal;
        expect(await j.claim("w1", 1000, 100, "a2")).toBeUndefined(); // a1 of the same record is still pending
        expect((await j.claim("w1", 1000, 100, "b1"))?.id).toBe("b1"); // not the oldest, but runnable
        expect(await j.claim("w2", 1050, 100, "b1")).toBeUndefined(); // leased by w1
        expect(await j.claim("w2", 1000, 100, "nope")).toBeUndefined();
        expect(await j.claim("w2", 1000, 100, "x'; DROP TABLE operations; --")).toBeUndefined();
        await j.progress("a1", { state: "done" });
        expect((await j.claim("w2", 1000, 100, "a2"))?.id).toBe("a2");
        await j.progress("b1", { state: "done" });
        expect(await j.claim("w3", 5000, 100, "b1")).toBeUndefined(); // done ops are never claimed
        expect((await j.list()).map((o) => o.id)).toEqual(["a1", "a2", "b1"]);
      });

      test("summary counts operations by state and names when the oldest pending one was created", async () => {
        expect(await store.journal.summary()).toEqual({ counts: { pending: 0, done: 0, failed: 0 }, oldestPendingCreated: null });
        await store.transaction(async (tx) => {
          for (const [id, created] of [["op1", "2024-03-01T10:00:01"], ["op2", "2024-03-01T10:00:02"], ["op3", "2024-03-01T10:00:03"]] as const) {
            await tx.enqueue({ ...operation(id, `rec-${id}`), created });
          }
        });
        await store.journal.progress("op1", { state: "done" });
        await store.journal.progress("op3", { state: "failed" });
        expect(await store.journal.summary()).toEqual({ counts: { pending: 1, done: 1, failed: 1 }, oldestPendingCreated: "2024-03-01T10:00:02" });
        await store.journal.progress("op2", { state: "done" });
        expect(await store.journal.summary()).toEqual({ counts: { pending: 0, done: 2, failed: 1 }, oldestPendingCreated: null });
      });

      test("progress updates exactly the given fields; unknown id throws", async () => {
        const op = operation("op1");
        await store.transaction((tx) => tx.enqueue(op));
        const j = store.journal;
        await j.progress("op1", { nextStep: 1, attempts: 1, lastError: "S3 said:\nno", updated: "2024-03-01T10:00:01" });
        expect(await j.get("op1")).toEqual({
          ...op,
          state: "pending",
          nextStep: 1,
          attempts: 1,
          lastError: "S3 said:\nno",
          updated: "2024-03-01T10:00:01",
          leaseUntil: 0,
        });
        await j.progress("op1", { state: "failed", lastError: null, leaseUntil: 42 });
        expect(await j.get("op1")).toMatchObject({ state: "failed", lastError: null, leaseUntil: 42, nextStep: 1, attempts: 1 });
        await j.progress("op1", {});
        expect((await j.get("op1"))?.state).toBe("failed");
        await expect(j.progress("nope", { attempts: 1 })).rejects.toThrow();
      });

      test("list filters by state and record id, in enqueue order", async () => {
        await store.transaction(async (tx) => {
          await tx.enqueue(operation("op1", "r1"));
          await tx.enqueue(operation("op2", "r2"));
          await tx.enqueue(operation("op3", "r1"));
        });
        await store.journal.progress("op3", { state: "done" });
        const idsOf = async (filter?: Parameters<RecordStore["journal"]["list"]>[0]) =>
          (await store.journal.list(filter)).map((o) => o.id);
        expect(await idsOf()).toEqual(["op1", "op2", "op3"]);
        expect(await idsOf({ state: "pending" })).toEqual(["op1", "op2"]);
        expect(await idsOf({ recordId: "r1" })).toEqual(["op1", "op3"]);
        expect(await idsOf({ state: "done", recordId: "r1" })).toEqual(["op3"]);
        expect(await idsOf({ state: "failed" })).toEqual([]);
        expect(await idsOf({ recordId: "r9" })).toEqual([]);
      });
    });

    describe("retention", () => retentionContract(() => ({ store, reopen: fixture.reopen && reopen })));

    describe("meta notes", () => metaContract(() => ({ store, reopen: fixture.reopen && reopen })));
    describe("change log and group commit", () => changesContract(() => ({ store, reopen: fixture.reopen && reopen })));

    test("idempotency results are stored, replaced and read back", async () => {
      const first = { fingerprint: "sha256:abc", status: 201, body: '{"id":"x"}\n', created: "2024-03-01T10:00:00" };
      await store.transaction(async (tx) => {
        expect(await tx.getIdempotent("key-1")).toBeUndefined();
        await tx.putIdempotent("key-1", first);
        expect(await tx.getIdempotent("key-1")).toEqual(first);
      });
      expect(await store.transaction((tx) => tx.getIdempotent("key-1"))).toEqual(first);
      const second = { ...first, status: 200, body: "" };
      await store.transaction((tx) => tx.putIdempotent("key-1", second));
      expect(await store.transaction((tx) => tx.getIdempotent("key-1"))).toEqual(second);
      expect(await store.transaction((tx) => tx.getIdempotent("key-2"))).toBeUndefined();
    });

    test("an idempotency result can be removed, and is gone for every later transaction", async () => {
      const result = { fingerprint: "f", status: 201, body: "{}", created: "t" };
      await store.transaction(async (tx) => {
        await tx.putIdempotent("gone", result);
        await tx.putIdempotent("kept", result);
      });
      await store.transaction(async (tx) => {
        expect(await tx.removeIdempotent("gone")).toBe(true);
        expect(await tx.getIdempotent("gone")).toBeUndefined(); // the same transaction already sees it gone
        expect(await tx.removeIdempotent("gone")).toBe(false);
        expect(await tx.removeIdempotent("never")).toBe(false);
        expect(await tx.removeIdempotent("bad\u0000key")).toBe(false);
      });
      expect(await snapshot(store, ["gone", "kept"])).toMatchObject({ idempotency: [undefined, result] });
      // Put and remove in one transaction leave nothing; remove then put leaves the new result.
      await store.transaction(async (tx) => {
        await tx.putIdempotent("brief", result);
        expect(await tx.removeIdempotent("brief")).toBe(true);
        expect(await tx.removeIdempotent("kept")).toBe(true);
        await tx.putIdempotent("kept", { ...result, body: "again" });
      });
      expect((await snapshot(store, ["brief", "kept"])).idempotency).toEqual([undefined, { ...result, body: "again" }]);
      if (fixture.reopen) {
        await store.close();
        expect((await snapshot(await reopen(), ["gone", "kept"])).idempotency).toEqual([undefined, { ...result, body: "again" }]);
      }
    });

    test("awkward and 1 MB strings round-trip byte for byte", async () => {
      const metadata = Object.fromEntries(AWKWARD.map((s, i) => [`${s}#${i}`, s]));
      const big = image("big", MEGABYTE, metadata);
      const awkwardOp: NewOperation = {
        ...operation("op-awkward"),
        action: AWKWARD.join("|"),
        steps: [{ op: "write", ref: { bucket: "b", key: AWKWARD[1] }, body: MEGABYTE, contentType: AWKWARD[5] }],
        created: AWKWARD[2],
      };
      const result = { fingerprint: AWKWARD[2], status: 200, body: MEGABYTE, created: AWKWARD[0] };
      await store.transaction(async (tx) => {
        await tx.insert("images", "big", big);
        for (const [i, s] of AWKWARD.entries()) await tx.insert("images", `a${i}`, image(`a${i}`, s, { [s]: s }));
        await tx.enqueue(awkwardOp);
        await tx.putIdempotent("awkward", result);
      });
      await store.journal.progress("op-awkward", { lastError: MEGABYTE, updated: AWKWARD[1] });
      const check = async (s: RecordStore) => {
        expect((await s.getJson("images", "big"))!.json === canonicalJson(big)).toBe(true);
        const listed = utf8(await s.listJson("images"));
        expect(listed === JSON.stringify((await s.list("images")).map((r) => r.data))).toBe(true);
        const read = (await s.get("images", "big"))!.data;
        expect(read.name === MEGABYTE).toBe(true); // not toEqual: a 1 MB diff would drown the output
        expect(canonicalJson(read) === canonicalJson(big)).toBe(true);
        for (const [i, str] of AWKWARD.entries()) {
          expect((await s.get("images", `a${i}`))?.data).toEqual(image(`a${i}`, str, { [str]: str }));
        }
        const op = (await s.journal.get("op-awkward"))!;
        expect(JSON.stringify(op) === JSON.stringify({ ...awkwardOp, state: "pending", nextStep: 0, attempts: 0, lastError: MEGABYTE, updated: AWKWARD[1], leaseUntil: 0 })).toBe(true);
        const stored = await s.transaction((tx) => tx.getIdempotent("awkward"));
        expect(JSON.stringify(stored) === JSON.stringify(result)).toBe(true);
      };
      await check(store);
      if (fixture.reopen) {
        await store.close();
        await check(await reopen());
      }
    });

    test("a reopened store (restart) sees all data unchanged", async () => {
      if (!fixture.reopen) return; // nothing persists: the adapter offers no reopen
      await store.transaction(async (tx) => {
        for (const id of ["c", "a", "b"]) await tx.insert("images", id, image(id, id, { [id]: AWKWARD[2] }));
        await tx.upsert("images", "a", image("a", "second"));
        await tx.remove("images", "c");
        await tx.insert("remote_build_nodes", "x1000c0s0b0n0", { xname: "x1000c0s0b0n0" });
        await tx.insert("deleted_images", "d", { ...image("d"), deleted: "2024-03-02T00:00:00" });
        await tx.enqueue(operation("op1"));
        await tx.enqueue(operation("op2"));
        await tx.putIdempotent("k", { fingerprint: "f", status: 201, body: AWKWARD[1], created: "t" });
      });
      await store.journal.claim("w", 10, 1000);
      await store.journal.progress("op2", { state: "done", nextStep: 2, attempts: 1 });
      const before = await snapshot(store, ["k"]);
      await store.close();
      const again = await reopen();
      expect(await snapshot(again, ["k"])).toEqual(before);
      // and it is writable, carrying on the order and versions
      await again.transaction((tx) => tx.insert("images", "e", image("e")));
      expect(ids(await again.list("images"))).toEqual(["a", "b", "e"]);
      expect(await again.transaction((tx) => tx.update("images", "a", image("a"), 2))).toBe(3);
    });

    test("two stores on the same data (two processes) share one order of transactions and claims", async () => {
      if (!fixture.reopen) return; // a single in-memory store has no second process
      const other = await reopen();
      await increments([store, other]);
      expect((await other.get("images", "counter"))?.data.name).toBe("50");
      await store.transaction(async (tx) => {
        for (let i = 0; i < 20; i++) await tx.enqueue(operation(`op${i}`, `rec${i}`));
      });
      const claims = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 ? store : other).journal.claim(`w${i}`, 5000, 60_000)),
      );
      const claimed = claims.filter((c) => c !== undefined).map((c) => c.id);
      expect(claimed).toHaveLength(20);
      expect(new Set(claimed).size).toBe(20);
    });
  });
}
