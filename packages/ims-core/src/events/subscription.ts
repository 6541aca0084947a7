/**
 * One subscriber's view of the change log: its own position, its filter, the feed's recent
 * changes while it keeps up, the store itself when it falls behind (or replays from long ago),
 * and an explicit gap where the log no longer holds what it asked for. It reads only when its
 * consumer asks for the next event, so a slow consumer costs a position, not a queue.
 */
import type { Change } from "../changes.ts";
import type { ChangeFeed } from "./feed.ts";
import { matches, type EventFilter, type EventStream, type GapEvent, type ImsEvent } from "./types.ts";

const STORE_PAGE = 256;

export class Subscription implements EventStream {
  #cursor: number;
  #ready: ImsEvent[] = [];
  #closed = false;
  #cancelWait: (() => void) | undefined;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly filter: EventFilter,
    start: number,
    first: GapEvent | undefined,
    private readonly onClose: () => void,
  ) {
    this.#cursor = start;
    if (first) this.#ready.push(first);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<ImsEvent>> {
    for (;;) {
      if (this.#closed) return { done: true, value: undefined };
      const ready = this.#ready.shift();
      if (ready) return { done: false, value: ready };
      if (this.#cursor < this.feed.base) await this.#fromStore();
      else if (!this.#take(this.feed.since(this.#cursor))) {
        const wait = this.feed.waitBeyond(this.#cursor);
        this.#cancelWait = wait.cancel;
        await wait.promise;
        this.#cancelWait = undefined;
      }
    }
  }

  async return(): Promise<IteratorResult<ImsEvent>> {
    this.close();
    return { done: true, value: undefined };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ready = [];
    this.#cancelWait?.();
    this.onClose();
  }

  /** Keeps the matching changes, moves past all of them; true when there were any. */
  #take(changes: readonly Change[]): boolean {
    for (const c of changes) {
      this.#cursor = c.seq;
      if (matches(this.filter, c)) this.#ready.push(c);
    }
    return changes.length > 0;
  }

  /** Behind what the feed keeps: read the store, saying so if retention removed some of it. */
  async #fromStore(): Promise<void> {
    const { prunedThrough } = await this.feed.log.bounds();
    if (prunedThrough > this.#cursor) {
      this.#ready.push({ change: "gap", seq: prunedThrough, after: this.#cursor, reason: "pruned" });
      this.#cursor = prunedThrough;
      return;
    }
    const page = await this.feed.log.after(this.#cursor, STORE_PAGE);
    // Nothing newer in the store than what the feed has: carry on from the feed.
    if (!this.#take(page)) this.#cursor = Math.max(this.#cursor, this.feed.base);
  }
}
