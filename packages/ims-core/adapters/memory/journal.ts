import type { JournalSummary, Operation, OperationJournal, OperationState } from "../../src/ports.ts";
import { ChangeRecorder } from "../change-recorder.ts";
import { unknownOperation } from "./keys.ts";
import type { Mutex } from "./mutex.ts";
import { cutoffText, journalSummary, progressEntries, type ProgressPatch } from "./operations.ts";
import type { MemoryState } from "./state.ts";

/** Writes go through the store's mutex so they behave as on SQLite (never inside a transaction). */
export class MemoryJournal implements OperationJournal {
  constructor(
    private readonly state: MemoryState,
    private readonly mutex: Mutex,
  ) {}

  claim(workerId: string, nowMs: number, leaseMs: number, onlyId?: string): Promise<Operation | undefined> {
    return this.mutex.run(async () => {
      const busy = new Set<string>(); // records with an older pending op: their ops run in order
      for (const op of this.state.operations.values()) {
        if (op.state !== "pending") continue;
        if (busy.has(op.recordId)) {
          if (op.id === onlyId) return undefined;
          continue;
        }
        busy.add(op.recordId);
        if (onlyId !== undefined && op.id !== onlyId) continue;
        if (op.leaseUntil < nowMs) {
          op.leaseUntil = nowMs + leaseMs;
          return structuredClone(op);
        }
      }
      return undefined;
    });
  }

  progress(id: string, patch: ProgressPatch): Promise<void> {
    return this.mutex.run(async () => {
      const op = this.state.operations.get(id);
      if (!op) throw unknownOperation(id);
      Object.assign(op, Object.fromEntries(progressEntries(patch)));
      if (patch.state !== undefined) {
        const recorder = new ChangeRecorder();
        recorder.operation(op);
        this.state.changes.append(recorder.changes);
      }
    });
  }

  async get(id: string): Promise<Operation | undefined> {
    const op = this.state.operations.get(id);
    return op && structuredClone(op);
  }

  async list(filter: { state?: OperationState; recordId?: string } = {}): Promise<Operation[]> {
    return [...this.state.operations.values()]
      .filter((op) => (filter.state === undefined || op.state === filter.state) && (filter.recordId === undefined || op.recordId === filter.recordId))
      .map((op) => structuredClone(op));
  }

  prune(doneBeforeIso: string): Promise<number> {
    return this.mutex.run(async () => {
      const before = cutoffText(doneBeforeIso);
      let removed = 0;
      for (const [id, op] of this.state.operations) {
        if (op.state === "done" && JSON.stringify(op.updated) < before && this.state.operations.delete(id)) removed++;
      }
      return removed;
    });
  }

  async summary(): Promise<JournalSummary> {
    const n = new Map<string, number>();
    let oldest: string | null = null;
    for (const op of this.state.operations.values()) {
      n.set(op.state, (n.get(op.state) ?? 0) + 1);
      if (op.state === "pending" && oldest === null) oldest = op.created; // insertion order
    }
    return journalSummary([...n].map(([state, count]) => ({ state, n: count })), oldest);
  }
}
