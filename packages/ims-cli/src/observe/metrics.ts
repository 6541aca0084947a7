/**
 * The service's Prometheus metrics (prom-client). Counters and histograms are fed by the hooks
 * (the app's observer, the store/artifact/cluster decorators, the worker's onStep); gauges that
 * describe shared state (the journal, jobs, in-flight requests) are read when scraped, from the
 * database only: a scrape never touches S3.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { JOB_STATUSES, parseNaive, type RecordStore } from "@ims/core";
import type { MetricsSource } from "@ims/http";
import { processMetricsUnderBun } from "./process-metrics.ts";
import { RequestHistogram } from "./request-histogram.ts";

/** Seconds, from 0.5 ms (a GET of a record) to 10 s. */
const REQUEST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Artifact steps copy objects of up to many GiB: up to 30 minutes. */
const STEP_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800];
const JOB_TYPES = ["create", "customize"] as const;

/** What the scrape-time gauges read; filled in as the service starts (absent: the gauge is left out). */
export interface MetricSources {
  /** The store whose journal and jobs the gauges describe. */
  store?: RecordStore;
  /** Requests the server is answering now (Bun's pendingRequests). */
  inFlight?: () => number;
  clock?: () => number;
}

export type ImsMetrics = ReturnType<typeof createMetrics>;

export function createMetrics(sources: MetricSources, version: string) {
  const registry = new Registry();
  const now = sources.clock ?? Date.now;
  const registers = [registry];

  const requestSeconds = new RequestHistogram(
    "ims_http_request_duration_seconds",
    "Time to answer a request, by method, route template and status; _count is the number of requests.",
    REQUEST_BUCKETS,
    registry,
  );
  new Gauge({
    name: "ims_http_requests_in_flight",
    help: "Requests being answered now (this scrape included).",
    registers,
    collect() {
      this.set(sources.inFlight?.() ?? 0);
    },
  });

  // Each reads the journal's summary itself: prom-client collects gauges concurrently.
  new Gauge({
    name: "ims_artifact_operations",
    help: "Artifact operations in the journal, by state.",
    labelNames: ["state"] as const,
    registers,
    async collect() {
      if (!sources.store) return;
      for (const [state, n] of Object.entries((await sources.store.journal.summary()).counts)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: "ims_artifact_oldest_pending_operation_age_seconds",
    help: "Age of the oldest pending artifact operation (0 when none is pending).",
    registers,
    async collect() {
      if (!sources.store) return;
      const created = (await sources.store.journal.summary()).oldestPendingCreated;
      this.set(created === null ? 0 : Math.max(0, (now() - parseNaive(created)) / 1000));
    },
  });

  const stepSeconds = new Histogram({
    name: "ims_artifact_step_duration_seconds",
    help: "Time of each artifact step (copy, remove, write) the worker carried out, failed ones included, by kind and store.",
    labelNames: ["kind", "store"] as const,
    buckets: STEP_BUCKETS,
    registers,
  });
  const stepFailures = new Counter({ name: "ims_artifact_step_failures_total", help: "Artifact steps that failed (each is retried), by kind and store.", labelNames: ["kind", "store"] as const, registers });

  new Gauge({
    name: "ims_jobs",
    help: "Job records by status and type.",
    labelNames: ["status", "job_type"] as const,
    registers,
    async collect() {
      if (!sources.store) return;
      const counts = new Map<string, number>();
      const key = (status: string, type: string) => `${status} ${type}`;
      for (const { data } of await sources.store.list("jobs")) counts.set(key(data.status, data.job_type), (counts.get(key(data.status, data.job_type)) ?? 0) + 1);
      for (const status of JOB_STATUSES) for (const job_type of JOB_TYPES) this.set({ status, job_type }, counts.get(key(status, job_type)) ?? 0);
    },
  });

  const kubeRequests = new Counter({
    name: "ims_kubernetes_requests_total",
    help: "Kubernetes API requests by verb, resource and status code (\"error\": no answer).",
    labelNames: ["verb", "resource", "code"] as const,
    registers,
  });
  const kubeSeconds = new Histogram({
    name: "ims_kubernetes_request_duration_seconds",
    help: "Time of Kubernetes API requests (watches excluded: they stay open), by verb and resource.",
    labelNames: ["verb", "resource"] as const,
    buckets: REQUEST_BUCKETS,
    registers,
  });
  const watchRestarts = new Counter({
    name: "ims_kubernetes_watch_restarts_total",
    help: "Reconnects of the job watch: closed (the server ended it), expired (410 Gone: relisted), error.",
    labelNames: ["reason"] as const,
    registers,
  });

  const transactionSeconds = new Histogram({
    name: "ims_store_transaction_duration_seconds",
    help: "Record-store transactions, waiting for the store's lock included, by store and outcome (commit, rollback).",
    labelNames: ["store", "outcome"] as const,
    buckets: REQUEST_BUCKETS,
    registers,
  });

  new Gauge({ name: "ims_build_info", help: "The running version (always 1).", labelNames: ["version"] as const, registers }).set({ version }, 1);
  processMetricsUnderBun(registry);

  const source: MetricsSource = { contentType: registry.contentType, render: () => registry.metrics() };
  return {
    registry,
    source,
    /** The app observer's `answered` (hot path: one histogram observation). */
    answered: (method: string, route: string, status: number, seconds: number) => requestSeconds.observe(method, route, status, seconds),
    step(kind: string, store: string, seconds: number, failed: boolean) {
      stepSeconds.observe({ kind, store }, seconds);
      if (failed) stepFailures.inc({ kind, store });
    },
    kubernetesRequest(verb: string, resource: string, code: number | "error", seconds: number) {
      kubeRequests.inc({ verb, resource, code });
      if (verb !== "WATCH") kubeSeconds.observe({ verb, resource }, seconds);
    },
    watchRestart: (reason: string) => watchRestarts.inc({ reason }),
    transaction: (store: string, outcome: "commit" | "rollback", seconds: number) => transactionSeconds.observe({ store, outcome }, seconds),
  };
}
