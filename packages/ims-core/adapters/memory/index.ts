/** In-memory RecordStore for unit tests: same semantics as the SQL adapters, nothing persisted. */
import type { IdempotentResult, RecordStore } from "../../src/ports.ts";
import { MemoryChangeLog } from "./changes.ts";
import { MemoryJournal } from "./journal.ts";
import { cutoffText } from "./operations.ts";
import { Mutex } from "./mutex.ts";
import { MemoryReader } from "./reader.ts";
import type { MemoryState } from "./state.ts";
import { MemoryTx } from "./tx.ts";
import { readerMethods } from "../reader-methods.ts";

export function openMemoryStore(): RecordStore {
  const state: MemoryState = { tables: new Map(), idempotency: new Map(), operations: new Map(), meta: new Map(), changes: new MemoryChangeLog(), position: 0 };
  const mutex = new Mutex();
  const reader = new MemoryReader(state);
  return {
    ...readerMethods(reader),
    journal: new MemoryJournal(state, mutex),
    changes: state.changes,
    transaction: (fn) =>
      mutex.run(async () => {
        const tx = new MemoryTx(state);
        try {
          const result = await fn(tx);
          tx.commit();
          state.changes.append(tx.recorder.changes);
          return result;
        } catch (e) {
          tx.rollback();
          throw e;
        }
      }),
    pruneIdempotent: (createdBeforeIso) =>
      mutex.run(async () => {
        const before = cutoffText(createdBeforeIso);
        let removed = 0;
        for (const [key, json] of state.idempotency) {
          const { created } = JSON.parse(json) as IdempotentResult;
          if (JSON.stringify(created ?? "") < before && state.idempotency.delete(key)) removed++;
        }
        return removed;
      }),
    close: async () => {},
  };
}
