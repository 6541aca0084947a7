/**
 * The measured store is the store: every member reaches through, also the ones a store only
 * inherits (the PostgreSQL store's outage reporting wraps it with Object.create), on every kind.
 */
import { afterAll, expect, test } from "bun:test";
import { openMemoryStore } from "@ims/core/memory";
import { openStore } from "@ims/core/open-store";
import { createPostgresDatabase, createSqliteDatabase, type TestDatabase } from "@ims/core/test-support";
import { instrumentStore } from "./instrument-store.ts";
import { createMetrics } from "./metrics.ts";
import { sampleOf } from "./test-exposition.ts";

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const d of databases) await d.drop();
});

const open = async (kind: string) => {
  if (kind === "memory") return openMemoryStore();
  const db = kind === "postgres" ? await createPostgresDatabase("instrument") : createSqliteDatabase();
  databases.push(db);
  return openStore(db.url);
};

test.each(["memory", "sqlite", "postgres"])("%s: the journal and every other member work through the measured store", async (kind) => {
  const store = await open(kind);
  const metrics = createMetrics({ store }, "v");
  const measured = instrumentStore(store, kind, metrics);
  for (const member of ["journal", "pruneIdempotent", "get", "list", "getJson", "listJson", "close"] as const) expect(measured[member]).toBeDefined();
  await measured.transaction((tx) => tx.enqueue({ id: "op1", action: "a", collection: "images", recordId: "r", steps: [], created: "2024-03-01T10:00:00" }));
  expect((await measured.journal.list()).map((o) => o.id)).toEqual(["op1"]);
  expect(sampleOf(await metrics.registry.metrics(), "ims_store_transaction_duration_seconds_count", { store: kind, outcome: "commit" })).toBe(1);
  await measured.close();
});
