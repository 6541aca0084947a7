/**
 * Typed configuration of the S3 artifact store. The service's composer builds it from its
 * environment (see spec/artifacts.md §1); the adapter itself never reads the environment.
 */
export interface S3ArtifactsConfig {
  /** Endpoint URL for both credential sets, e.g. "https://rgw.local:8080" (path-style). */
  endpoint: string;
  /** IMS credentials: used for every call except copies of objects owned by "STS". */
  accessKeyId: string;
  secretAccessKey: string;
  /** Signing region; Ceph RGW accepts any. Default "us-east-1". */
  region?: string;
  /** false: no TLS verification; true: system CAs; a string: path to a CA bundle. */
  sslValidate: boolean | string;
  /** STS credentials, only for copying objects whose ACL owner ID is exactly "STS". */
  sts?: { accessKeyId: string; secretAccessKey: string; sslValidate: boolean | string };
  connectTimeoutMs: number;
  /** Longest silence on an open connection (boto's read_timeout), not a whole-request limit. */
  readTimeoutMs: number;
  /** Objects above this size are copied part by part. Default 5 GiB (CopyObject's limit). */
  multipartThresholdBytes?: number;
  /** Part size for multipart copies; at least 5 MiB. Default 512 MiB. */
  partSizeBytes?: number;
  /** Parts copied at the same time. Default 4. */
  copyConcurrency?: number;
  /** Tries per call, retries included (SDK retry strategy). Default 3. */
  maxAttempts?: number;
}

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
/** S3 refuses parts under 5 MiB (except the last) and over 5 GiB, and more than 10,000 parts. */
export const MIN_PART_BYTES = 5 * MiB;
export const MAX_PART_BYTES = 5 * GiB;
export const MAX_PARTS = 10_000;

export interface CopyLimits {
  multipartThresholdBytes: number;
  partSizeBytes: number;
  copyConcurrency: number;
}

/** Defaults applied and nonsense refused at startup rather than mid-copy. */
export function copyLimits(config: S3ArtifactsConfig): CopyLimits {
  const limits = {
    multipartThresholdBytes: config.multipartThresholdBytes ?? 5 * GiB,
    partSizeBytes: config.partSizeBytes ?? 512 * MiB,
    copyConcurrency: config.copyConcurrency ?? 4,
  };
  if (!(limits.partSizeBytes >= MIN_PART_BYTES && limits.partSizeBytes <= MAX_PART_BYTES)) {
    throw new Error(`S3 partSizeBytes must be between ${MIN_PART_BYTES} and ${MAX_PART_BYTES}, not ${limits.partSizeBytes}`);
  }
  if (!(limits.multipartThresholdBytes >= 0 && limits.multipartThresholdBytes <= MAX_PART_BYTES)) {
    throw new Error(`S3 multipartThresholdBytes must be between 0 and ${MAX_PART_BYTES}, not ${limits.multipartThresholdBytes}`);
  }
  if (!(Number.isInteger(limits.copyConcurrency) && limits.copyConcurrency >= 1)) {
    throw new Error(`S3 copyConcurrency must be a positive integer, not ${limits.copyConcurrency}`);
  }
  return limits;
}

const FALSE_WORDS = new Set(["false", "off", "no", "f", "0"]);
const TRUE_WORDS = new Set(["true", "on", "yes", "t", "1"]);

/**
 * Reads an S3_SSL_VALIDATE-style value as upstream does: unset or a false word turns
 * verification off; a true word turns it on; anything else is a CA bundle path.
 */
export function parseSslValidate(raw: string | undefined): boolean | string {
  const word = (raw ?? "false").trim().toLowerCase();
  if (word === "" || FALSE_WORDS.has(word)) return false;
  if (TRUE_WORDS.has(word)) return true;
  return raw!.trim();
}
