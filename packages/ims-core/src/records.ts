/** The record shapes exactly as the API emits them (and as legacy IMS data files hold them). */

export type Arch = "x86_64" | "aarch64";
export const ARCHES: readonly Arch[] = ["x86_64", "aarch64"];

export interface ArtifactLink {
  path: string;
  etag: string;
  type: string;
}

export interface PublicKey {
  id: string;
  name: string;
  public_key: string;
  created: string;
}

export interface Recipe {
  id: string;
  created: string;
  name: string;
  link: ArtifactLink | null;
  recipe_type: "kiwi-ng" | "packer";
  linux_distribution: "sles12" | "sles15" | "centos7";
  template_dictionary: { key: string; value: string }[] | null;
  require_dkms: boolean;
  arch: Arch;
}

export interface Image {
  id: string;
  created: string;
  name: string;
  link: ArtifactLink | null;
  arch: Arch;
  metadata: Record<string, string>;
}

export type Deleted<T> = T & { deleted: string };

export const JOB_STATUSES = [
  "creating",
  "fetching_image",
  "fetching_recipe",
  "waiting_for_repos",
  "building_image",
  "packaging_artifacts",
  "waiting_on_user",
  "error",
  "success",
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type JobType = "create" | "customize";

export interface SshConnection {
  host: string;
  port: number;
}

export interface SshContainer {
  /** Upstream does not require one (a customize body may give a container without). */
  name?: string;
  jail: boolean;
  status?: string;
  connection_info?: Record<string, SshConnection>;
}

export interface Job {
  id: string;
  created: string;
  job_type: JobType;
  artifact_id: string;
  public_key_id: string;
  image_root_archive_name: string;
  enable_debug: boolean;
  build_env_size: number;
  job_mem_size: number;
  kernel_file_name: string;
  initrd_file_name: string;
  kernel_parameters_file_name: string;
  ssh_containers: SshContainer[] | null;
  require_dkms: boolean;
  status: JobStatus;
  resultant_image_id: string | null;
  arch: Arch;
  remote_build_node: string;
  kubernetes_job: string | null;
  kubernetes_service: string | null;
  kubernetes_configmap: string | null;
  kubernetes_pvc: string | null;
  kubernetes_secret: string | null;
  kubernetes_namespace: string | null;
}

export interface RemoteBuildNode {
  xname: string;
}

/** Every collection the store keeps; names follow upstream's data stores. */
export interface Collections {
  public_keys: PublicKey;
  deleted_public_keys: Deleted<PublicKey>;
  recipes: Recipe;
  deleted_recipes: Deleted<Recipe>;
  images: Image;
  deleted_images: Deleted<Image>;
  jobs: Job;
  remote_build_nodes: RemoteBuildNode;
}
export type Collection = keyof Collections;
export const COLLECTIONS: readonly Collection[] = [
  "public_keys",
  "deleted_public_keys",
  "recipes",
  "deleted_recipes",
  "images",
  "deleted_images",
  "jobs",
  "remote_build_nodes",
];
