/**
 * The JobRenderer port and its parameters. JobSpecParams mirrors @ims/templates'
 * JobTemplateParams field for field (the core may not import that package); the adapter in
 * packages/ims-templates/src/job-renderer.ts proves at compile time that the two agree.
 */
import type { KubeObject } from "../cluster.ts";

export type JobKind = "create-kiwi-ng" | "create-packer" | "customize";
export type JobArch = "x86_64" | "aarch64";
export type PullPolicy = "Always" | "IfNotPresent" | "Never";

export interface ContainerImage {
  repository: string;
  tag: string;
  pull_policy: PullPolicy;
}

export interface JobImages {
  utils: ContainerImage;
  sshd: ContainerImage;
  kiwi_ng_builder: ContainerImage;
  kiwi_ng_aarch64_builder: ContainerImage;
  packer_builder: ContainerImage;
}

export interface TemplateDictionaryEntry {
  key: string;
  value: string;
}

/** Template values as real values (sizes in GiB as numbers, flags as booleans); jobs.md §4. */
export interface JobSpecParams {
  id: string;
  size_gb: number;
  limit_gb: number;
  pvc_gb: number;
  job_mem_size: number;
  job_mem_limit: number;
  download_url: string;
  download_md5sum: string;
  public_key: string;
  enable_debug: boolean;
  ssh_jail: boolean;
  image_root_archive_name: string;
  kernel_filename: string;
  initrd_filename: string;
  kernel_parameters_filename: string;
  address_pool: string;
  hostname: string;
  namespace: string;
  s3_bucket: string;
  job_enable_dkms: boolean;
  runtime_class: string;
  service_account: string;
  security_privilege: boolean;
  security_capabilities: readonly string[];
  job_arch: JobArch;
  remote_build_node: string;
  remote_heartbeat_timeout_count: number;
  template_dictionary?: readonly TemplateDictionaryEntry[];
  recipe_type?: "kiwi-ng" | "packer";
  api_gateway_hostname?: string;
  ca_configmap_name?: string;
  admin_client_auth_secret_name?: string;
  log_level?: string;
  images?: Partial<JobImages>;
}

/**
 * Renders a job's Kubernetes objects in creation order: ConfigMap, Service, Job, PVC, then the
 * DestinationRule. Throws ImsError: bad_request for unusable values, internal for a broken template.
 */
export interface JobRenderer {
  render(kind: JobKind, params: JobSpecParams): KubeObject[];
}
