/** The job as data: template parameters (jobs.md §4) built from checked input, pure. */
import { decideDkms, securitySettings } from "./security.ts";
import type { JobsConfig } from "./config.ts";
import type { JobInput } from "./input.ts";
import type { JobKind, JobSpecParams, TemplateDictionaryEntry } from "./params.ts";
import type { JobSource } from "./source.ts";
import type { Arch, JobType, Recipe } from "../records.ts";

export function jobKind(jobType: JobType, recipe?: Pick<Recipe, "recipe_type">): JobKind {
  if (jobType === "customize") return "customize";
  return recipe?.recipe_type === "packer" ? "create-packer" : "create-kiwi-ng";
}

/** Missing or "" means the architecture's kernel name. */
export const kernelFileName = (given: string | undefined, arch: Arch): string =>
  given ? given : arch === "aarch64" ? "Image" : "vmlinuz";

/** GiB sizes; defaults are numbers (upstream stored the env string, but emitted a number). */
export function jobSizes(input: Pick<JobInput, "build_env_size" | "job_mem_size">, config: Pick<JobsConfig, "defaultImageSize" | "defaultJobMemSize">) {
  return {
    build_env_size: input.build_env_size ?? Number(config.defaultImageSize),
    job_mem_size: input.job_mem_size ?? Number(config.defaultJobMemSize),
  };
}

export const externalHostname = (id: string, c: Pick<JobsConfig, "subnetName" | "networkDomain">) =>
  `${id}.ims.${c.subnetName}.${c.networkDomain}`;

export const clusterHostname = (service: string, namespace: string) => `${service}.${namespace}.svc.cluster.local`;

export const templateDictionary = (recipe?: Pick<Recipe, "template_dictionary">): TemplateDictionaryEntry[] =>
  (recipe?.template_dictionary ?? []).map(({ key, value }) => ({ key, value }));

export interface JobPlanInputs {
  id: string;
  input: JobInput;
  source: JobSource;
  publicKey: string;
  /** xname of the chosen remote build node or "". */
  remoteNode: string;
  config: JobsConfig;
  /** S3_BOOT_IMAGES_BUCKET: where the job uploads its results. */
  bucket: string;
}

export interface JobPlan {
  kind: JobKind;
  params: JobSpecParams;
  requireDkms: boolean;
  kernelFileName: string;
  sizes: { build_env_size: number; job_mem_size: number };
}

export function planJob(p: JobPlanInputs): JobPlan {
  const { input, source, config } = p;
  const arch = source.arch;
  const sizes = jobSizes(input, config);
  const kernel = kernelFileName(input.kernel_file_name, arch);
  const requireDkms = decideDkms({
    arch,
    jobType: input.job_type,
    userValue: input.require_dkms,
    recipeValue: source.recipe?.require_dkms,
    enableDkms: config.enableDkms,
  });
  const security = securitySettings({ requireDkms, arch, remoteNode: p.remoteNode, kataRuntime: config.kataRuntime, aarch64Runtime: config.aarch64Runtime });
  const create = input.job_type === "create";
  const params: JobSpecParams = {
    id: p.id,
    size_gb: sizes.build_env_size,
    limit_gb: sizes.build_env_size * 3,
    pvc_gb: sizes.build_env_size * 5,
    job_mem_size: sizes.job_mem_size,
    job_mem_limit: sizes.job_mem_size * 5,
    download_url: source.downloadUrl,
    download_md5sum: source.md5,
    public_key: p.publicKey,
    enable_debug: input.enable_debug,
    ssh_jail: input.ssh_containers?.[0]?.jail ?? false,
    image_root_archive_name: input.image_root_archive_name,
    kernel_filename: kernel,
    initrd_filename: input.initrd_file_name,
    kernel_parameters_filename: input.kernel_parameters_file_name,
    address_pool: config.accessPool,
    hostname: externalHostname(p.id, config),
    namespace: config.namespace,
    s3_bucket: p.bucket,
    ...security,
    job_arch: arch,
    remote_build_node: p.remoteNode,
    remote_heartbeat_timeout_count: config.remoteTimeoutCount,
    api_gateway_hostname: config.apiGatewayHostname,
    ...(config.images ? { images: config.images } : {}),
    ...(create ? { template_dictionary: templateDictionary(source.recipe), recipe_type: source.recipe?.recipe_type ?? "kiwi-ng" } : {}),
  };
  return { kind: jobKind(input.job_type, source.recipe), params, requireDkms, kernelFileName: kernel, sizes };
}
