/**
 * The S3 and artifact-work part of the configuration (spec artifacts.md §1, plus our copy,
 * journal and retention settings). Problems join the caller's list so one start-up failure names them all.
 * No message ever quotes a key or secret.
 */
import { existsSync } from "node:fs";
import { parseSslValidate, type S3ArtifactsConfig } from "@ims/core/s3";

type Env = Record<string, string | undefined>;
type Get = (name: string) => string | undefined;
type Int = (name: string, fallback: number, min: number, max: number) => number;

export interface S3Settings {
  /** S3 artifact store (S3_ENDPOINT set), else undefined: artifacts live in artifactsDir. */
  s3: Readonly<S3ArtifactsConfig> | undefined;
  /** S3_STS_ENDPOINT: read as upstream reads it, and like upstream never used (STS uses S3_ENDPOINT). */
  s3StsEndpoint: string | undefined;
  /** S3_IMS_BUCKET: the recipes bucket by convention; the service code never uses it directly. */
  imsBucket: string;
  /** S3_BOOT_IMAGES_BUCKET: where deleted image manifests go; handed to jobs. */
  bootImagesBucket: string;
  /** S3_URL_EXPIRATION, seconds. */
  urlExpirationSeconds: number;
  /** MAX_IMAGE_MANIFEST_SIZE_BYTES. */
  maxManifestBytes: number;
  /** IMS_OPERATION_LEASE_MS: how long a crashed replica's artifact work stays claimed. */
  operationLeaseMs: number;
  /** IMS_SETTLE_TIMEOUT_MS: how long undelete/purge wait for earlier artifact work (then 409). */
  settleTimeoutMs: number;
  /** IMS_OPERATION_RETENTION_DAYS, as ms: how long done artifact operations stay in the journal. */
  operationRetentionMs: number;
  /** IDEMPOTENCY_KEY_TTL_HOURS, as ms: how long an Idempotency-Key replays its first answer. */
  idempotencyTtlMs: number;
}

const MiB = 1024 * 1024;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const GiB = 1024 * MiB;

export function readS3Settings(env: Env, get: Get, int: Int, problems: string[]): S3Settings {
  /** Upstream's timeouts are seconds; fractions are allowed so tests can fail fast. */
  const seconds = (name: string, fallback: number) => {
    const raw = get(name);
    if (raw === undefined) return fallback * 1000;
    const n = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
    if (n > 0 && n <= 3600) return Math.round(n * 1000);
    problems.push(`${name} must be a number of seconds above 0 and at most 3600, got ${JSON.stringify(raw)}`);
    return fallback * 1000;
  };
  const bucket = (name: string, fallback: string) => {
    const value = get(name) ?? fallback;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(value)) problems.push(`${name} must be a bucket name, got ${JSON.stringify(value)}`);
    return value;
  };
  /** S3_SSL_VALIDATE: a word, or a CA bundle path that must be readable now rather than at the first call. */
  const ssl = (name: string) => {
    const parsed = parseSslValidate(env[name]);
    if (typeof parsed === "string" && !existsSync(parsed)) problems.push(`${name} names a CA bundle that does not exist: ${JSON.stringify(parsed)}`);
    return parsed;
  };

  const settings: S3Settings = {
    s3: undefined,
    s3StsEndpoint: get("S3_STS_ENDPOINT"),
    imsBucket: bucket("S3_IMS_BUCKET", "ims"),
    bootImagesBucket: bucket("S3_BOOT_IMAGES_BUCKET", "boot-images"),
    // S3 presigned URLs live at most 7 days.
    urlExpirationSeconds: int("S3_URL_EXPIRATION", 432000, 1, 604800),
    maxManifestBytes: int("MAX_IMAGE_MANIFEST_SIZE_BYTES", 1048576, 1, GiB),
    operationLeaseMs: int("IMS_OPERATION_LEASE_MS", 60000, 1000, 3600000),
    settleTimeoutMs: int("IMS_SETTLE_TIMEOUT_MS", 5000, 0, 600000),
    // Whole days / hours: the worker prunes hourly, so anything finer would not be honoured.
    operationRetentionMs: int("IMS_OPERATION_RETENTION_DAYS", 30, 1, 3650) * DAY,
    idempotencyTtlMs: int("IDEMPOTENCY_KEY_TTL_HOURS", 24, 1, 8760) * HOUR,
  };
  const connectTimeoutMs = seconds("S3_CONNECT_TIMEOUT", 60);
  const readTimeoutMs = seconds("S3_READ_TIMEOUT", 60);
  // Limits S3 itself sets: CopyObject up to 5 GiB; parts 5 MiB..5 GiB.
  const multipartThresholdBytes = int("S3_MULTIPART_THRESHOLD_BYTES", 5 * GiB, 0, 5 * GiB);
  const partSizeBytes = int("S3_MULTIPART_PART_BYTES", 512 * MiB, 5 * MiB, 5 * GiB);
  const copyConcurrency = int("S3_COPY_CONCURRENCY", 4, 1, 64);

  const endpoint = get("S3_ENDPOINT");
  const [accessKeyId, secretAccessKey] = [get("S3_ACCESS_KEY"), get("S3_SECRET_KEY")];
  const [stsKey, stsSecret] = [get("S3_STS_ACCESS_KEY"), get("S3_STS_SECRET_KEY")];
  if (!endpoint) {
    // Keys without an endpoint would silently run on the local directory instead of S3.
    if (accessKeyId || secretAccessKey) problems.push("S3_ACCESS_KEY/S3_SECRET_KEY are set but S3_ENDPOINT is not: set S3_ENDPOINT to use S3");
    return settings;
  }
  if (!/^https?:\/\/[^\s/?#]+/i.test(endpoint) || !URL.canParse(endpoint)) {
    problems.push(`S3_ENDPOINT must be an http:// or https:// URL, got ${JSON.stringify(endpoint.replace(/\/\/[^@/]*@/, "//***@"))}`);
  }
  if (!accessKeyId || !secretAccessKey) problems.push("S3_ENDPOINT is set, so S3_ACCESS_KEY and S3_SECRET_KEY are required");
  if (Boolean(stsKey) !== Boolean(stsSecret)) problems.push("S3_STS_ACCESS_KEY and S3_STS_SECRET_KEY must be set together");
  settings.s3 = Object.freeze({
    endpoint,
    accessKeyId: accessKeyId ?? "",
    secretAccessKey: secretAccessKey ?? "",
    sslValidate: ssl("S3_SSL_VALIDATE"),
    // Without STS keys every copy uses the IMS credentials.
    sts: stsKey && stsSecret ? Object.freeze({ accessKeyId: stsKey, secretAccessKey: stsSecret, sslValidate: ssl("S3_STS_SSL_VALIDATE") }) : undefined,
    connectTimeoutMs,
    readTimeoutMs,
    multipartThresholdBytes,
    partSizeBytes,
    copyConcurrency,
  });
  return settings;
}

/** What the logs may say about the S3 settings: never keys or secrets, nor userinfo in the URL. */
export function describeS3(s3: Readonly<S3ArtifactsConfig>): Record<string, unknown> {
  return {
    endpoint: s3.endpoint.replace(/\/\/[^@/]*@/, "//***@"),
    ssl_validate: s3.sslValidate,
    sts_credentials: Boolean(s3.sts),
    connect_timeout_ms: s3.connectTimeoutMs,
    read_timeout_ms: s3.readTimeoutMs,
    multipart_threshold_bytes: s3.multipartThresholdBytes,
    multipart_part_bytes: s3.partSizeBytes,
    copy_concurrency: s3.copyConcurrency,
  };
}
