/**
 * The S3 and artifact-work part of the configuration (spec artifacts.md §1, plus our copy,
 * journal and retention settings). Problems join the caller's list so one start-up failure names them all.
 * No message ever quotes a key or secret.
 */
import { existsSync } from "node:fs";
import { parseSslValidate, type S3ArtifactsConfig } from "@ims/core/s3";
import type { EnvReader } from "./env-reader.ts";


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
  /** IMS_ARTIFACT_WAIT_MS: how long a delete/undelete/purge waits for its own artifact work. */
  artifactWaitMs: number;
  /** IMS_OPERATION_RETENTION_DAYS, as ms: how long done artifact operations stay in the journal. */
  operationRetentionMs: number;
  /** IDEMPOTENCY_KEY_TTL_HOURS, as ms: how long an Idempotency-Key replays its first answer. */
  idempotencyTtlMs: number;
}

const MiB = 1024 * 1024;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const GiB = 1024 * MiB;

export function readS3Settings(r: EnvReader): S3Settings {
  const bucket = (name: string) => r.matching(name, /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/, "a bucket name");
  /** Upstream's timeouts are seconds; fractions are allowed so tests can fail fast. */
  const seconds = (name: string) => Math.round(r.positive(name, 3600, "seconds") * 1000);
  /** S3_SSL_VALIDATE: a word, or a CA bundle path that must be readable now rather than at the first call. */
  const ssl = (name: string) => {
    const parsed = parseSslValidate(r.untrimmed(name));
    if (typeof parsed === "string" && !existsSync(parsed)) r.problem(`${name} names a CA bundle that does not exist: ${JSON.stringify(parsed)}`);
    return parsed;
  };

  const settings: S3Settings = {
    s3: undefined,
    s3StsEndpoint: r.raw("S3_STS_ENDPOINT"),
    imsBucket: bucket("S3_IMS_BUCKET"),
    bootImagesBucket: bucket("S3_BOOT_IMAGES_BUCKET"),
    // S3 presigned URLs live at most 7 days.
    urlExpirationSeconds: r.int("S3_URL_EXPIRATION", 1, 604800),
    maxManifestBytes: r.int("MAX_IMAGE_MANIFEST_SIZE_BYTES", 1, GiB),
    operationLeaseMs: r.int("IMS_OPERATION_LEASE_MS", 1000, 3600000),
    settleTimeoutMs: r.int("IMS_SETTLE_TIMEOUT_MS", 0, 600000),
    artifactWaitMs: r.int("IMS_ARTIFACT_WAIT_MS", 0, 600000),
    // Whole days / hours: the worker prunes hourly, so anything finer would not be honoured.
    operationRetentionMs: r.int("IMS_OPERATION_RETENTION_DAYS", 1, 3650) * DAY,
    idempotencyTtlMs: r.int("IDEMPOTENCY_KEY_TTL_HOURS", 1, 8760) * HOUR,
  };
  const connectTimeoutMs = seconds("S3_CONNECT_TIMEOUT");
  const readTimeoutMs = seconds("S3_READ_TIMEOUT");
  // Limits S3 itself sets: CopyObject up to 5 GiB; parts 5 MiB..5 GiB.
  const multipartThresholdBytes = r.int("S3_MULTIPART_THRESHOLD_BYTES", 0, 5 * GiB);
  const partSizeBytes = r.int("S3_MULTIPART_PART_BYTES", 5 * MiB, 5 * GiB);
  const copyConcurrency = r.int("S3_COPY_CONCURRENCY", 1, 64);

  const endpoint = r.raw("S3_ENDPOINT");
  const [accessKeyId, secretAccessKey] = [r.raw("S3_ACCESS_KEY"), r.raw("S3_SECRET_KEY")];
  const [stsKey, stsSecret] = [r.raw("S3_STS_ACCESS_KEY"), r.raw("S3_STS_SECRET_KEY")];
  if (!endpoint) {
    // Keys without an endpoint would silently run on the local directory instead of S3.
    if (accessKeyId || secretAccessKey) r.problem("S3_ACCESS_KEY/S3_SECRET_KEY are set but S3_ENDPOINT is not: set S3_ENDPOINT to use S3");
    return settings;
  }
  if (!/^https?:\/\/[^\s/?#]+/i.test(endpoint) || !URL.canParse(endpoint)) {
    r.problem(`S3_ENDPOINT must be an http:// or https:// URL, got ${JSON.stringify(endpoint.replace(/\/\/[^@/]*@/, "//***@"))}`);
  }
  if (!accessKeyId || !secretAccessKey) r.problem("S3_ENDPOINT is set, so S3_ACCESS_KEY and S3_SECRET_KEY are required");
  if (Boolean(stsKey) !== Boolean(stsSecret)) r.problem("S3_STS_ACCESS_KEY and S3_STS_SECRET_KEY must be set together");
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
