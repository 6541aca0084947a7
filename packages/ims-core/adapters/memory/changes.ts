/** The change log of the memory store: an array in commit order, as the SQL tables hold it. */
import type { Change, ChangeBounds, ChangeLog, EventCollection, NewChange } from "../../src/changes.ts";
import { CommitWakers } from "../commit-wakers.ts";

export class MemoryChangeLog implements ChangeLog {
  readonly #log: Change[] = [];
  readonly #wakers = new CommitWakers();
  #seq = 0;
  #prunedThrough = 0;

  /** Appends a committed transaction's changes and wakes the readers. */
  append(changes: readonly NewChange[]): void {
    if (!changes.length) return;
    const at = Date.now();
    for (const c of changes) this.#log.push({ ...c, seq: ++this.#seq, at });
    this.#wakers.wakeAll();
  }

  version(family: EventCollection): number {
    for (let i = this.#log.length - 1; i >= 0; i--) if (this.#log[i]!.collection === family) return this.#log[i]!.seq;
    return 0;
  }

  async after(seq: number, limit: number): Promise<Change[]> {
    return this.#log.filter((c) => c.seq > seq).slice(0, limit).map((c) => ({ ...c }));
  }

  async bounds(): Promise<ChangeBounds> {
    return { latest: Math.max(this.#log.at(-1)?.seq ?? 0, this.#prunedThrough), prunedThrough: this.#prunedThrough };
  }

  onCommit(wake: () => void): () => void {
    return this.#wakers.add(wake);
  }

  async prune(beforeMs: number): Promise<number> {
    const newest = new Set(Object.values(Object.groupBy(this.#log, (c) => c.collection)).map((cs) => cs!.at(-1)!.seq));
    const keeps = (c: Change) => c.at >= beforeMs || newest.has(c.seq);
    const kept = this.#log.filter(keeps);
    const removed = this.#log.filter((c) => !keeps(c));
    for (const c of removed) this.#prunedThrough = Math.max(this.#prunedThrough, c.seq);
    this.#log.splice(0, this.#log.length, ...kept);
    return removed.length;
  }
}
