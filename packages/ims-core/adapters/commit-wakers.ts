/** The callbacks a change log wakes after a commit (ChangeLog.onCommit), the same for every adapter. */
export class CommitWakers {
  readonly #wakes = new Set<() => void>();

  /** Adds `wake`; the returned function removes it again. */
  add(wake: () => void): () => void {
    this.#wakes.add(wake);
    return () => void this.#wakes.delete(wake);
  }

  /** Wakes every reader (a bound function: adapters hand it on as a callback). */
  readonly wakeAll = (): void => {
    for (const wake of this.#wakes) wake();
  };
}
