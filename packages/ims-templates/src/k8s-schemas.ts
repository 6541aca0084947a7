/**
 * The Kubernetes schemas of the kinds a job renders: kubernetes-models' validators (generated
 * from the official OpenAPI document) and the client's serializer, which keeps only the fields
 * its models know. Imported on first use by k8s-check.ts: loading them takes a few hundred ms.
 */
import { ObjectSerializer } from "@kubernetes/client-node/dist/gen/models/ObjectSerializer.js";
import { droppedFields } from "@ims/core/kubernetes";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Service } from "kubernetes-models/v1/Service";
import { Job } from "kubernetes-models/batch/v1/Job";

type Problem = { path: string; message: string };

/** An ajv error's instancePath ("/spec/containers/0/image") as a field path ("spec.containers[0].image"). */
export const fieldPath = (pointer: string) =>
  pointer.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((out, s) => (/^\d+$/.test(s) ? `${out}[${s}]` : out ? `${out}.${s}` : s), "");

function viaModel(make: (o: any) => { validate(): void }) {
  return (object: unknown): Problem[] => {
    try {
      make(object).validate();
      return [];
    } catch (e) {
      const errors = (e as { errors?: { instancePath: string; message?: string }[] }).errors;
      if (!Array.isArray(errors)) return [{ path: "", message: (e as Error).message }];
      return errors.map((x) => ({ path: fieldPath(x.instancePath), message: x.message ?? "is invalid" }));
    }
  };
}

/** Istio's DestinationRule has no model here: what IMS needs of it, checked by hand. */
function destinationRule(object: unknown): Problem[] {
  const spec = (object as { spec?: unknown }).spec;
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) return [{ path: "spec", message: "must be object" }];
  const host = (spec as { host?: unknown }).host;
  return typeof host === "string" && host !== "" ? [] : [{ path: "spec.host", message: "must be a non-empty string" }];
}

export interface KindSchema {
  validate(object: unknown): Problem[];
  /** The client model the adapter serializes the kind with; none for custom resources. */
  model?: string;
}

/** By "apiVersion/kind". */
export const SCHEMAS: Readonly<Record<string, KindSchema>> = {
  "v1/ConfigMap": { validate: viaModel((o) => new ConfigMap(o)), model: "V1ConfigMap" },
  "v1/Service": { validate: viaModel((o) => new Service(o)), model: "V1Service" },
  "v1/PersistentVolumeClaim": { validate: viaModel((o) => new PersistentVolumeClaim(o)), model: "V1PersistentVolumeClaim" },
  "batch/v1/Job": { validate: viaModel((o) => new Job(o)), model: "V1Job" },
  "networking.istio.io/v1beta1/DestinationRule": { validate: destinationRule },
};

/** Field paths of `object` that the client's model of it does not know. */
export const unknownFields = (object: unknown, model: string): string[] =>
  droppedFields(object, ObjectSerializer.serialize(object, model, ""));
