/** The job record (records.md §6) from the plan and the rendered objects, pure. */
import { sortKeys } from "../canonical.ts";
import { ImsError } from "../errors.ts";
import { clusterHostname } from "./spec.ts";
import type { KubeObject } from "../cluster.ts";
import type { Job, SshContainer } from "../records.ts";
import type { JobInput } from "./input.ts";
import type { JobPlan } from "./spec.ts";
import type { JobSource } from "./source.ts";

export interface ObjectNames {
  kubernetes_configmap: string;
  kubernetes_service: string;
  kubernetes_job: string;
  kubernetes_pvc: string;
}

const RECORDED: Record<keyof ObjectNames, string> = {
  kubernetes_configmap: "ConfigMap",
  kubernetes_service: "Service",
  kubernetes_job: "Job",
  kubernetes_pvc: "PersistentVolumeClaim",
};

/** The record keeps what the templates named, so clean-up deletes exactly those objects. */
export function objectNames(objects: KubeObject[]): ObjectNames {
  const out = {} as ObjectNames;
  for (const [field, kind] of Object.entries(RECORDED) as [keyof ObjectNames, string][]) {
    const name = objects.find((o) => o.kind === kind)?.metadata?.name;
    if (!name) throw new ImsError("internal", `The job templates rendered no ${kind}; cannot create the job.`);
    out[field] = name;
  }
  return out;
}

export const secretName = (id: string) => `cray-ims-${id}-signing-keys`;

/** jobs.md §8: the (single) container gets its status and both ways to reach it. */
export function sshOutput(containers: SshContainer[] | null, hostname: string, service: string, namespace: string): SshContainer[] | null {
  if (!containers?.length) return containers;
  const [first, ...rest] = containers;
  const connection_info = {
    customer_access: { host: hostname, port: 22 },
    "cluster.local": { host: clusterHostname(service, namespace), port: 22 },
  };
  return [{ name: first!.name, jail: first!.jail, status: "pending", connection_info }, ...rest];
}

export interface RecordInputs {
  id: string;
  created: string;
  input: JobInput;
  source: JobSource;
  plan: JobPlan;
  objects: KubeObject[];
}

export function jobRecord({ id, created, input, source, plan, objects }: RecordInputs): Job {
  const names = objectNames(objects);
  const namespace = plan.params.namespace;
  return sortKeys({
    id,
    created,
    job_type: input.job_type,
    artifact_id: input.artifact_id,
    public_key_id: input.public_key_id,
    image_root_archive_name: input.image_root_archive_name,
    enable_debug: input.enable_debug,
    ...plan.sizes,
    kernel_file_name: plan.kernelFileName,
    initrd_file_name: input.initrd_file_name,
    kernel_parameters_file_name: input.kernel_parameters_file_name,
    ssh_containers: sshOutput(input.ssh_containers ?? null, plan.params.hostname, names.kubernetes_service, namespace),
    require_dkms: plan.requireDkms,
    status: "creating",
    resultant_image_id: null,
    arch: source.arch,
    remote_build_node: plan.params.remote_build_node,
    ...names,
    // Named up front so a crash before the copy still leaves a name to clean up; null if the copy fails.
    kubernetes_secret: secretName(id),
    kubernetes_namespace: namespace,
  });
}
