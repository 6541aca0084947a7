/** Retention run by the artifact worker: cutoffs from the clock, once per interval, errors logged. */
import { expect, test } from "bun:test";
import { openMemoryStore } from "../../adapters/memory/index.ts";
import type { Logger } from "../context.ts";
import type { ArtifactStore, RecordStore } from "../ports.ts";
import { createIms } from "../service.ts";
import { createWorker, type WorkerOptions } from "./worker.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function setup(options: Partial<WorkerOptions> = {}, store: RecordStore = openMemoryStore()) {
  let now = Date.UTC(2024, 2, 1); // 2024-03-01T00:00:00
  const logs: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const log = Object.fromEntries(
    (["debug", "info", "warn", "error"] as const).map((level) => [level, (msg: string, fields?: Record<string, unknown>) => logs.push({ level, msg, fields })]),
  ) as unknown as Logger;
  const clock = { now: () => new Date(now) };
  // No operation here is runnable, so the worker never touches artifacts.
  const worker = createWorker({ store, artifacts: {} as ArtifactStore, clock, log, workerId: "w", ...options });
  return { store, worker, logs, advance: (ms: number) => (now += ms) };
}

/** A done operation last updated at `updated`, or a pending one leased far into the future. */
async function operation(store: RecordStore, id: string, updated: string, state: "done" | "pending" = "done") {
  await store.transaction((tx) =>
    tx.enqueue({ id, action: "test", collection: "images", recordId: id, steps: [{ op: "remove", ref: { bucket: "b", key: id } }], created: updated }),
  );
  await store.journal.progress(id, state === "done" ? { state, updated } : { leaseUntil: Number.MAX_SAFE_INTEGER });
}

const key = (store: RecordStore, k: string, created: string) =>
  store.transaction((tx) => tx.putIdempotent(k, { fingerprint: "f", status: 201, body: "{}", created }));

const keys = (store: RecordStore, ...ks: string[]) =>
  store.transaction(async (tx) => (await Promise.all(ks.map((k) => tx.getIdempotent(k)))).map((r, i) => (r ? ks[i] : undefined)).filter(Boolean));

const ops = async (store: RecordStore) => (await store.journal.list()).map((o) => o.id);
const pruneLogs = <L extends { msg: string }>(logs: L[]) => logs.filter((l) => l.msg.startsWith("pruned") || l.msg.startsWith("cannot prune"));

test("defaults: done operations older than 30 days and idempotency results older than 24 h go, at most once an hour", async () => {
  const { store, worker, logs, advance } = setup();
  await operation(store, "old", "2024-01-30T23:59:59.999000");
  await operation(store, "recent", "2024-01-31T00:00:00");
  await operation(store, "stuck", "2020-01-01T00:00:00", "pending");
  await key(store, "old-key", "2024-02-28T23:59:59");
  await key(store, "new-key", "2024-02-29T00:00:00");

  await worker.drain();
  expect(await ops(store)).toEqual(["recent", "stuck"]);
  expect(await keys(store, "old-key", "new-key")).toEqual(["new-key"]);
  expect(pruneLogs(logs)).toEqual([
    { level: "info", msg: "pruned done artifact operations", fields: { count: 1, before: "2024-01-31T00:00:00" } },
    { level: "info", msg: "pruned idempotency results", fields: { count: 1, before: "2024-02-29T00:00:00" } },
  ]);

  // Within the hour nothing is pruned, though "recent" and "new-key" are now past their age.
  advance(59 * MINUTE);
  await worker.drain();
  expect(await ops(store)).toEqual(["recent", "stuck"]);
  expect(await keys(store, "new-key")).toEqual(["new-key"]);

  advance(MINUTE);
  await worker.drain();
  expect(await ops(store)).toEqual(["stuck"]);
  expect(await keys(store, "new-key")).toEqual([]);
  expect(pruneLogs(logs)).toHaveLength(4);

  // Nothing left to prune: no info line.
  advance(HOUR);
  await worker.drain();
  expect(pruneLogs(logs)).toHaveLength(4);
});

test("createIms passes the retention options to the worker", async () => {
  const store = openMemoryStore();
  const ims = createIms({
    store,
    artifacts: {} as ArtifactStore,
    clock: { now: () => new Date(Date.UTC(2024, 2, 1)) },
    worker: { operationRetentionMs: DAY, idempotencyTtlMs: HOUR, pruneIntervalMs: MINUTE },
  });
  await operation(store, "two-days", "2024-02-28T00:00:00");
  await operation(store, "half-day", "2024-02-29T12:00:00");
  await key(store, "two-hours", "2024-02-29T22:00:00");
  await key(store, "half-hour", "2024-02-29T23:30:00");
  await ims.worker.drain();
  expect(await ops(store)).toEqual(["half-day"]);
  expect(await keys(store, "two-hours", "half-hour")).toEqual(["half-hour"]);
});

test("prune failures are logged, never thrown; the other prune still runs and the next interval retries", async () => {
  const inner = openMemoryStore();
  const failing = { journal: true, keys: true };
  const realPrune = inner.journal.prune.bind(inner.journal);
  Object.assign(inner.journal, { prune: (b: string) => (failing.journal ? Promise.reject(new Error("journal down")) : realPrune(b)) });
  const store: RecordStore = { ...inner, pruneIdempotent: (b) => (failing.keys ? Promise.reject(new Error("keys down")) : inner.pruneIdempotent(b)) };
  const { worker, logs, advance } = setup({}, store);
  await operation(store, "old", "2020-01-01T00:00:00");

  await worker.drain();
  expect(pruneLogs(logs).map((l) => [l.level, l.msg, l.fields?.error])).toEqual([
    ["error", "cannot prune done artifact operations", "Error: journal down"],
    ["error", "cannot prune idempotency results", "Error: keys down"],
  ]);
  await worker.drain(); // not again within the interval
  expect(pruneLogs(logs)).toHaveLength(2);

  failing.journal = false;
  advance(HOUR);
  await worker.drain();
  expect(await ops(store)).toEqual([]);
  expect(pruneLogs(logs).map((l) => l.msg).slice(2)).toEqual(["pruned done artifact operations", "cannot prune idempotency results"]);
});

test("changes older than changeRetentionMs leave the change log (each family's newest stays)", async () => {
  const store = openMemoryStore();
  const later = Date.now() + 2 * DAY; // the store stamps changes with the real time
  const ims = createIms({ store, artifacts: {} as ArtifactStore, clock: { now: () => new Date(later) }, worker: { changeRetentionMs: DAY } });
  for (const name of ["a", "b", "c"]) await ims.publicKeys.create({ name, public_key: "ssh-ed25519 AAAA" });
  await ims.worker.drain();
  expect((await store.changes.after(0, 10)).map((c) => c.seq)).toEqual([3]);
  expect((await store.changes.bounds()).prunedThrough).toBe(2);
});
