/**
 * The core's event stream (ims.events) on every store: each committed change once, in commit
 * order, never a rolled-back one; filters; replay after a position; explicit gaps; readers far
 * behind; closing.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { openTestStore, STORE_KINDS } from "../../adapters/test-databases.ts";
import { openLocalArtifacts } from "../../adapters/local-artifacts/index.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIms, type Ims } from "../service.ts";
import type { RecordStore } from "../ports.ts";
import type { EventStream, ImsEvent } from "./types.ts";

const key = (name: string) => ({ name, public_key: "ssh-ed25519 AAAA" });

/** The next `n` events (what they say, without seq and time). */
async function take(stream: EventStream, n: number) {
  const out: ImsEvent[] = [];
  while (out.length < n) {
    const r = await stream.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}
const said = (e: ImsEvent) => (e.change === "gap" ? ["gap", e.after, e.reason] : [e.collection, e.id, e.change, e.version]);

for (const kind of STORE_KINDS) {
  describe(`events on ${kind}`, () => {
    let store: RecordStore;
    let ims: Ims;
    let cleanup: () => Promise<void>;
    let dir: string;
    beforeEach(async () => {
      ({ store, cleanup } = await openTestStore(kind));
      dir = mkdtempSync(join(tmpdir(), "ims-events-"));
      ims = createIms({ store, artifacts: await openLocalArtifacts({ dir }), events: { keep: 4, pollMs: 50 } });
    });
    afterEach(async () => {
      ims.events.close();
      await ims.worker.stop();
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    test("each committed change once, in order, with its version and record; nothing rolled back", async () => {
      const all = await ims.events.subscribe();
      const { data: k } = await ims.publicKeys.create(key("a"));
      await expect(ims.publicKeys.create({ name: "no key" })).rejects.toThrow(); // refused: no change
      await store.transaction(async (tx) => {
        await tx.insert("public_keys", "rolled-back", { ...k, id: "rolled-back" });
        throw new Error("undone");
      }).catch(() => {});
      await ims.publicKeys.delete(k.id, { mode: "soft" });
      await ims.deletedPublicKeys.undelete(k.id, { operation: "undelete" });
      await ims.publicKeys.delete(k.id, { mode: "soft" });
      await ims.deletedPublicKeys.delete(k.id);
      const events = await take(all, 5);
      expect(events.map(said)).toEqual([
        ["public-keys", k.id, "created", 1],
        ["public-keys", k.id, "deleted", 1],
        ["public-keys", k.id, "undeleted", 1],
        ["public-keys", k.id, "deleted", 1],
        ["public-keys", k.id, "purged", 1],
      ]);
      expect(JSON.parse((events[0] as { record: string }).record)).toEqual(k);
      expect(JSON.parse((events[1] as { record: string }).record)).toMatchObject({ id: k.id, deleted: expect.any(String) });
      const seqs = events.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      all.close();
      expect(await all.next()).toEqual({ done: true, value: undefined });
    });

    test("filters by kind of record and by id; an operation matches the record it works for", async () => {
      const keys = await ims.events.subscribe({ collections: ["public-keys"] });
      const one = await ims.events.subscribe({ id: "x1000c0s0b0n0" });
      const ops = await ims.events.subscribe({ collections: ["operations"] });
      const { data: k } = await ims.publicKeys.create(key("a"));
      await ims.remoteBuildNodes.create({ xname: "x1000c0s0b0n0" });
      await ims.remoteBuildNodes.create({ xname: "x1000c0s0b0n1" });
      await store.transaction((tx) =>
        tx.enqueue({ id: "op1", action: "test", collection: "images", recordId: "x1000c0s0b0n0", steps: [], created: "2024-01-01T00:00:00" }),
      );
      await ims.publicKeys.delete(k.id, { mode: "hard", cascade: true });
      expect((await take(keys, 2)).map(said)).toEqual([["public-keys", k.id, "created", 1], ["public-keys", k.id, "deleted", 1]]);
      expect((await take(one, 2)).map(said)).toEqual([["remote-build-nodes", "x1000c0s0b0n0", "created", 1], ["operations", "op1", "pending", null]]);
      const [op] = await take(ops, 1);
      expect(op).toMatchObject({ collection: "operations", id: "op1", change: "pending", recordId: "x1000c0s0b0n0" });
    });

    test("a feed that keeps few record bytes still hands out everything, reading the store for the rest", async () => {
      const lean = createIms({ store, artifacts: await openLocalArtifacts({ dir }), events: { keepBytes: 300, pollMs: 50 } });
      const slow = await lean.events.subscribe();
      const created = [];
      for (let i = 0; i < 6; i++) created.push((await ims.publicKeys.create(key(`k${i}`))).data.id);
      expect((await take(slow, 6)).map((e) => (e as { id: string }).id)).toEqual(created);
      lean.events.close();
      await lean.worker.stop();
    });

    test("a subscriber far behind what the feed keeps in memory reads the rest from the store, missing nothing", async () => {
      const slow = await ims.events.subscribe();
      const created = [];
      for (let i = 0; i < 12; i++) created.push((await ims.publicKeys.create(key(`k${i}`))).data.id);
      const fast = await ims.events.subscribe({ after: 0 });
      expect((await take(slow, 12)).map((e) => (e as { id: string }).id)).toEqual(created);
      expect((await take(fast, 12)).map((e) => (e as { id: string }).id)).toEqual(created);
    });

    test("Last-Event-ID replay: the changes after it, then live ones; gaps where the log cannot say", async () => {
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await ims.publicKeys.create(key(`k${i}`))).data.id);
      const [first] = await store.changes.after(0, 1);
      const resumed = await ims.events.subscribe({ after: first!.seq });
      const live = ims.publicKeys.create(key("live"));
      expect((await take(resumed, 3)).map((e) => (e as { id: string }).id)).toEqual([ids[1], ids[2], (await live).data.id]);
      // From beyond the log's newest: unknown here; the stream resumes at the newest.
      const { latest } = await store.changes.bounds();
      const future = await ims.events.subscribe({ after: latest + 100 });
      const [gap] = await take(future, 1);
      expect(gap).toEqual({ change: "gap", seq: latest, after: latest + 100, reason: "unknown" });
      // Pruned: the first two changes are gone, a reader from before them is told so.
      await store.changes.prune(Date.now() + 60_000);
      const old = await ims.events.subscribe({ after: 0 });
      const [pruned] = await take(old, 1);
      expect(pruned).toMatchObject({ change: "gap", after: 0, reason: "pruned" });
      expect(pruned!.seq).toBe((await store.changes.bounds()).prunedThrough);
    });

    test("close() ends every subscription and refuses new ones", async () => {
      const a = await ims.events.subscribe();
      const waiting = a.next();
      expect(ims.events.subscribers).toBe(1);
      ims.events.close();
      expect(await waiting).toEqual({ done: true, value: undefined });
      expect(ims.events.subscribers).toBe(0);
      await expect(ims.events.subscribe()).rejects.toMatchObject({ kind: "unavailable" });
    });

    test("for await ... of, as a library user reads it", async () => {
      const stream = await ims.events.subscribe({ collections: ["public-keys"] });
      void ims.publicKeys.create(key("a"));
      for await (const event of stream) {
        expect(event).toMatchObject({ collection: "public-keys", change: "created" });
        break; // ends the subscription
      }
      expect(ims.events.subscribers).toBe(0);
    });
  });
}
