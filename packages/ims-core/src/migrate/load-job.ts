/**
 * Load rules for jobs (spec records.md §6). Old job files lack the fields added in v2.1-v2.4
 * (require_dkms, arch, job_mem_size, kubernetes_pvc, remote_build_node, kubernetes_secret).
 */
import { JOB_STATUSES, type Job, type SshConnection, type SshContainer } from "../records.ts";
import { setOwn } from "../validate.ts";
import { bool, type Fields, int, oneOf, show, str, time, uuid } from "./fields.ts";
import { archOf } from "./load-common.ts";

export interface JobDefaults {
  /** DEFAULT_IMS_IMAGE_SIZE, else 60: upstream's fallback for a missing build_env_size. */
  buildEnvSize: number;
  /** DEFAULT_IMS_JOB_MEM_SIZE, else 8: for files older than v2.2. */
  jobMemSize: number;
}

export const DEFAULT_JOB_DEFAULTS: JobDefaults = Object.freeze({ buildEnvSize: 60, jobMemSize: 8 });

const jobType = oneOf(["create", "customize"] as const);
const status = oneOf(JOB_STATUSES);
const nullableStr = (f: Fields, name: string, missing: string | null = null) => f.get(name, str, { value: missing }, { value: null });

export function loadJob(f: Fields, defaults: JobDefaults): Job {
  const arch = archOf(f);
  return {
    id: f.need("id", uuid),
    created: f.need("created", time),
    job_type: f.need("job_type", jobType),
    artifact_id: f.need("artifact_id", uuid),
    public_key_id: f.need("public_key_id", uuid),
    image_root_archive_name: f.need("image_root_archive_name", str),
    enable_debug: f.get("enable_debug", bool, { value: false }),
    build_env_size: f.get("build_env_size", int, { value: defaults.buildEnvSize }),
    job_mem_size: f.get("job_mem_size", int, { value: defaults.jobMemSize }),
    kernel_file_name: f.get("kernel_file_name", str, { value: arch === "aarch64" ? "Image" : "vmlinuz" }),
    initrd_file_name: f.get("initrd_file_name", str, { value: "initrd" }),
    kernel_parameters_file_name: f.get("kernel_parameters_file_name", str, { value: "kernel-parameters" }),
    ssh_containers: sshContainers(f),
    require_dkms: f.get("require_dkms", bool, { value: true }),
    status: f.get("status", status, { value: "creating" as const }),
    resultant_image_id: f.get("resultant_image_id", uuid, { value: null }),
    arch,
    remote_build_node: f.get("remote_build_node", str, { value: "" }),
    // Stored names are kept exactly: deleting the job later uses them.
    kubernetes_job: nullableStr(f, "kubernetes_job"),
    kubernetes_service: nullableStr(f, "kubernetes_service"),
    kubernetes_configmap: nullableStr(f, "kubernetes_configmap"),
    kubernetes_pvc: nullableStr(f, "kubernetes_pvc"),
    kubernetes_secret: nullableStr(f, "kubernetes_secret"),
    kubernetes_namespace: nullableStr(f, "kubernetes_namespace", "default"),
  };
}

/** Legacy host/port are dropped (load-only upstream); absent status/connection_info stay absent. */
function sshContainers(f: Fields): SshContainer[] | null {
  const list = f.list("ssh_containers");
  if (!list) return null;
  return list.map((c) => {
    const out = { jail: c.get("jail", bool, { value: false }) } as SshContainer;
    const name = c.get("name", str, { value: undefined });
    if (name !== undefined) out.name = name;
    const state = c.get("status", str, { value: undefined });
    if (state !== undefined) out.status = state;
    const info = connectionInfo(c);
    if (info) out.connection_info = info;
    return out;
  });
}

function connectionInfo(c: Fields): Record<string, SshConnection> | undefined {
  const v = c.value("connection_info");
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) c.fail("connection_info", `must be an object, got ${show(v)}`);
  const out: Record<string, SshConnection> = {};
  for (const key of Object.keys(v as object)) {
    const entry = c.nested("connection_info")!.nested(key);
    if (!entry) c.fail(`connection_info.${key}`, "must be an object");
    const conn = {} as SshConnection;
    const host = entry.get("host", str, { value: undefined });
    const port = entry.get("port", int, { value: undefined });
    if (host !== undefined) conn.host = host;
    if (port !== undefined) conn.port = port;
    setOwn(out, key, conn);
  }
  return out;
}
