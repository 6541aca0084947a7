/**
 * The admin commands read the same environment as the service: DATABASE_URL for records, the
 * S3 settings (spec artifacts.md §1) or IMS_ARTIFACTS_DIR for artifacts. Bad values are
 * reported together, before anything is opened.
 */
import { isAbsolute, resolve } from "node:path";
import type { S3ArtifactsConfig } from "../adapters/s3/index.ts";
import { parseSslValidate } from "../adapters/s3/index.ts";
import type { JobDefaults } from "../src/migrate/index.ts";

type Env = Record<string, string | undefined>;

export interface CliEnv {
  /** As openStore takes it, SQLite paths made absolute. */
  databaseUrl: string;
  artifacts: { kind: "s3"; config: S3ArtifactsConfig } | { kind: "local"; dir: string };
  imsBucket: string;
  bootImagesBucket: string;
  maxManifestBytes: number;
  jobDefaults: JobDefaults;
}

export class EnvError extends Error {}

export function readEnv(env: Env, cwd: string): CliEnv {
  const problems: string[] = [];
  const get = (name: string) => env[name]?.trim() || undefined;
  const positive = (name: string, fallback: number) => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    if (/^\d+$/.test(raw) && Number(raw) >= 1 && Number.isSafeInteger(Number(raw))) return Number(raw);
    problems.push(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
    return fallback;
  };

  const rawDb = get("DATABASE_URL") ?? "sqlite:./var/ims.sqlite";
  const databaseUrl = sqliteAbsolute(rawDb, cwd);
  const endpoint = get("S3_ENDPOINT");
  const s3 = (): S3ArtifactsConfig => {
    const [accessKeyId, secretAccessKey] = [get("S3_ACCESS_KEY"), get("S3_SECRET_KEY")];
    if (!accessKeyId || !secretAccessKey) problems.push("S3_ENDPOINT is set but S3_ACCESS_KEY or S3_SECRET_KEY is not");
    const [stsKey, stsSecret] = [get("S3_STS_ACCESS_KEY"), get("S3_STS_SECRET_KEY")];
    if (Boolean(stsKey) !== Boolean(stsSecret)) problems.push("S3_STS_ACCESS_KEY and S3_STS_SECRET_KEY must be set together");
    return {
      endpoint: endpoint!,
      accessKeyId: accessKeyId ?? "",
      secretAccessKey: secretAccessKey ?? "",
      sslValidate: parseSslValidate(env.S3_SSL_VALIDATE),
      sts: stsKey && stsSecret ? { accessKeyId: stsKey, secretAccessKey: stsSecret, sslValidate: parseSslValidate(env.S3_STS_SSL_VALIDATE) } : undefined,
      connectTimeoutMs: positive("S3_CONNECT_TIMEOUT", 60) * 1000,
      readTimeoutMs: positive("S3_READ_TIMEOUT", 60) * 1000,
    };
  };
  const artifacts: CliEnv["artifacts"] = endpoint
    ? { kind: "s3", config: s3() }
    : { kind: "local", dir: resolve(cwd, get("IMS_ARTIFACTS_DIR") ?? "./var/artifacts") };
  const result: CliEnv = {
    databaseUrl,
    artifacts,
    imsBucket: get("S3_IMS_BUCKET") ?? "ims",
    bootImagesBucket: get("S3_BOOT_IMAGES_BUCKET") ?? "boot-images",
    maxManifestBytes: positive("MAX_IMAGE_MANIFEST_SIZE_BYTES", 1048576),
    jobDefaults: { buildEnvSize: positive("DEFAULT_IMS_IMAGE_SIZE", 60), jobMemSize: positive("DEFAULT_IMS_JOB_MEM_SIZE", 8) },
  };
  if (problems.length) throw new EnvError(`invalid environment: ${problems.join("; ")}`);
  return result;
}

/** sqlite:relative/path and bare relative paths are taken from the current directory. */
function sqliteAbsolute(url: string, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url; // postgres://, sqlite:///abs
  const path = url.startsWith("sqlite:") ? url.slice("sqlite:".length) : /^[a-z][a-z0-9+.-]*:/i.test(url) ? undefined : url;
  if (!path) return url; // let openStore explain what is wrong with it
  return `sqlite:${isAbsolute(path) ? path : resolve(cwd, path)}`;
}

/** Never print a database password. */
export const redact = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
