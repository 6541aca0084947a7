/**
 * Parameters of the job templates (jobs.md §4), as real values.
 * The templates decide how each value is written (e.g. `pvc_gb: 300` becomes "300Gi",
 * `enable_debug: true` becomes the env text "True").
 */

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

export interface JobTemplateParams {
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

/** The values the templates see: every optional parameter filled in. */
export type JobTemplateView = Readonly<
  Omit<JobTemplateParams, "images" | "template_dictionary" | "recipe_type" | OptionalText> &
    Record<OptionalText, string> & {
      images: Readonly<JobImages>;
      template_dictionary: readonly TemplateDictionaryEntry[];
    }
>;

type OptionalText = "api_gateway_hostname" | "ca_configmap_name" | "admin_client_auth_secret_name" | "log_level";

const REGISTRY = "artifactory.algol60.net/csm-docker/stable";

/** Same images as upstream's chart values. */
export const DEFAULT_JOB_IMAGES: Readonly<JobImages> = deepFreeze({
  utils: { repository: `${REGISTRY}/cray-ims-utils`, tag: "0.0.0-imsutils", pull_policy: "IfNotPresent" },
  sshd: { repository: `${REGISTRY}/cray-ims-sshd`, tag: "0.0.0-imssshd", pull_policy: "IfNotPresent" },
  kiwi_ng_builder: {
    repository: `${REGISTRY}/cray-ims-kiwi-ng-opensuse-x86_64-builder`,
    tag: "0.0.0-imskiwi",
    pull_policy: "IfNotPresent",
  },
  // Upstream hands the same (multi-arch) builder image to aarch64 builds.
  kiwi_ng_aarch64_builder: {
    repository: `${REGISTRY}/cray-ims-kiwi-ng-opensuse-x86_64-builder`,
    tag: "0.0.0-imskiwi",
    pull_policy: "IfNotPresent",
  },
  packer_builder: {
    repository: `${REGISTRY}/cray-ims-packer-opensuse-x86_64-builder`,
    tag: "latest",
    pull_policy: "IfNotPresent",
  },
} satisfies JobImages);

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const inner of Object.values(value)) if (typeof inner === "object" && inner !== null) Object.freeze(inner);
  return Object.freeze(value);
}

/** Values used when the optional text parameters are not given (upstream chart values). */
export const JOB_TEMPLATE_DEFAULTS: Readonly<Record<OptionalText, string>> = Object.freeze({
  api_gateway_hostname: "istio-ingressgateway.istio-system.svc.cluster.local",
  ca_configmap_name: "cray-configmap-ca-public-key",
  admin_client_auth_secret_name: "admin-client-auth",
  log_level: "INFO",
});
