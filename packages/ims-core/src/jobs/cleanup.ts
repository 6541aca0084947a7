/** Removing a job's Kubernetes objects by the names its record keeps (jobs.md §9). */
import type { Cluster, KubeRef } from "../cluster.ts";
import type { Job } from "../records.ts";

type Names = Pick<Job, "kubernetes_pvc" | "kubernetes_service" | "kubernetes_job" | "kubernetes_configmap" | "kubernetes_secret" | "kubernetes_namespace">;

const ref = (kind: string, name: string | null | undefined): KubeRef[] => (name ? [{ kind, name }] : []);

/** On error/success the pod's resources go; Job, ConfigMap and Secret stay for the logs. */
export const finishedRefs = (j: Names): KubeRef[] => [
  ...ref("PersistentVolumeClaim", j.kubernetes_pvc),
  ...ref("Service", j.kubernetes_service),
  ...ref("DestinationRule", j.kubernetes_service), // same name as the Service
];

export const allRefs = (j: Names): KubeRef[] => [
  ...ref("PersistentVolumeClaim", j.kubernetes_pvc),
  ...ref("Service", j.kubernetes_service),
  ...ref("Job", j.kubernetes_job),
  ...ref("ConfigMap", j.kubernetes_configmap),
  ...ref("Secret", j.kubernetes_secret),
  ...ref("DestinationRule", j.kubernetes_service),
];

export const jobNamespace = (j: Names, fallback: string) => j.kubernetes_namespace || fallback;

/** Deletes `refs`; returns one message per failure ("not found" counts as success). */
export async function removeObjects(cluster: Cluster, namespace: string, refs: KubeRef[]): Promise<string[]> {
  if (!refs.length) return [];
  try {
    return await cluster.remove(namespace, refs);
  } catch (e) {
    return [`Failed to delete objects in namespace '${namespace}': ${(e as Error).message}`];
  }
}
