/**
 * Keeps job records honest when a pod cannot report: a Kubernetes Job that failed or vanished
 * moves its record to "error", and a periodic sweep does the same for jobs stuck in a
 * non-terminal status longer than the waiting limit.
 */
import { parseNaive } from "../time.ts";
import { isTerminal } from "./nodes.ts";
import { markJobError, type MarkErrorDeps } from "./mark-error.ts";
import type { Cluster, JobEvent } from "../cluster.ts";
import type { Ctx, Logger } from "../context.ts";

export interface JobWatcherOptions {
  ctx: Ctx;
  cluster: Cluster;
  namespace: string;
  signal: AbortSignal;
  /** Defaults to ctx.log. */
  log?: Logger;
  /** Non-terminal jobs older than this are moved to error. Default 24 h. */
  waitingLimitMs?: number;
  /** How often the sweep runs. Default 5 min. */
  sweepIntervalMs?: number;
}

export interface JobWatcher {
  /** Resolves once the watch has ended after `signal` aborted. */
  readonly done: Promise<void>;
  /** Runs the stuck-job sweep now; returns the ids moved to error. */
  sweep(): Promise<string[]>;
  /** Resolves when every event received so far has been handled. */
  settled(): Promise<void>;
}

const JOB_NAME = /^cray-ims-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(?:create|customize)$/;

/** The job id a Kubernetes Job name belongs to, if it is an IMS one. */
export const jobIdOf = (name: string): string | undefined => JOB_NAME.exec(name)?.[1];

export function startJobWatcher(o: JobWatcherOptions): JobWatcher {
  const log = o.log ?? o.ctx.log;
  const limit = o.waitingLimitMs ?? 24 * 60 * 60 * 1000;
  const d: MarkErrorDeps = { ctx: o.ctx, cluster: o.cluster, namespace: o.namespace, log };
  let queue: Promise<unknown> = Promise.resolve();
  const later = (what: string, work: () => Promise<unknown>) => {
    queue = queue.then(work).catch((e) => log.error(`job watcher: ${what} failed`, { error: (e as Error).message }));
    return queue;
  };

  async function onJob(event: JobEvent): Promise<void> {
    const gone = event.type === "DELETED";
    if (!gone && !event.failed) return;
    const id = jobIdOf(event.name);
    const job = id && (await o.ctx.store.get("jobs", id));
    // Only the record that names this Job; a finished job's Job may fail or be cleaned freely.
    if (!job || job.data.kubernetes_job !== event.name || isTerminal(job.data.status)) return;
    await markJobError(d, job.data.id, gone ? `Kubernetes Job ${event.name} was deleted` : `Kubernetes Job ${event.name} failed`);
  }

  async function sweep(): Promise<string[]> {
    const now = o.ctx.clock.now().getTime();
    const moved: string[] = [];
    for (const { data: job } of await o.ctx.store.list("jobs")) {
      if (isTerminal(job.status) || !(now - parseNaive(job.created) > limit)) continue;
      log.warn("job has not finished within the waiting limit", { id: job.id, status: job.status, created: job.created, limitMs: limit });
      if (await markJobError(d, job.id, `still '${job.status}' after ${Math.round(limit / 60000)} minutes`)) moved.push(job.id);
    }
    return moved;
  }

  const timer = setInterval(() => void later("sweep", sweep), o.sweepIntervalMs ?? 5 * 60 * 1000);
  void later("sweep", sweep);
  const done = o.cluster
    .watchJobs(o.namespace, (event) => void later(`handling ${event.type} ${event.name}`, () => onJob(event)), o.signal)
    .catch((e) => log.error("job watch ended with an error", { error: (e as Error).message }))
    .finally(() => clearInterval(timer))
    .then(() => queue)
    .then(() => undefined);
  return { done, sweep: () => later("sweep", sweep).then((r) => (Array.isArray(r) ? r : [])), settled: () => queue.then(() => undefined) };
}
