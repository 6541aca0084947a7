/**
 * The dry run's object check: the built-in templates render objects Kubernetes accepts, and
 * an operator's mistakes are named per object and field: a wrong value is an error, a misspelt
 * field (which the API server would drop silently) a warning.
 */
import { expect, test } from "bun:test";
import { checkObjects } from "./k8s-check.ts";
import { fieldPath } from "./k8s-schemas.ts";
import { createJobRenderer } from "./job-renderer.ts";
import { JOB_ID, KINDS, baseParams, securityParams } from "./test-support.ts";

const render = (kind: (typeof KINDS)[number] = "customize") => createJobRenderer().render(kind, baseParams(kind, securityParams({ requireDkms: true })));
const JOB = `Job/cray-ims-${JOB_ID}-customize`;

test.each(KINDS)("%s: the built-in templates pass with no error and no warning", async (kind) => {
  expect(await checkObjects(render(kind))).toEqual({ errors: {}, warnings: [] });
});

test("a value Kubernetes refuses is an error naming the object and the field", async () => {
  const objects = render();
  const job = objects[2] as any;
  job.spec.template.spec.containers[0].resources.limits.memory = "8 GiB";
  job.spec.backoffLimit = "many";
  const { errors, warnings } = await checkObjects(objects);
  expect(Object.keys(errors)).toEqual([JOB]);
  expect(errors[JOB]).toContain('spec.template.spec.containers[0].resources.limits.memory: must match format "quantity"');
  expect(errors[JOB]).toContain("spec.backoffLimit: must be integer");
  expect(warnings).toEqual([]);
});

test("a misspelt field is a warning: the API server would drop it without a word", async () => {
  const objects = render();
  (objects[2] as any).spec.template.spec.containers[0].imagePulPolicy = "Always";
  (objects[1] as any).spec.typo = true;
  const { errors, warnings } = await checkObjects(objects);
  expect(errors).toEqual({});
  expect(warnings).toEqual([
    `Service/cray-ims-${JOB_ID}-service: spec.typo is not a field Kubernetes knows; it would be dropped`,
    `${JOB}: spec.template.spec.containers[0].imagePulPolicy is not a field Kubernetes knows; it would be dropped`,
  ]);
});

test("a DestinationRule needs its host; a kind IMS cannot create is an error", async () => {
  const objects = render();
  delete (objects[4] as any).spec.host;
  objects.push({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "extra", namespace: "ims" } });
  const { errors } = await checkObjects(objects);
  expect(errors).toEqual({
    [`DestinationRule/cray-ims-${JOB_ID}-service`]: ["spec.host: must be a non-empty string"],
    "Deployment/extra": ["no schema for apps/v1 Deployment: IMS cannot create this kind"],
  });
});

test("JSON pointers become field paths", () => {
  expect(fieldPath("/spec/template/spec/containers/0/env/12/value")).toBe("spec.template.spec.containers[0].env[12].value");
  expect(fieldPath("/metadata/labels/app.kubernetes.io~1name")).toBe("metadata.labels.app.kubernetes.io/name");
  expect(fieldPath("")).toBe("");
});
