import { expect, test } from "bun:test";
import { jobRecord, objectNames, sshOutput } from "./record.ts";
import { planJob } from "./spec.ts";
import { jobsConfig } from "./config.ts";
import type { KubeObject } from "../cluster.ts";

const ID = "0b2f4e9c-4a4c-4a53-9a55-8c3d2f1e6b7a";
const obj = (kind: string, name: string): KubeObject => ({ apiVersion: "v1", kind, metadata: { name, namespace: "ims" } });
const objects = [
  obj("ConfigMap", "cm-x"),
  obj("Service", "svc-x"),
  obj("Job", "job-x"),
  obj("PersistentVolumeClaim", "pvc-x"),
  obj("DestinationRule", "svc-x"),
];

test("kubernetes_* names come from what the templates rendered", () => {
  expect(objectNames(objects)).toEqual({ kubernetes_configmap: "cm-x", kubernetes_service: "svc-x", kubernetes_job: "job-x", kubernetes_pvc: "pvc-x" });
  expect(() => objectNames(objects.slice(0, 3))).toThrow(/no PersistentVolumeClaim/);
});

test("ssh container output: pending, customer access and cluster-local hosts on port 22", () => {
  expect(sshOutput(null, "h", "s", "ims")).toBeNull();
  expect(sshOutput([], "h", "s", "ims")).toEqual([]);
  expect(sshOutput([{ name: "customize", jail: true }], `${ID}.ims.cmn.shasta.local`, "svc", "ims")).toEqual([
    {
      name: "customize",
      jail: true,
      status: "pending",
      connection_info: {
        customer_access: { host: `${ID}.ims.cmn.shasta.local`, port: 22 },
        "cluster.local": { host: "svc.ims.svc.cluster.local", port: 22 },
      },
    },
  ]);
});

test("the record: input, derived values, names; keys sorted as upstream emits them", () => {
  const input = {
    job_type: "customize" as const,
    artifact_id: "i1",
    public_key_id: "k1",
    image_root_archive_name: "img",
    enable_debug: false,
    kernel_file_name: "",
    initrd_file_name: "initrd",
    kernel_parameters_file_name: "kernel-parameters",
    ssh_containers: [{ name: "customize", jail: false }],
  };
  const source = { arch: "aarch64" as const, downloadUrl: "u", md5: "m" };
  const plan = planJob({ id: ID, input, source, publicKey: "k", remoteNode: "x1", config: jobsConfig(), bucket: "b" });
  const r = jobRecord({ id: ID, created: "2024-06-01T12:00:00", input, source, plan, objects });
  expect(r).toMatchObject({
    id: ID,
    status: "creating",
    arch: "aarch64",
    kernel_file_name: "Image",
    build_env_size: 60,
    job_mem_size: 8,
    require_dkms: true,
    remote_build_node: "x1",
    resultant_image_id: null,
    kubernetes_job: "job-x",
    kubernetes_secret: `cray-ims-${ID}-signing-keys`,
    kubernetes_namespace: "ims",
  });
  expect(r.ssh_containers?.[0]?.connection_info?.["cluster.local"]?.host).toBe("svc-x.ims.svc.cluster.local");
  expect(Object.keys(r)).toEqual([...Object.keys(r)].sort());
});
