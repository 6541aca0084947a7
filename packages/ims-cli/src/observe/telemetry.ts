/**
 * Everything the service measures, in one place: built from the configuration before the stores
 * are opened, then asked to wrap each port (records, artifacts, renderer, Kubernetes) and to
 * observe the HTTP app. Metrics off and no OTLP endpoint: every wrapper returns its argument.
 */
import type { ArtifactStore, JobRenderer, RecordStore } from "@ims/core";
import type { KubernetesInstruments } from "@ims/core/kubernetes";
import type { MetricsSource, RequestObserver } from "@ims/http";
import type { ObservabilitySettings } from "../config/index.ts";
import { instrumentArtifacts } from "./instrument-artifacts.ts";
import { instrumentRenderer, kubernetesInstruments } from "./instrument-jobs.ts";
import { instrumentStore } from "./instrument-store.ts";
import { createMetrics, type MetricSources } from "./metrics.ts";
import { openTracing } from "./tracing.ts";

export interface Telemetry {
  /** For createApp: undefined when neither metrics nor tracing is on. */
  observer: RequestObserver | undefined;
  /** For createApp: the /metrics body, undefined when metrics are off. */
  metrics: MetricsSource | undefined;
  /** For the Kubernetes adapter. */
  kubernetes: KubernetesInstruments | undefined;
  /** For the artifact worker (createIms' worker.onStep). */
  onStep: ((kind: string, seconds: number, failed: boolean) => void) | undefined;
  /** Wraps the record store; its journal and jobs (unwrapped) are what the scrape-time gauges read. */
  records(store: RecordStore, kind: string): RecordStore;
  artifacts(artifacts: ArtifactStore, kind: string): ArtifactStore;
  renderer(renderer: JobRenderer): JobRenderer;
  /** Where the in-flight gauge reads from, once the server listens. */
  listening(inFlight: () => number): void;
  /** Flushes buffered spans. */
  shutdown(): Promise<void>;
}

export async function openTelemetry(settings: Readonly<ObservabilitySettings>, version: string): Promise<Telemetry> {
  const tracing = settings.tracing ? await openTracing(settings.tracing, version) : undefined;
  const sources: MetricSources = {};
  const metrics = settings.metrics ? createMetrics(sources, version) : undefined;
  let artifactKind = "local";
  const observer: RequestObserver | undefined =
    metrics || tracing ? { ...(metrics && { answered: metrics.answered }), ...(tracing && { around: tracing.around }) } : undefined;
  return {
    observer,
    metrics: metrics?.source,
    kubernetes: kubernetesInstruments(metrics, tracing),
    onStep: metrics && ((kind, seconds, failed) => metrics.step(kind, artifactKind, seconds, failed)),
    records(store, kind) {
      sources.store = store; // scrapes read it unwrapped: they are no transaction and should leave no spans
      return instrumentStore(store, kind, metrics, tracing);
    },
    artifacts(artifacts, kind) {
      artifactKind = kind;
      return instrumentArtifacts(artifacts, kind, tracing);
    },
    renderer: (renderer) => instrumentRenderer(renderer, tracing),
    listening(inFlight) {
      sources.inFlight = inFlight;
    },
    shutdown: async () => tracing?.shutdown(),
  };
}
