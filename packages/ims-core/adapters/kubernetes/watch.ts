/**
 * Job watch in the informer style: list to learn a resourceVersion, watch from it, and keep the
 * last known state per Job so a relist after 410 Gone emits the changes the gap hid (nothing lost).
 * The watch is read straight off the transport: the generated client would buffer the whole body.
 */
import type { JobEvent } from "../../src/cluster.ts";
import type { WatchRestart } from "./calls.ts";
import type { Apis } from "./create.ts";
import { describe, type Transport } from "./transport.ts";

export const IMS_JOB_SELECTOR = "app.kubernetes.io/name=ims-job";

export interface WatchDeps {
  apis: Apis;
  transport: Transport;
  sleep: (ms: number) => Promise<void>;
  log: (message: string) => void;
  /** Asked of the server; the stream then ends and we resume from the last version seen. */
  timeoutSeconds: number;
  /** Told each time the watch connects again after the first time, and why. */
  onRestart?: (reason: WatchRestart) => void;
}

interface JobLike {
  metadata?: { name?: string; resourceVersion?: string };
  status?: { failed?: number; succeeded?: number; conditions?: { type?: string; status?: string }[] };
}
interface Known {
  rv: string;
  failed: boolean;
  succeeded: boolean;
}

/** IMS Jobs run with backoffLimit 0, so the first failed pod is final even before the condition lands. */
function stateOf(job: JobLike): Known {
  const cond = (type: string) => (job.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");
  return {
    rv: job.metadata?.resourceVersion ?? "",
    failed: (job.status?.failed ?? 0) > 0 || cond("Failed"),
    succeeded: (job.status?.succeeded ?? 0) > 0 || cond("Complete"),
  };
}

/** Resolves after `ms`, or at once when `signal` aborts (so stopping never waits on a backoff). */
function pause(sleep: WatchDeps["sleep"], ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    signal.addEventListener("abort", () => resolve(), { once: true });
    sleep(ms).then(resolve, resolve);
  });
}

export async function watchJobs(
  deps: WatchDeps,
  namespace: string,
  onEvent: (event: JobEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const known = new Map<string, Known>();
  const emit = (type: JobEvent["type"], name: string, s: Known) => {
    try {
      onEvent({ type, name, failed: s.failed, succeeded: s.succeeded });
    } catch (e) {
      // A throwing handler must not tear down the watch (and replay or drop the event for everyone).
      deps.log(`Job event handler failed for ${type} ${name}: ${describe(e)}`);
    }
  };

  /** Lists, diffs against what we knew, emits the differences, returns the list's version. */
  async function relist(): Promise<string> {
    const list = await deps.apis.batch.listNamespacedJob({ namespace, labelSelector: IMS_JOB_SELECTOR });
    const seen = new Set<string>();
    for (const job of list.items) {
      const name = job.metadata?.name;
      if (!name) continue;
      seen.add(name);
      const before = known.get(name);
      const now = stateOf(job as JobLike);
      known.set(name, now);
      if (!before) emit("ADDED", name, now);
      else if (before.rv !== now.rv) emit("MODIFIED", name, now);
    }
    for (const [name, before] of known) {
      if (!seen.has(name)) {
        known.delete(name);
        emit("DELETED", name, before);
      }
    }
    return list.metadata?.resourceVersion ?? "";
  }

  /** Version to resume from; kept current event by event so any reconnect resumes exactly. */
  let rv: string | undefined;

  /** One watch connection from `rv`; clears `rv` on 410 Gone (relist); returns events delivered. */
  async function stream(from: string): Promise<number> {
    const query = new URLSearchParams({
      watch: "true",
      resourceVersion: from,
      labelSelector: IMS_JOB_SELECTOR,
      allowWatchBookmarks: "true",
      timeoutSeconds: String(deps.timeoutSeconds),
    });
    const url = `${deps.transport.server}/apis/batch/v1/namespaces/${encodeURIComponent(namespace)}/jobs?${query}`;
    // A silent dead connection would otherwise hang forever: give up a while after the server should have.
    const idle = new AbortController();
    const idleMs = (deps.timeoutSeconds + 30) * 1000;
    let timer = setTimeout(() => idle.abort(), idleMs);
    let events = 0;
    try {
      const resp = await deps.transport.fetch(url, { signal: AbortSignal.any([signal, idle.signal]), timeoutMs: null });
      if (resp.status === 410) return gone(events);
      if (resp.status !== 200) {
        const text = await resp.text();
        let message = text.slice(0, 300);
        try {
          message = JSON.parse(text).message ?? message;
        } catch {}
        throw new Error(`watch answered HTTP ${resp.status}: ${message}`);
      }
      const reader = resp.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = "";
      for (;;) {
        const chunk = await reader.read().catch((e) => {
          if (idle.signal.aborted && !signal.aborted) return { done: true as const, value: undefined };
          throw e;
        });
        if (chunk.done) return events;
        clearTimeout(timer);
        timer = setTimeout(() => idle.abort(), idleMs);
        buffered += chunk.value;
        let newline: number;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          if (!line) continue;
          const event = JSON.parse(line) as { type: string; object: JobLike & { code?: number; message?: string } };
          if (event.type === "ERROR") {
            if (event.object.code === 410) return gone(events); // compacted: relist
            throw new Error(`watch ERROR event: ${event.object.message ?? JSON.stringify(event.object)}`);
          }
          rv = event.object.metadata?.resourceVersion ?? rv;
          if (event.type === "BOOKMARK") continue;
          const name = event.object.metadata?.name;
          if (!name) continue;
          const now = stateOf(event.object);
          if (event.type === "DELETED") known.delete(name);
          else if (known.get(name)?.rv === now.rv) continue; // already reported by a relist
          else known.set(name, now);
          if (event.type === "ADDED" || event.type === "MODIFIED" || event.type === "DELETED") {
            events++;
            emit(event.type, name, now);
          }
        }
      }
    } finally {
      clearTimeout(timer);
      idle.abort(); // releases the connection on every exit path
    }
  }

  const gone = (events: number) => {
    rv = undefined;
    return events;
  };

  let failures = 0;
  let restart: WatchRestart | undefined;
  while (!signal.aborted) {
    if (restart) deps.onRestart?.(restart);
    const started = Date.now();
    let healthy = false;
    try {
      if (rv === undefined) rv = await relist();
      const events = await stream(rv);
      restart = rv === undefined ? "expired" : "closed";
      healthy = events > 0 || Date.now() - started >= 5000;
    } catch (e) {
      if (signal.aborted) break;
      restart = "error";
      deps.log(`watching Jobs in namespace '${namespace}': ${describe(e)}`);
    }
    // Retry at once the first time; back off 1,2,4..30 s while nothing useful comes through.
    failures = healthy ? 0 : failures + 1;
    if (failures > 1) await pause(deps.sleep, Math.min(2 ** (failures - 2), 30) * 1000, signal);
  }
}
