/**
 * The Job watch selects Jobs by label (app.kubernetes.io/name=ims-job) on the Job itself, while
 * the templates label only the pod template. Copying the pod labels onto the Job makes every IMS
 * Job visible to the watch without depending on how a template was written.
 */
import type { KubeObject } from "../cluster.ts";

type PodTemplated = { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } };

export function withJobLabels(objects: KubeObject[]): KubeObject[] {
  return objects.map((o) => {
    const podLabels = o.kind === "Job" ? (o as PodTemplated).spec?.template?.metadata?.labels : undefined;
    if (!podLabels) return o;
    return { ...o, metadata: { ...o.metadata, labels: { ...podLabels, ...o.metadata.labels } } };
  });
}
