/**
 * What the service needs to run jobs: the cluster chosen by the configuration, the Handlebars
 * renderer, and the job watcher (only with a cluster: without one no job can run or change).
 */
import { startJobWatcher, type Cluster, type Ims, type JobRenderer, type JobWatcher, type JobsConfig } from "@ims/core";
import { openKubernetesCluster, type KubernetesInstruments } from "@ims/core/kubernetes";
import { createJobRenderer } from "@ims/templates";
import type { Logger } from "@ims/core";
import { ConfigError, type JobSettings, type KubernetesSelection } from "../config/index.ts";
import { describeKubernetes } from "../config/describe.ts";

export interface JobRuntime {
  /** Spread into createIms. */
  deps: { cluster?: Cluster; renderer: JobRenderer; jobs: Readonly<JobsConfig> };
  /** Starts the watcher when a cluster is configured. */
  start(ctx: Ims["ctx"]): void;
  /** Stops the watcher; waits at most `timeoutMs` for its watch to end. */
  stop(timeoutMs?: number): Promise<void>;
}

/** How the job runtime is measured (observe/telemetry.ts); absent: not at all. */
export interface JobTelemetry {
  kubernetes: KubernetesInstruments | undefined;
  renderer(renderer: JobRenderer): JobRenderer;
}

function openCluster(k: Readonly<KubernetesSelection>, logger: Logger, instruments?: KubernetesInstruments): Cluster | undefined {
  const log = (message: string) => logger.warn("kubernetes", { message });
  try {
    if (k.mode === "kubeconfig") return openKubernetesCluster({ kubeconfigYaml: k.yaml, kubeconfigDir: k.dir, log, instruments });
    if (k.mode === "in-cluster") return openKubernetesCluster({ inCluster: true, serviceHost: k.serviceHost, servicePort: k.servicePort, log, instruments });
    return undefined;
  } catch (e) {
    // A kubeconfig we cannot use, or a pod without its service account files: refuse to start.
    const source = k.mode === "kubeconfig" ? `KUBECONFIG ${JSON.stringify(k.path)}` : "in-cluster Kubernetes (service account)";
    throw new ConfigError([`${source} cannot be used: ${(e as Error).message}`]);
  }
}

export function openJobRuntime(config: Readonly<JobSettings>, logger: Logger, telemetry?: JobTelemetry): JobRuntime {
  const cluster = openCluster(config.kubernetes, logger, telemetry?.kubernetes);
  const built = createJobRenderer({ templateDir: config.jobs.templateDir });
  const renderer = telemetry ? telemetry.renderer(built) : built;
  const described = describeKubernetes(config.kubernetes, config.jobs);
  if (cluster) logger.info("kubernetes cluster for jobs", described);
  else logger.warn("no kubernetes cluster: creating jobs answers 503", described);

  const abort = new AbortController();
  let watcher: JobWatcher | undefined;
  return {
    deps: { cluster, renderer, jobs: config.jobs },
    start(ctx) {
      if (!cluster || watcher) return;
      watcher = startJobWatcher({ ctx, cluster, namespace: config.jobs.namespace, signal: abort.signal, log: logger, waitingLimitMs: config.jobs.waitingLimitMs });
    },
    async stop(timeoutMs = 5000) {
      abort.abort();
      if (!watcher) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)));
      await Promise.race([watcher.done, late]);
      clearTimeout(timer);
    },
  };
}
