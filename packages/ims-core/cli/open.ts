/** Opening the record store and the artifact store the environment names. */
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { openLocalArtifacts } from "../adapters/local-artifacts/index.ts";
import { openMemoryStore } from "../adapters/memory/index.ts";
import { openStore } from "../adapters/open-store.ts";
import { openS3Artifacts } from "../adapters/s3/index.ts";
import type { ArtifactStore, RecordStore } from "../src/ports.ts";
import type { CliEnv } from "./env.ts";

/** The SQLite file a normalised DATABASE_URL names, if it names one. */
const sqliteFile = (url: string) => (url.startsWith("sqlite:") && !url.startsWith("sqlite://") ? url.slice("sqlite:".length) : undefined);

export type StoreUse =
  /** Read only: a missing SQLite file is an error, not a new empty database. */
  | "read"
  /** Will write: a missing SQLite file (and its directory) is created. */
  | "write"
  /** A dry run: a missing SQLite file counts as an empty store and is not created. */
  | "dry-run";

export async function openRecords(env: CliEnv, use: StoreUse): Promise<RecordStore> {
  const file = sqliteFile(env.databaseUrl);
  if (file !== undefined && !existsSync(file)) {
    if (use === "read") throw new Error(`no IMS database at ${file} (check DATABASE_URL)`);
    if (use === "dry-run") return openMemoryStore();
    mkdirSync(dirname(file), { recursive: true });
  }
  return openStore(env.databaseUrl);
}

export interface OpenedArtifacts {
  artifacts: ArtifactStore;
  /** Where they are, for messages. */
  where: string;
  close(): void;
}

export async function openArtifacts(env: CliEnv): Promise<OpenedArtifacts> {
  if (env.artifacts.kind === "s3") {
    const s3 = await openS3Artifacts(env.artifacts.config);
    return { artifacts: s3, where: `S3 at ${env.artifacts.config.endpoint}`, close: () => s3.close() };
  }
  const { dir } = env.artifacts;
  return { artifacts: await openLocalArtifacts({ dir }), where: `local directory ${dir}`, close() {} };
}
