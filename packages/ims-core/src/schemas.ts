/**
 * TypeBox schemas for every record and request body, defined once: the core validates input
 * with them (validate.ts, marshmallow-compatible messages) and the HTTP edge builds its
 * OpenAPI document from them.
 */
import { Type as T, type TSchema } from "@sinclair/typebox";
import { JOB_STATUSES } from "./records.ts";

const oneOf = <V extends string>(values: readonly V[], opts: object = {}) =>
  T.Union(values.map((v) => T.Literal(v)), opts);
const nullable = <S extends TSchema>(s: S, opts: object = {}) => T.Union([s, T.Null()], opts);
const strict = { additionalProperties: false } as const;
const nonEmpty = (description?: string) => T.String({ minLength: 1, description });
const Uuid = (description?: string) => T.String({ format: "uuid", description });
const DateTime = T.String({ description: "Naive ISO-8601 time (server local time, no offset)" });

// Upstream's order (marshmallow OneOf([ARCH_ARM64, ARCH_X86_64]) and its OpenAPI enum): messages and `cray ims` choices list it so.
export const Arch = oneOf(["aarch64", "x86_64"]);

export const ArtifactLinkInput = T.Object(
  {
    path: nonEmpty("s3://<bucket>/<key>"),
    etag: T.Optional(T.String({ default: "" })),
    type: oneOf(["s3"]),
  },
  strict,
);
export const ArtifactLink = T.Object({ path: T.String(), etag: T.String(), type: T.String() });

// ---- public keys
export const PublicKeyCreate = T.Object({ name: nonEmpty(), public_key: nonEmpty() }, strict);
export const PublicKey = T.Object({ id: Uuid(), name: T.String(), public_key: T.String(), created: DateTime });
export const DeletedPublicKey = T.Object({ ...PublicKey.properties, deleted: DateTime });

// ---- recipes
const TemplateEntry = T.Object({ key: T.String(), value: T.String() }, strict);
const recipeFields = {
  template_dictionary: T.Optional(nullable(T.Array(TemplateEntry))),
  require_dkms: T.Optional(T.Boolean({ default: true })),
  arch: T.Optional(oneOf(["aarch64", "x86_64"], { default: "x86_64" })),
};
export const RecipeCreate = T.Object(
  {
    name: nonEmpty(),
    link: T.Optional(nullable(ArtifactLinkInput, { default: null })),
    recipe_type: oneOf(["kiwi-ng", "packer"]),
    linux_distribution: oneOf(["sles12", "sles15", "centos7"]),
    ...recipeFields,
  },
  strict,
);
export const RecipePatch = T.Object(
  {
    link: T.Optional(ArtifactLinkInput),
    arch: T.Optional(Arch),
    require_dkms: T.Optional(T.Boolean()),
    template_dictionary: T.Optional(nullable(T.Array(TemplateEntry))),
  },
  strict,
);
export const Recipe = T.Object({
  id: Uuid(),
  created: DateTime,
  name: T.String(),
  link: nullable(ArtifactLink),
  recipe_type: T.String(),
  linux_distribution: T.String(),
  template_dictionary: nullable(T.Array(T.Object({ key: T.String(), value: T.String() }))),
  require_dkms: T.Boolean(),
  arch: T.String(),
});
export const DeletedRecipe = T.Object({ ...Recipe.properties, deleted: DateTime });

// ---- images
export const ImageCreate = T.Object(
  {
    name: nonEmpty(),
    link: T.Optional(nullable(ArtifactLinkInput, { default: null })),
    arch: T.Optional(oneOf(["aarch64", "x86_64"], { default: "x86_64" })),
    metadata: T.Optional(T.Record(T.String(), T.String(), { default: {} })),
  },
  strict,
);
export const MetadataOperation = T.Object(
  { operation: oneOf(["set", "remove"]), key: T.String(), value: T.Optional(T.String({ default: "" })) },
  strict,
);
export const ImagePatch = T.Object(
  { link: T.Optional(ArtifactLinkInput), arch: T.Optional(Arch), metadata: T.Optional(MetadataOperation) },
  strict,
);
export const Image = T.Object({
  id: Uuid(),
  created: DateTime,
  name: T.String(),
  link: nullable(ArtifactLink),
  arch: T.String(),
  metadata: T.Record(T.String(), T.String()),
});
export const DeletedImage = T.Object({ ...Image.properties, deleted: DateTime });

// ---- deleted records
export const Undelete = T.Object({ operation: oneOf(["undelete"]) }, strict);

// ---- remote build nodes
export const RemoteBuildNodeCreate = T.Object({ xname: nonEmpty() }, strict);
export const RemoteBuildNode = T.Object({ xname: T.String() });
export const RemoteNodeStatus = T.Object({
  xname: T.String(),
  sshStatus: T.String(),
  podmanStatus: T.String(),
  nodeArch: T.String(),
  numCurrentJobs: T.Integer(),
  ableToRunJobs: T.Boolean(),
});

// ---- jobs
export const JobStatus = oneOf(JOB_STATUSES);
const SshContainerInput = T.Object({ name: T.Optional(T.String()), jail: T.Optional(T.Boolean({ default: false })) }, strict);
export const JobCreate = T.Object(
  {
    artifact_id: Uuid(),
    public_key_id: Uuid(),
    job_type: oneOf(["create", "customize"]),
    image_root_archive_name: nonEmpty(),
    enable_debug: T.Optional(T.Boolean({ default: false })),
    build_env_size: T.Optional(T.Integer({ minimum: 1 })),
    kernel_file_name: T.Optional(T.String()),
    initrd_file_name: T.Optional(T.String({ minLength: 1, default: "initrd" })),
    kernel_parameters_file_name: T.Optional(T.String({ minLength: 1, default: "kernel-parameters" })),
    ssh_containers: T.Optional(nullable(T.Array(SshContainerInput))),
    require_dkms: T.Optional(T.Boolean()),
    job_mem_size: T.Optional(T.Integer({ minimum: 1 })),
  },
  strict,
);
export const JobPatch = T.Object({ status: T.Optional(JobStatus), resultant_image_id: T.Optional(Uuid()) }, strict);
const SshConnection = T.Object({ host: T.String(), port: T.Integer() });
export const Job = T.Object({
  id: Uuid(),
  created: DateTime,
  job_type: T.String(),
  artifact_id: Uuid(),
  public_key_id: Uuid(),
  image_root_archive_name: T.String(),
  enable_debug: T.Boolean(),
  build_env_size: T.Integer(),
  job_mem_size: T.Integer(),
  kernel_file_name: T.String(),
  initrd_file_name: T.String(),
  kernel_parameters_file_name: T.String(),
  ssh_containers: nullable(
    T.Array(
      T.Object({
        name: T.String(),
        jail: T.Boolean(),
        status: T.Optional(T.String()),
        connection_info: T.Optional(T.Record(T.String(), SshConnection)),
      }),
    ),
  ),
  require_dkms: T.Boolean(),
  status: T.String(),
  resultant_image_id: nullable(T.String()),
  arch: T.String(),
  remote_build_node: T.String(),
  kubernetes_job: nullable(T.String()),
  kubernetes_service: nullable(T.String()),
  kubernetes_configmap: nullable(T.String()),
  kubernetes_pvc: nullable(T.String()),
  kubernetes_secret: nullable(T.String()),
  kubernetes_namespace: nullable(T.String()),
});

// ---- operations view (artifact journal) and problems
const Ref = T.Object({ bucket: T.String(), key: T.String() });
export const Operation = T.Object({
  id: T.String(),
  action: T.String(),
  collection: T.String(),
  recordId: T.String(),
  state: oneOf(["pending", "done", "failed"]),
  nextStep: T.Integer(),
  attempts: T.Integer(),
  lastError: nullable(T.String()),
  created: T.String(),
  updated: T.String(),
  steps: T.Array(T.Object({ op: T.String(), from: T.Optional(Ref), to: T.Optional(Ref), ref: T.Optional(Ref) })),
});
export const Problem = T.Object({
  type: T.Optional(T.String()),
  status: T.Integer(),
  title: T.String(),
  detail: T.Optional(T.String()), // upstream leaves it out when it says everything in the title
  errors: T.Optional(T.Union([T.Record(T.String(), T.Unknown()), T.Array(T.String())])),
});

// Each record schema doubles as the record's type, so `import { Image } from "@ims/core"`
// gives both the TypeBox schema (value) and the record shape (type).
import type * as R from "./records.ts";
import type * as S from "./service-types.ts";
import type * as P from "./ports.ts";
export type Arch = R.Arch;
export type ArtifactLink = R.ArtifactLink;
export type PublicKey = R.PublicKey;
export type DeletedPublicKey = R.Deleted<R.PublicKey>;
export type Recipe = R.Recipe;
export type DeletedRecipe = R.Deleted<R.Recipe>;
export type Image = R.Image;
export type DeletedImage = R.Deleted<R.Image>;
export type Job = R.Job;
export type JobStatus = R.JobStatus;
export type RemoteBuildNode = R.RemoteBuildNode;
export type RemoteNodeStatus = S.RemoteNodeStatus;
export type Operation = P.Operation;
