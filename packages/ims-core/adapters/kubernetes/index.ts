/**
 * Kubernetes adapter for the Cluster port (spec jobs.md §5 objects, §9 clean-up).
 * Requests go through @kubernetes/client-node's typed APIs, but over our own fetch-based HTTP
 * library (transport.ts) so TLS material and tokens actually reach the wire under Bun.
 */
import type { Cluster } from "../../src/cluster.ts";
import { createObjects, makeApis, toImsError } from "./create.ts";
import { fromKubeconfig, inCluster, type Connection } from "./kubeconfig.ts";
import { removeObjects } from "./remove.ts";
import type { KubernetesInstruments } from "./calls.ts";
import { sharedSecretReads } from "./secret-source.ts";
import { apiFailure, makeTransport } from "./transport.ts";
import { watchJobs } from "./watch.ts";

export { fromInClusterEnv } from "./kubeconfig.ts";
export { IMS_JOB_SELECTOR } from "./watch.ts";
export { droppedFields } from "./create.ts";
export { describeCall, type KubernetesCall, type KubernetesInstruments, type WatchRestart } from "./calls.ts";

export interface KubernetesClusterOptions {
  kubeconfigYaml?: string;
  /** Directory that relative file paths in the kubeconfig are resolved against. */
  kubeconfigDir?: string;
  /** Context to use instead of current-context. */
  context?: string;
  /** Use the pod's service account; host and port come from fromInClusterEnv(the environment), read by the caller. */
  inCluster?: boolean;
  serviceHost?: string;
  servicePort?: string | number;
  serviceAccountDir?: string;
  /** Injected so tests need not wait through the 1,2,3 s retry sleeps or watch backoff. */
  sleep?: (ms: number) => Promise<void>;
  /** Deadline per API call (not watches). Default 30 s. */
  requestTimeoutMs?: number;
  /** Server-side watch timeout before we reconnect. Default 300 s. */
  watchTimeoutSeconds?: number;
  /** The clock of the shared signing-key reads (secret-source.ts); injected by tests. */
  now?: () => number;
  /** Where retries, dropped fields and watch trouble are reported. Default console.warn. */
  log?: (message: string) => void;
  /** Hooks for metrics and traces: every API request, and each reconnect of the job watch. */
  instruments?: KubernetesInstruments;
}

function connectionFor(options: KubernetesClusterOptions): Connection {
  if (options.kubeconfigYaml !== undefined) {
    return fromKubeconfig(options.kubeconfigYaml, { baseDir: options.kubeconfigDir, context: options.context });
  }
  if (options.inCluster) {
    if (!options.serviceHost || !options.servicePort) {
      throw new Error("in-cluster Kubernetes needs serviceHost and servicePort (see fromInClusterEnv)");
    }
    return inCluster({
      serviceHost: options.serviceHost,
      servicePort: options.servicePort,
      serviceAccountDir: options.serviceAccountDir,
    });
  }
  throw new Error("Kubernetes needs kubeconfigYaml or inCluster");
}

export function openKubernetesCluster(options: KubernetesClusterOptions): Cluster {
  const transport = makeTransport(connectionFor(options), options.requestTimeoutMs, options.instruments);
  const apis = makeApis(transport.configuration);
  const sleep = options.sleep ?? ((ms: number) => Bun.sleep(ms));
  const log = options.log ?? ((message: string) => console.warn(`kubernetes: ${message}`));
  const readSource = sharedSecretReads(async (from) => {
    try {
      return await apis.core.readNamespacedSecret(from);
    } catch (e) {
      if (apiFailure(e)?.code === 404) return undefined;
      throw toImsError(e, `reading Secret '${from.name}' in namespace '${from.namespace}'`);
    }
  }, options.now);

  return {
    create: (namespace, objects) => createObjects(apis, namespace, objects, sleep, log),

    remove: (namespace, refs) => removeObjects(apis, namespace, refs),

    async copySecret(from, to) {
      const source = await readSource(from);
      if (!source) return false;
      // Fresh metadata (name/namespace only): uid, resourceVersion, owners must not be copied.
      const copy = {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: to.name, namespace: to.namespace },
        ...(source.type ? { type: source.type } : {}),
        ...(source.data ? { data: source.data } : {}),
        ...(source.immutable !== undefined ? { immutable: source.immutable } : {}),
      };
      await createObjects(apis, to.namespace, [copy], sleep, log);
      return true;
    },

    watchJobs: (namespace, onEvent, signal) =>
      watchJobs(
        { apis, transport, sleep, log, timeoutSeconds: options.watchTimeoutSeconds ?? 300, onRestart: options.instruments?.watchRestart },
        namespace,
        onEvent,
        signal,
      ),
  };
}
