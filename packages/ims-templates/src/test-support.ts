/** Shared fixtures for this package's tests (not exported from index.ts). */
import type { JobKind, JobTemplateParams } from "./params.ts";

export const JOB_ID = "5b8a2d0e-3f1c-4c5e-9a7b-1d2e3f4a5b6c";
export const KINDS: readonly JobKind[] = ["create-kiwi-ng", "create-packer", "customize"];

export interface SecurityInputs {
  requireDkms: boolean;
  arch?: "x86_64" | "aarch64";
  kataRuntime?: string;
  aarch64Runtime?: string;
  remoteNode?: string;
}

/** jobs.md §3: the DKMS-dependent template values, as the job code derives them. */
export function securityParams(s: SecurityInputs) {
  const arch = s.arch ?? "x86_64";
  const kata = (s.kataRuntime ?? "kata-qemu").trim();
  let runtime_class = s.requireDkms ? (kata.includes("kata") ? kata : "kata-qemu") : "";
  if (arch === "aarch64") runtime_class = (s.aarch64Runtime ?? "kata-qemu").trim();
  if (s.remoteNode) runtime_class = "";
  return {
    job_arch: arch,
    job_enable_dkms: s.requireDkms,
    runtime_class,
    service_account: s.requireDkms ? "ims-service-job-mount" : "",
    security_privilege: s.requireDkms,
    security_capabilities: s.requireDkms ? ["SYS_ADMIN"] : [],
    remote_build_node: s.remoteNode ?? "",
  } satisfies Partial<JobTemplateParams>;
}

export function baseParams(kind: JobKind, overrides: Partial<JobTemplateParams> = {}): JobTemplateParams {
  const create = kind !== "customize";
  return {
    id: JOB_ID,
    size_gb: 60,
    limit_gb: 180,
    pvc_gb: 300,
    job_mem_size: 8,
    job_mem_limit: 40,
    download_url: "https://rgw.local/ims/recipes/r1/recipe.tgz?X-Amz-Signature=abc",
    download_md5sum: "d41d8cd98f00b204e9800998ecf8427e",
    public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample user@host",
    enable_debug: false,
    ssh_jail: false,
    image_root_archive_name: "my-image",
    kernel_filename: "vmlinuz",
    initrd_filename: "initrd",
    kernel_parameters_filename: "kernel-parameters",
    address_pool: "customer-management",
    hostname: `${JOB_ID}.ims.cmn.shasta.local`,
    namespace: "ims",
    s3_bucket: "boot-images",
    ...securityParams({ requireDkms: true }),
    remote_heartbeat_timeout_count: 12,
    ...(create
      ? {
          template_dictionary: [{ key: "CSM_RELEASE_VERSION", value: "1.6.0" }],
          recipe_type: kind === "create-kiwi-ng" ? ("kiwi-ng" as const) : ("packer" as const),
        }
      : {}),
    ...overrides,
  };
}

// Loose views of rendered objects, enough for assertions.
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}
export interface Container {
  name: string;
  image: string;
  imagePullPolicy: string;
  command?: string[];
  env?: EnvVar[];
  envFrom?: { configMapRef: { name: string } }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  securityContext?: { privileged?: boolean; capabilities?: { add?: string[] } };
  resources: { requests: Record<string, string>; limits: Record<string, string> };
}
export interface PodSpec {
  restartPolicy: string;
  runtimeClassName?: string;
  serviceAccountName?: string;
  initContainers: Container[];
  containers: Container[];
  volumes: { name: string; [k: string]: unknown }[];
  affinity: any;
}

export function podSpec(job: unknown): PodSpec {
  return (job as any).spec.template.spec as PodSpec;
}

export function allContainers(job: unknown): Container[] {
  const spec = podSpec(job);
  return [...spec.initContainers, ...spec.containers];
}

export function envValue(c: Container, name: string): string | undefined {
  return c.env?.find((e) => e.name === name)?.value;
}

/**
 * What the container finally sees for an env value or command argument: the kubelet's
 * expansion (k8s third_party/forked/golang/expansion), with every name defined, so any
 * reference that survived quoting would show up as a change.
 */
export function kubeletExpand(input: string, lookup: (name: string) => string = (n) => `<${n}>`): string {
  let out = "";
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c !== "$" || i + 1 >= input.length) {
      out += c;
      i += 1;
      continue;
    }
    const next = input[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
    } else if (next === "(") {
      const close = input.indexOf(")", i + 2);
      if (close < 0) {
        out += "$(";
        i += 2;
      } else {
        out += lookup(input.slice(i + 2, close));
        i = close + 1;
      }
    } else {
      out += "$" + next;
      i += 2;
    }
  }
  return out;
}
