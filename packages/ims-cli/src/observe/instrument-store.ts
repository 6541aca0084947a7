/**
 * The record store, measured: each transaction's time and outcome (metrics) and, with tracing,
 * a span per transaction and per read. Without tracing the reads are the store's own functions
 * (the hot GET path pays nothing).
 */
import type { Collection, RecordStore } from "@ims/core";
import type { ImsMetrics } from "./metrics.ts";
import type { Tracing } from "./tracing.ts";

export function instrumentStore(store: RecordStore, kind: string, metrics?: ImsMetrics, tracing?: Tracing): RecordStore {
  if (!metrics && !tracing) return store;
  const db = { "db.system.name": kind };
  const inSpan = <T>(name: string, attributes: Record<string, string>, fn: () => Promise<T>) => (tracing ? tracing.span(name, attributes, fn) : fn());
  const read = (name: string, collection: Collection) => ({ ...db, "db.operation.name": name, "db.collection.name": collection });
  // Object.create, not a spread: a store's members may be inherited (the PostgreSQL store's
  // outage reporting wraps it that way), and a spread would drop them (journal, pruneIdempotent).
  return Object.assign(Object.create(store) as RecordStore, {
    ...(tracing && {
      get: (c, id) => inSpan("store get", read("get", c), () => store.get(c, id)),
      getJson: (c, id) => inSpan("store get", read("get", c), () => store.getJson(c, id)),
      list: (c) => inSpan("store list", read("list", c), () => store.list(c)),
      listJson: (c) => inSpan("store list", read("list", c), () => store.listJson(c)),
      count: (c) => inSpan("store count", read("count", c), () => store.count(c)),
    }),
    async transaction(fn) {
      const started = performance.now();
      let outcome: "commit" | "rollback" = "rollback";
      try {
        const result = await inSpan("store transaction", db, () => store.transaction(fn));
        outcome = "commit";
        return result;
      } finally {
        metrics?.transaction(kind, outcome, (performance.now() - started) / 1000);
      }
    },
  } satisfies Partial<RecordStore>);
}
