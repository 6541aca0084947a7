import { expect, test } from "bun:test";
import { withJobLabels } from "./labels.ts";
import type { KubeObject } from "../cluster.ts";

test("the Job gets its pod template's labels (its own win); other objects are untouched", () => {
  const job: KubeObject = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "j", labels: { app: "mine" } },
    spec: { template: { metadata: { labels: { app: "ims-x-create", "app.kubernetes.io/name": "ims-job" } } } },
  };
  const cm: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } };
  const [j, c] = withJobLabels([job, cm]);
  expect(j!.metadata.labels).toEqual({ app: "mine", "app.kubernetes.io/name": "ims-job" });
  expect(c).toBe(cm);
  expect(job.metadata.labels).toEqual({ app: "mine" }); // input not mutated
});
