/**
 * The kinds IMS creates, how each is created/deleted through the typed client, and the
 * create-with-retry loop (spec jobs.md §5: retry 3 times, sleeping 1,2,3 s, only on timeouts).
 */
import { BatchV1Api, CoreV1Api, CustomObjectsApi, type Configuration } from "@kubernetes/client-node";
// The typed API serializes bodies with this; it silently drops fields its models do not know.
import { ObjectSerializer } from "@kubernetes/client-node/dist/gen/models/ObjectSerializer.js";
import type { KubeObject } from "../../src/cluster.ts";
import { ImsError } from "../../src/errors.ts";
import { apiFailure, describe, isTimeout, networkCode } from "./transport.ts";

export interface Apis {
  core: CoreV1Api;
  batch: BatchV1Api;
  custom: CustomObjectsApi;
}

export const makeApis = (configuration: Configuration): Apis => ({
  core: new CoreV1Api(configuration),
  batch: new BatchV1Api(configuration),
  custom: new CustomObjectsApi(configuration),
});

interface KindOps {
  apiVersion: string;
  /** Client model name used to serialize the body; none for custom resources. */
  model?: string;
  create(apis: Apis, namespace: string, body: any): Promise<unknown>;
  remove(apis: Apis, namespace: string, name: string): Promise<unknown>;
}

const background = "Background"; // spec §9: delete with propagation Background
const istio = { group: "networking.istio.io", version: "v1beta1", plural: "destinationrules" };

export const KINDS: Record<string, KindOps> = {
  ConfigMap: {
    apiVersion: "v1",
    model: "V1ConfigMap",
    create: (a, namespace, body) => a.core.createNamespacedConfigMap({ namespace, body }),
    remove: (a, namespace, name) => a.core.deleteNamespacedConfigMap({ namespace, name, propagationPolicy: background }),
  },
  Service: {
    apiVersion: "v1",
    model: "V1Service",
    create: (a, namespace, body) => a.core.createNamespacedService({ namespace, body }),
    remove: (a, namespace, name) => a.core.deleteNamespacedService({ namespace, name, propagationPolicy: background }),
  },
  PersistentVolumeClaim: {
    apiVersion: "v1",
    model: "V1PersistentVolumeClaim",
    create: (a, namespace, body) => a.core.createNamespacedPersistentVolumeClaim({ namespace, body }),
    remove: (a, namespace, name) =>
      a.core.deleteNamespacedPersistentVolumeClaim({ namespace, name, propagationPolicy: background }),
  },
  Secret: {
    apiVersion: "v1",
    model: "V1Secret",
    create: (a, namespace, body) => a.core.createNamespacedSecret({ namespace, body }),
    remove: (a, namespace, name) => a.core.deleteNamespacedSecret({ namespace, name, propagationPolicy: background }),
  },
  Job: {
    apiVersion: "batch/v1",
    model: "V1Job",
    create: (a, namespace, body) => a.batch.createNamespacedJob({ namespace, body }),
    remove: (a, namespace, name) => a.batch.deleteNamespacedJob({ namespace, name, propagationPolicy: background }),
  },
  DestinationRule: {
    apiVersion: `${istio.group}/${istio.version}`,
    create: (a, namespace, body) => a.custom.createNamespacedCustomObject({ ...istio, namespace, body }),
    remove: (a, namespace, name) =>
      a.custom.deleteNamespacedCustomObject({ ...istio, namespace, name, propagationPolicy: background }),
  },
};

/** Maps a client/transport failure to the ImsError the port promises. */
export function toImsError(e: unknown, doing: string): ImsError {
  if (e instanceof ImsError) return e;
  // Refused, reset, DNS or TLS failures mean the API cannot be reached at all.
  if (networkCode(e)) return new ImsError("unavailable", `Kubernetes API unreachable ${doing}: ${describe(e)}`);
  return new ImsError("internal", `Kubernetes API error ${doing}: ${describe(e)}`);
}

/** Field paths present in `input` but missing after serialization (typos, fields the model lacks). */
export function droppedFields(input: unknown, output: unknown, path = ""): string[] {
  if (input === null || typeof input !== "object") return [];
  if (output === null || typeof output !== "object") return [path || "."];
  const out: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const sub = Array.isArray(input) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (!(key in (output as object))) out.push(sub);
    else out.push(...droppedFields(value, (output as Record<string, unknown>)[key], sub));
  }
  return out;
}

export const RETRY_SLEEPS_S = [1, 2, 3];

export async function createObjects(
  apis: Apis,
  namespace: string,
  objects: KubeObject[],
  sleep: (ms: number) => Promise<void>,
  log: (message: string) => void,
): Promise<void> {
  for (const obj of objects) {
    const what = `${obj.kind} '${obj.metadata?.name}' in namespace '${namespace}'`;
    const ops = KINDS[obj.kind];
    if (!ops || ops.apiVersion !== obj.apiVersion) {
      throw new ImsError("internal", `Cannot create ${what}: unsupported kind ${obj.apiVersion}/${obj.kind}`);
    }
    if (ops.model) {
      const dropped = droppedFields(obj, ObjectSerializer.serialize(obj, ops.model, ""));
      // The API server would also drop unknown fields (with a warning); say which, loudly.
      if (dropped.length) log(`creating ${what}: fields unknown to the client are not sent: ${dropped.join(", ")}`);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await ops.create(apis, namespace, obj);
        break;
      } catch (e) {
        // A timed-out attempt may have landed: names carry the IMS job id, so this is ours.
        if (attempt > 0 && apiFailure(e)?.code === 409) {
          log(`creating ${what}: already exists after a timed-out attempt; taking it as created`);
          break;
        }
        if (isTimeout(e) && attempt < RETRY_SLEEPS_S.length) {
          log(`creating ${what} timed out (${describe(e)}); retry ${attempt + 1} of ${RETRY_SLEEPS_S.length}`);
          await sleep(RETRY_SLEEPS_S[attempt] * 1000);
          continue;
        }
        throw toImsError(e, `creating ${what}`);
      }
    }
  }
}
