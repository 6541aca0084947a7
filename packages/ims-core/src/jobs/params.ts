/**
 * The JobRenderer port and its parameters (jobs.md §4). @ims/templates renders exactly these
 * parameters (its JobTemplateParams is this type); the core builds them as plain data.
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

/** Images the job pods run (upstream Helm values `cray_ims_*`). */
export interface JobImages {
  utils: ContainerImage;
  sshd: ContainerImage;
  kiwi_ng_builder: ContainerImage;
  /** Handed to the kiwi build as IMS_ARM_BUILDER for aarch64 recipes. */
  kiwi_ng_aarch64_builder: ContainerImage;
  packer_builder: ContainerImage;
}

/** One entry of a recipe's template_dictionary, in recipe order. */
export interface TemplateDictionaryEntry {
  key: string;
  value: string;
}

export interface JobSpecParams {
  /** Job id, lower-case UUID; part of every object name. */
  id: string;
  /** GiB: build_env_size, build_env_size*3, build_env_size*5 (PVC request). */
  size_gb: number;
  limit_gb: number;
  pvc_gb: number;
  /** GiB: container memory request job_mem_size, limit job_mem_size*5. */
  job_mem_size: number;
  job_mem_limit: number;
  download_url: string;
  /** md5 of the downloaded artifact or "". */
  download_md5sum: string;
  public_key: string;
  enable_debug: boolean;
  /** First ssh container's jail flag; false if none. */
  ssh_jail: boolean;
  image_root_archive_name: string;
  kernel_filename: string;
  initrd_filename: string;
  kernel_parameters_filename: string;
  /** MetalLB pool (JOB_CUSTOMER_ACCESS_NETWORK_ACCESS_POOL). */
  address_pool: string;
  /** External DNS name `<id>.ims.<subnet>.<domain>`. */
  hostname: string;
  namespace: string;
  s3_bucket: string;
  job_enable_dkms: boolean;
  /** "" = cluster default: the field is left out of the pod spec. */
  runtime_class: string;
  /** "" = cluster default: the field is left out of the pod spec. */
  service_account: string;
  /** Applies to the sshd container; build/prepare containers are always privileged. */
  security_privilege: boolean;
  /** e.g. ["SYS_ADMIN"] with DKMS, [] without. */
  security_capabilities: readonly string[];
  job_arch: JobArch;
  /** xname of the remote build node or "". */
  remote_build_node: string;
  remote_heartbeat_timeout_count: number;
  /** Create jobs only (required there); written to the ConfigMap as JSON text. */
  template_dictionary?: readonly TemplateDictionaryEntry[];
  /** Create jobs only; when given it must agree with the rendered kind. */
  recipe_type?: "kiwi-ng" | "packer";
  /** Gateway the job containers call (Helm: istio-ingressgateway.istio-system.svc.cluster.local). */
  api_gateway_hostname?: string;
  /** ConfigMap holding the cluster CA (certificate_authority.crt). */
  ca_configmap_name?: string;
  /** Secret with the Keycloak client credentials the containers use. */
  admin_client_auth_secret_name?: string;
  log_level?: string;
  /** Missing entries fall back to DEFAULT_JOB_IMAGES. */
  images?: Partial<JobImages>;
}

/**
 * What Kubernetes would say about rendered objects, keyed "Kind/name": schema violations (the API
 * server would refuse the object) and fields it does not know (it would drop them silently).
 */
export interface ObjectCheck {
  errors: Record<string, string[]>;
  warnings: string[];
}

/**
 * Renders a job's Kubernetes objects in creation order: ConfigMap, Service, Job, PVC, then the
 * DestinationRule. Throws ImsError: bad_request for unusable values, internal for a broken template.
 */
export interface JobRenderer {
  render(kind: JobKind, params: JobSpecParams): KubeObject[];
  /** Checks rendered objects against the Kubernetes schemas (the dry run does; creation leaves it to the API server). */
  check(objects: KubeObject[]): Promise<ObjectCheck>;
}
