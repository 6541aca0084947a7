/**
 * The process's one reader of the change log. Woken by the store after every commit (this
 * process at once; other replicas through the store's notifications; a poll besides, for what a
 * notification can miss), it reads what is new once and keeps the most recent changes in memory
 * for every subscriber. It runs only while someone subscribes.
 */
import type { Change, ChangeLog } from "../changes.ts";
import type { Logger } from "../context.ts";

export interface FeedOptions {
  /** How often the log is read without a wake-up (default 1 s). */
  pollMs?: number;
  /** How many recent changes are kept in memory (default 4096); a reader further behind reads the store. */
  keep?: number;
  /** At most this many bytes of records among them (default 8 MiB). */
  keepBytes?: number;
}

const PAGE = 512;

export class ChangeFeed {
  /** Recent changes, oldest first: every change with base < seq <= cursor. */
  #recent: Change[] = [];
  #base = 0;
  #cursor = 0;
  #waiters = new Set<() => void>();
  #users = 0;
  #started: Promise<void> | undefined;
  #stopWatch: (() => void) | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #reading: Promise<void> | undefined;
  #again = false;
  #bytes = 0;
  readonly #pollMs: number;
  readonly #keep: number;
  readonly #keepBytes: number;

  constructor(
    readonly log: ChangeLog,
    private readonly logger: Logger,
    options: FeedOptions = {},
  ) {
    this.#pollMs = options.pollMs ?? 1000;
    this.#keep = options.keep ?? 4096;
    this.#keepBytes = options.keepBytes ?? 8 * 1024 * 1024;
  }

  /** Everything up to here has been read. */
  get cursor(): number {
    return this.#cursor;
  }

  /** Changes at or below this seq are no longer in memory. */
  get base(): number {
    return this.#base;
  }

  /** The changes in memory after `seq` (seq >= base). */
  since(seq: number): Change[] {
    let lo = 0;
    let hi = this.#recent.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#recent[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return this.#recent.slice(lo);
  }

  /** Resolves when something after `seq` was read, or when the returned `cancel` is called. */
  waitBeyond(seq: number): { promise: Promise<void>; cancel: () => void } {
    let cancel = () => {};
    const promise = new Promise<void>((resolve) => {
      if (this.#cursor > seq) return resolve();
      const done = (cancel = () => {
        this.#waiters.delete(done);
        resolve();
      });
      this.#waiters.add(done);
    });
    return { promise, cancel: () => cancel() };
  }

  /** A subscriber arrives: starts reading (from the log's newest change) if it was idle. */
  async join(): Promise<void> {
    this.#users++;
    this.#started ??= this.#start();
    try {
      await this.#started;
    } catch (e) {
      this.leave();
      throw e;
    }
  }

  leave(): void {
    if (--this.#users > 0) return;
    this.#stop();
  }

  async #start(): Promise<void> {
    const { latest } = await this.log.bounds();
    this.#recent = [];
    this.#bytes = 0;
    this.#base = this.#cursor = latest;
    this.#stopWatch = this.log.onCommit(this.wake);
    this.#timer = setInterval(this.wake, this.#pollMs);
    // A wake-up that came before the watch was in place is covered by this first read.
    this.wake();
  }

  #stop(): void {
    this.#stopWatch?.();
    clearInterval(this.#timer);
    this.#stopWatch = this.#timer = this.#started = undefined;
    this.#recent = [];
    this.#bytes = 0;
  }

  /** Forgets the oldest changes beyond what is kept; a reader behind them reads the store. */
  #trim(): void {
    let drop = Math.max(0, this.#recent.length - this.#keep);
    let bytes = this.#bytes;
    for (let i = 0; i < drop; i++) bytes -= this.#recent[i]!.record?.length ?? 0;
    while (bytes > this.#keepBytes && drop < this.#recent.length - 1) bytes -= this.#recent[drop++]!.record?.length ?? 0;
    if (!drop) return;
    this.#bytes = bytes;
    this.#base = this.#recent.splice(0, drop).at(-1)!.seq;
  }

  /** Reads what is new (one reader at a time; a wake-up meanwhile reads again after). */
  readonly wake = (): void => {
    if (!this.#started) return;
    if (this.#reading) {
      this.#again = true;
      return;
    }
    this.#reading = this.#read().finally(() => (this.#reading = undefined));
  };

  async #read(): Promise<void> {
    do {
      this.#again = false;
      try {
        for (;;) {
          const page = await this.log.after(this.#cursor, PAGE);
          if (!page.length || !this.#started) break;
          this.#recent.push(...page);
          for (const c of page) this.#bytes += c.record?.length ?? 0;
          this.#cursor = page.at(-1)!.seq;
          this.#trim();
          for (const waiter of [...this.#waiters]) waiter();
          if (page.length < PAGE) break;
        }
      } catch (e) {
        this.logger.warn("cannot read the change log; retrying at the next poll", { error: String(e) });
      }
    } while (this.#again);
  }
}
