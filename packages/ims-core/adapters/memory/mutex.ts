import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Runs async sections one at a time, in call order. Shared by every store adapter: it is what
 * makes a store's transactions (and journal writes) never interleave within one process.
 */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();
  // Which section the current async context runs in, so a re-entrant call fails fast instead
  // of waiting for itself forever.
  readonly #inside = new AsyncLocalStorage<{ active: boolean }>();

  /** Whether the caller runs inside one of this mutex's sections (a re-entrant call would wait for itself). */
  get inside(): boolean {
    return this.#inside.getStore()?.active === true;
  }

  /**
   * Runs `fn` as if outside every section: what it schedules (setImmediate, timers) does not
   * inherit the caller's section, so a section may queue work that takes the mutex after it.
   */
  outside<T>(fn: () => T): T {
    return this.#inside.exit(fn);
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inside) return Promise.reject(reentrant());
    const token = { active: false };
    const section = async () => {
      token.active = true;
      try {
        return await this.#inside.run(token, fn);
      } finally {
        token.active = false; // work the section left running is no longer "inside"
      }
    };
    const result = this.#tail.then(section);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

export const reentrant = () =>
  new Error(
    "RecordStore: transaction() or a journal write was called from inside a transaction " +
      "of the same store; use the tx argument, or call it after the transaction returns",
  );
