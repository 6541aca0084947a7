/**
 * The artifact worker: takes journaled operations (oldest first, under a lease so replicas
 * share the work), runs their steps, records progress after each step, and retries failures
 * with capped exponential backoff. Failures stay visible in the journal (attempts, lastError).
 */
import type { Logger } from "../context.ts";
import type { ArtifactStep, ArtifactStore, Clock, Operation, RecordStore } from "../ports.ts";
import { isoNaive } from "../time.ts";
import { createPruner, type RetentionOptions } from "./retention.ts";
import { runStep } from "./steps.ts";

export interface WorkerOptions extends RetentionOptions {
  store: RecordStore;
  artifacts: ArtifactStore;
  clock: Clock;
  log: Logger;
  workerId: string;
  leaseMs?: number;
  maxBackoffMs?: number;
  pollMs?: number;
  /** Told of each step carried out: its kind, how long it took and whether it failed (for metrics). */
  onStep?: (kind: ArtifactStep["op"], seconds: number, failed: boolean) => void;
}

export interface ArtifactWorker {
  /** Starts draining now (after a commit that journaled work). */
  kick(): void;
  /**
   * Drains every runnable operation, then polls every pollMs for retries and others' leftovers.
   * Each run also prunes the journal and idempotency results, at most once per pruneIntervalMs.
   */
  start(): void;
  stop(): Promise<void>;
  /** Resolves once nothing runnable is left (for tests and scripts). */
  drain(): Promise<void>;
  /**
   * Runs operation `id` now, in the caller's turn, if it is runnable (pending, not leased, no
   * older pending operation of its record): true once it ran (done, or failed and scheduled for
   * retry); false when it was not runnable here.
   */
  run(id: string): Promise<boolean>;
}

export function createWorker(o: WorkerOptions): ArtifactWorker {
  const leaseMs = o.leaseMs ?? 60_000;
  const maxBackoff = o.maxBackoffMs ?? 300_000;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const now = () => o.clock.now().getTime();
  const prune = createPruner(o);

  async function timedStep(step: ArtifactStep) {
    if (!o.onStep) return runStep(o.artifacts, step);
    const started = performance.now();
    let failed = true;
    try {
      const r = await runStep(o.artifacts, step);
      failed = false;
      return r;
    } finally {
      o.onStep(step.op, (performance.now() - started) / 1000, failed);
    }
  }

  async function execute(op: Operation) {
    const renew = setInterval(() => {
      o.store.journal.progress(op.id, { leaseUntil: now() + leaseMs }).catch(() => {});
    }, Math.max(1000, leaseMs / 3));
    try {
      const notes: string[] = [];
      for (let i = op.nextStep; i < op.steps.length; i++) {
        const r = await timedStep(op.steps[i]!);
        if (r.note) notes.push(r.note);
        await o.store.journal.progress(op.id, { nextStep: i + 1, updated: isoNaive(o.clock.now()) });
      }
      await o.store.journal.progress(op.id, { state: "done", lastError: notes.length ? notes.join("; ") : op.lastError, leaseUntil: 0, updated: isoNaive(o.clock.now()) });
      o.log.info("artifact operation done", { operation: op.id, action: op.action, record: op.recordId, notes });
    } catch (e) {
      const attempts = op.attempts + 1;
      const backoff = Math.min(maxBackoff, 1000 * 2 ** Math.min(attempts, 20));
      const lastError = e instanceof Error ? e.message : String(e);
      o.log.error("artifact operation failed; will retry", { operation: op.id, action: op.action, attempts, retry_in_ms: backoff, error: lastError });
      await o.store.journal.progress(op.id, { attempts, lastError, leaseUntil: now() + backoff, updated: isoNaive(o.clock.now()) }).catch(() => {});
    } finally {
      clearInterval(renew);
    }
  }

  async function loop() {
    do {
      again = false;
      for (;;) {
        const op = await o.store.journal.claim(o.workerId, now(), leaseMs).catch((e) => {
          o.log.error("cannot claim artifact operations", { error: String(e) });
          return undefined;
        });
        if (!op) break;
        await execute(op);
      }
      // Inside the loop, so a kick that arrives while pruning still gets its run.
      await prune();
    } while (again);
  }

  const kick = () => {
    if (running) {
      again = true;
      return;
    }
    running = loop().finally(() => (running = undefined));
  };

  return {
    kick,
    start() {
      kick();
      timer ??= setInterval(kick, o.pollMs ?? 5000);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
    async drain() {
      kick();
      while (running) await running;
    },
    async run(id) {
      const op = await o.store.journal.claim(o.workerId, now(), leaseMs, id).catch(() => undefined);
      if (!op) return false;
      await execute(op);
      return true;
    },
  };
}
