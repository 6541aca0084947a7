/** Opening the record store and the artifact store the configuration names (service and admin commands). */
import { ImsError, isImsError, type ArtifactStore, type CoreConfig, type JobDefaults, type RecordStore } from "@ims/core";
import { openLocalArtifacts } from "@ims/core/local-artifacts";
import { openMemoryStore } from "@ims/core/memory";
import { openStore } from "@ims/core/open-store";
import { openS3Artifacts } from "@ims/core/s3";
import type { Config } from "../config/index.ts";
import { describeS3 } from "../config/describe.ts";

export type StoreUse =
  /** Only reads (export, operations, orphans): a missing database is an error; nothing is written. */
  | "read"
  /**
   * Writes (serve, migrate-legacy, import): a missing SQLite file is created, but a missing
   * directory only at the default location (./var/): anywhere else it is a mistyped path.
   */
  | "write"
  /** A dry run: only reads; a missing database (file, or one without IMS tables) is an empty store. */
  | "dry-run";

export async function openRecords(config: Readonly<Config>, use: StoreUse): Promise<RecordStore> {
  try {
    if (use === "write") return await openStore(config.databaseUrl, { createParents: config.databaseUrl === config.defaults.databaseUrl });
    return await openStore(config.databaseUrl, { readOnly: true });
  } catch (e) {
    if (use === "dry-run" && isImsError(e) && e.kind === "not_found") return openMemoryStore();
    throw naming(e, "DATABASE_URL");
  }
}

/** The error with the setting to check added to its message. */
function naming(e: unknown, variable: string): Error {
  if (isImsError(e)) return new ImsError(e.kind, `${e.detail.replace(/\.$/, "")} (check ${variable}).`, e.errors);
  return new Error(`${(e as Error).message.replace(/\.$/, "")} (check ${variable}).`, { cause: e });
}

export interface OpenedArtifacts {
  artifacts: ArtifactStore;
  /** Where they are, for messages. */
  where: string;
  /** What the start-up log says about them (never a secret). */
  described: Record<string, unknown>;
  close(): void;
}

/** S3 when S3_ENDPOINT is set, else the local directory. */
export async function openArtifacts(config: Readonly<Config>): Promise<OpenedArtifacts> {
  const buckets = { boot_images_bucket: config.bootImagesBucket, ims_bucket: config.imsBucket };
  if (config.s3) {
    const s3 = await openS3Artifacts(config.s3);
    return { artifacts: s3, where: `S3 at ${config.s3.endpoint}`, described: { ...describeS3(config.s3), ...buckets }, close: () => s3.close() };
  }
  const dir = config.artifactsDir;
  const createParents = dir === config.defaults.artifactsDir;
  const artifacts = await openLocalArtifacts({ dir, createParents }).catch((e) => Promise.reject(naming(e, "IMS_ARTIFACTS_DIR")));
  return { artifacts, where: `local directory ${dir}`, described: { dir, ...buckets }, close() {} };
}

/** Sizes for legacy jobs whose files predate build_env_size / job_mem_size. */
export const jobDefaultsOf = (config: Readonly<Config>): JobDefaults => ({
  buildEnvSize: config.jobs.defaultImageSize,
  jobMemSize: config.jobs.defaultJobMemSize,
});

/** The core's settings from the configuration (createIms `config`): the service's and the commands' alike. */
export const coreConfigOf = (config: Readonly<Config>): Partial<CoreConfig> => ({
  bootImagesBucket: config.bootImagesBucket,
  maxManifestBytes: config.maxManifestBytes,
  urlExpirationSeconds: config.urlExpirationSeconds,
  settleTimeoutMs: config.settleTimeoutMs,
  artifactWaitMs: config.artifactWaitMs,
});
