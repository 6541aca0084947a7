/**
 * Every rendered object is a valid Kubernetes object: kubernetes-models checks types and
 * formats; a round trip through the client's serializer (which drops unknown fields)
 * catches misspelt field names, which the schemas let through.
 */
import { describe, expect, test } from "bun:test";
import { ObjectSerializer } from "@kubernetes/client-node/dist/serializer.js";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Service } from "kubernetes-models/v1/Service";
import { Job } from "kubernetes-models/batch/v1/Job";
import { renderJobObjects, type JobObjects } from "./index.ts";
import { KINDS, baseParams, securityParams, type SecurityInputs } from "./test-support.ts";

const VARIANTS: [string, SecurityInputs][] = [
  ["dkms on", { requireDkms: true }],
  ["dkms off", { requireDkms: false }],
  ["aarch64", { requireDkms: true, arch: "aarch64" }],
  ["remote node", { requireDkms: true, remoteNode: "x3000c0s1b0n0" }],
];

const CLIENT_TYPES = { configmap: "V1ConfigMap", service: "V1Service", job: "V1Job", pvc: "V1PersistentVolumeClaim" } as const;

function validateModels(o: JobObjects): void {
  new ConfigMap(o.configmap as any).validate();
  new Service(o.service as any).validate();
  new Job(o.job as any).validate();
  new PersistentVolumeClaim(o.pvc as any).validate();
}

/** DestinationRule has no model here: check its whole shape by hand. */
function validateDestinationRule(o: JobObjects): void {
  const dr = o.destinationRule as any;
  expect(Object.keys(dr).sort()).toEqual(["apiVersion", "kind", "metadata", "spec"]);
  expect(Object.keys(dr.metadata).sort()).toEqual(["name", "namespace"]);
  expect(dr.metadata.name).toBe(o.service.metadata.name);
  expect(dr.spec).toEqual({
    host: `${o.service.metadata.name}.${o.service.metadata.namespace}.svc.cluster.local`,
    trafficPolicy: { tls: { mode: "DISABLE" } },
  });
}

describe.each(KINDS)("%s", (kind) => {
  test.each(VARIANTS)("%s: valid objects, no unknown fields", (_label, sec) => {
    const o = renderJobObjects(kind, baseParams(kind, securityParams(sec)));
    validateModels(o);
    validateDestinationRule(o);
    for (const [key, type] of Object.entries(CLIENT_TYPES)) {
      const obj = o[key as keyof typeof CLIENT_TYPES];
      const roundTrip = ObjectSerializer.serialize(ObjectSerializer.deserialize(obj, type), type);
      expect(roundTrip).toEqual(obj);
    }
  });
});

test("the validators do reject a broken object (the check has teeth)", () => {
  const o = renderJobObjects("customize", baseParams("customize"));
  const broken = structuredClone(o.job) as any;
  broken.spec.template.spec.containers[0].resources.limits.memory = "8 GiB";
  expect(() => new Job(broken).validate()).toThrow();
  const typo = structuredClone(o.job) as any;
  typo.spec.template.spec.containers[0].imagePulPolicy = "Always";
  expect(ObjectSerializer.serialize(ObjectSerializer.deserialize(typo, "V1Job"), "V1Job")).not.toEqual(typo);
});
