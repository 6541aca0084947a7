/** Opening the record store and the artifact store the configuration names (service and admin commands). */
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { ArtifactStore, CoreConfig, JobDefaults, RecordStore } from "@ims/core";
import { openLocalArtifacts } from "@ims/core/local-artifacts";
import { openMemoryStore } from "@ims/core/memory";
import { openStore } from "@ims/core/open-store";
import { openS3Artifacts } from "@ims/core/s3";
import { sqliteFileOf, type Config } from "../config/index.ts";
import { describeS3 } from "../config/describe.ts";

export type StoreUse =
  /** Read only: a missing SQLite file is an error, not a new empty database. */
  | "read"
  /** Will write: a missing SQLite file (and its directory) is created. */
  | "write"
  /** A dry run: a missing SQLite file counts as an empty store and is not created. */
  | "dry-run";

export async function openRecords(config: Readonly<Config>, use: StoreUse): Promise<RecordStore> {
  const file = sqliteFileOf(config.databaseUrl);
  if (file !== undefined && !existsSync(file)) {
    if (use === "read") throw new Error(`no IMS database at ${file} (check DATABASE_URL)`);
    if (use === "dry-run") return openMemoryStore();
    mkdirSync(dirname(file), { recursive: true });
  }
  return openStore(config.databaseUrl);
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
  return { artifacts: await openLocalArtifacts({ dir }), where: `local directory ${dir}`, described: { dir, ...buckets }, close() {} };
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
