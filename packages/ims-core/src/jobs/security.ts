/** DKMS decision and the pod security settings that follow from it (spec jobs.md §3). */
import type { Arch, JobType } from "../records.ts";

export interface DkmsInputs {
  arch: Arch;
  jobType: JobType;
  /** What the user sent; undefined when require_dkms was absent from the body. */
  userValue?: boolean;
  /** The recipe's require_dkms (create jobs). */
  recipeValue?: boolean;
  /** JOB_ENABLE_DKMS. */
  enableDkms: boolean;
}

/** First matching row of the table wins. */
export function decideDkms(i: DkmsInputs): boolean {
  if (i.arch === "aarch64") return true; // aarch64 builds always run in a VM
  if (i.userValue !== undefined) return i.userValue;
  if (i.jobType === "create") return i.recipeValue ?? true;
  if (!i.enableDkms) return false;
  return true;
}

export interface SecuritySettings {
  job_enable_dkms: boolean;
  runtime_class: string;
  service_account: string;
  security_privilege: boolean;
  security_capabilities: string[];
}

export interface SecurityInputs {
  requireDkms: boolean;
  arch: Arch;
  /** xname of the chosen remote build node, "" when the job runs in the cluster. */
  remoteNode: string;
  kataRuntime: string;
  aarch64Runtime: string;
}

/** Empty runtime class / service account mean "cluster default" in the rendered pod. */
export function securitySettings(s: SecurityInputs): SecuritySettings {
  const kata = s.kataRuntime.trim();
  let runtime_class = s.requireDkms ? (kata.includes("kata") ? kata : "kata-qemu") : "";
  if (s.arch === "aarch64") runtime_class = s.aarch64Runtime.trim();
  // The build runs on the remote node: the pod only forwards, it needs no VM.
  if (s.remoteNode) runtime_class = "";
  return {
    job_enable_dkms: s.requireDkms,
    runtime_class,
    service_account: s.requireDkms ? "ims-service-job-mount" : "",
    security_privilege: s.requireDkms,
    security_capabilities: s.requireDkms ? ["SYS_ADMIN"] : [],
  };
}
