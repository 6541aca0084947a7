/** The S3 settings of the configuration: upstream's variables, our copy/journal settings, errors. */
import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig } from "./index.ts";
import { describeS3 } from "./describe.ts";

const S3 = { S3_ENDPOINT: "http://rgw.local:8080", S3_ACCESS_KEY: "AKIA-IMS", S3_SECRET_KEY: "ims-secret" };
const MiB = 1024 * 1024;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error("no ConfigError");
}

describe("S3 configuration", () => {
  test("no S3_ENDPOINT: local artifacts, upstream's defaults for the rest", () => {
    const c = loadConfig({});
    expect(c.s3).toBeUndefined();
    expect(c).toMatchObject({ imsBucket: "ims", bootImagesBucket: "boot-images", urlExpirationSeconds: 432000, maxManifestBytes: 1048576 });
  });

  test("S3_ENDPOINT with keys: defaults (insecure TLS, 60 s timeouts, 5 GiB / 512 MiB / 4)", () => {
    const c = loadConfig(S3);
    expect(c.s3).toEqual({
      endpoint: "http://rgw.local:8080",
      accessKeyId: "AKIA-IMS",
      secretAccessKey: "ims-secret",
      sslValidate: false,
      sts: undefined,
      connectTimeoutMs: 60000,
      readTimeoutMs: 60000,
      multipartThresholdBytes: 5 * 1024 * MiB,
      partSizeBytes: 512 * MiB,
      copyConcurrency: 4,
    });
    expect(Object.isFrozen(c.s3)).toBe(true);
  });

  test("every variable is read", () => {
    const c = loadConfig({
      ...S3,
      S3_SSL_VALIDATE: "True",
      S3_STS_ACCESS_KEY: "sts-key",
      S3_STS_SECRET_KEY: "sts-secret",
      S3_STS_SSL_VALIDATE: "off",
      S3_STS_ENDPOINT: "http://unused:1",
      S3_IMS_BUCKET: "recipes-b",
      S3_BOOT_IMAGES_BUCKET: "images-b",
      S3_URL_EXPIRATION: "600",
      S3_CONNECT_TIMEOUT: "5",
      S3_READ_TIMEOUT: "0.5",
      MAX_IMAGE_MANIFEST_SIZE_BYTES: "4096",
      S3_MULTIPART_THRESHOLD_BYTES: String(8 * MiB),
      S3_MULTIPART_PART_BYTES: String(5 * MiB),
      S3_COPY_CONCURRENCY: "1",
      IMS_OPERATION_LEASE_MS: "2000",
      IMS_SETTLE_TIMEOUT_MS: "0",
      IMS_OPERATION_RETENTION_DAYS: "7",
      IDEMPOTENCY_KEY_TTL_HOURS: "48",
    });
    expect(c.s3).toMatchObject({
      sslValidate: true,
      sts: { accessKeyId: "sts-key", secretAccessKey: "sts-secret", sslValidate: false },
      connectTimeoutMs: 5000,
      readTimeoutMs: 500,
      multipartThresholdBytes: 8 * MiB,
      partSizeBytes: 5 * MiB,
      copyConcurrency: 1,
    });
    expect(c).toMatchObject({
      s3StsEndpoint: "http://unused:1",
      imsBucket: "recipes-b",
      bootImagesBucket: "images-b",
      urlExpirationSeconds: 600,
      maxManifestBytes: 4096,
      operationLeaseMs: 2000,
      settleTimeoutMs: 0,
      operationRetentionMs: 7 * DAY,
      idempotencyTtlMs: 48 * HOUR,
    });
  });

  test("S3_SSL_VALIDATE: false words, or a CA bundle path that must exist", () => {
    for (const word of ["false", "OFF", "no", "F", "0", ""]) expect(loadConfig({ ...S3, S3_SSL_VALIDATE: word }).s3!.sslValidate).toBe(false);
    expect(loadConfig({ ...S3, S3_SSL_VALIDATE: import.meta.path }).s3!.sslValidate).toBe(import.meta.path);
    expect(problemsOf({ ...S3, S3_SSL_VALIDATE: "/no/such/ca.pem" })).toEqual(['S3_SSL_VALIDATE names a CA bundle that does not exist: "/no/such/ca.pem"']);
  });

  test("S3_ENDPOINT without keys is an error; keys without S3_ENDPOINT too", () => {
    expect(problemsOf({ S3_ENDPOINT: "http://rgw:80" })).toEqual(["S3_ENDPOINT is set, so S3_ACCESS_KEY and S3_SECRET_KEY are required"]);
    expect(problemsOf({ S3_ENDPOINT: "http://rgw:80", S3_ACCESS_KEY: "k" })).toHaveLength(1);
    expect(problemsOf({ S3_ACCESS_KEY: "k", S3_SECRET_KEY: "s" })[0]).toStartWith("S3_ACCESS_KEY/S3_SECRET_KEY are set but S3_ENDPOINT is not");
  });

  test("every bad S3 value is reported at once, and no secret appears in any message", () => {
    const problems = problemsOf({
      S3_ENDPOINT: "ftp://user:hunter2@rgw",
      S3_SECRET_KEY: "hunter2",
      S3_STS_ACCESS_KEY: "only-half",
      S3_BOOT_IMAGES_BUCKET: "a/b",
      S3_URL_EXPIRATION: "0",
      S3_CONNECT_TIMEOUT: "-1",
      S3_READ_TIMEOUT: "soon",
      MAX_IMAGE_MANIFEST_SIZE_BYTES: "1e6",
      S3_MULTIPART_THRESHOLD_BYTES: String(6 * 1024 * MiB),
      S3_MULTIPART_PART_BYTES: String(4 * MiB),
      S3_COPY_CONCURRENCY: "0",
      IMS_OPERATION_LEASE_MS: "10",
      IMS_SETTLE_TIMEOUT_MS: "x",
      IMS_OPERATION_RETENTION_DAYS: "0",
      IDEMPOTENCY_KEY_TTL_HOURS: "1.5",
    });
    const names = problems.map((p) => p.split(" ")[0]);
    expect(names.sort()).toEqual(
      [
        "IDEMPOTENCY_KEY_TTL_HOURS", "IMS_OPERATION_LEASE_MS", "IMS_OPERATION_RETENTION_DAYS", "IMS_SETTLE_TIMEOUT_MS",
        "MAX_IMAGE_MANIFEST_SIZE_BYTES", "S3_BOOT_IMAGES_BUCKET",
        "S3_CONNECT_TIMEOUT", "S3_COPY_CONCURRENCY", "S3_ENDPOINT", "S3_ENDPOINT", "S3_MULTIPART_PART_BYTES",
        "S3_MULTIPART_THRESHOLD_BYTES", "S3_READ_TIMEOUT", "S3_STS_ACCESS_KEY", "S3_URL_EXPIRATION",
      ].sort(),
    );
    expect(problems.join("\n")).not.toContain("hunter2");
    expect(problems).toContain(`S3_MULTIPART_PART_BYTES must be an integer ${5 * MiB}-${5 * 1024 * MiB}, got "${4 * MiB}"`);
  });

  test("retention: IMS_OPERATION_RETENTION_DAYS 1-3650 (default 30), IDEMPOTENCY_KEY_TTL_HOURS 1-8760 (default 24)", () => {
    expect(loadConfig({})).toMatchObject({ operationRetentionMs: 30 * DAY, idempotencyTtlMs: 24 * HOUR });
    expect(loadConfig({ IMS_OPERATION_RETENTION_DAYS: "1", IDEMPOTENCY_KEY_TTL_HOURS: "1" })).toMatchObject({ operationRetentionMs: DAY, idempotencyTtlMs: HOUR });
    expect(loadConfig({ IMS_OPERATION_RETENTION_DAYS: "3650", IDEMPOTENCY_KEY_TTL_HOURS: "8760" })).toMatchObject({
      operationRetentionMs: 3650 * DAY,
      idempotencyTtlMs: 8760 * HOUR,
    });
    expect(loadConfig({ IMS_OPERATION_RETENTION_DAYS: " ", IDEMPOTENCY_KEY_TTL_HOURS: "" })).toMatchObject({ operationRetentionMs: 30 * DAY, idempotencyTtlMs: 24 * HOUR });
    expect(problemsOf({ IMS_OPERATION_RETENTION_DAYS: "3651", IDEMPOTENCY_KEY_TTL_HOURS: "0" })).toEqual([
      'IMS_OPERATION_RETENTION_DAYS must be an integer 1-3650, got "3651"',
      'IDEMPOTENCY_KEY_TTL_HOURS must be an integer 1-8760, got "0"',
    ]);
    expect(problemsOf({ IMS_OPERATION_RETENTION_DAYS: "30d", IDEMPOTENCY_KEY_TTL_HOURS: "-1" })).toHaveLength(2);
  });

  test("describeS3 (what main logs) carries no key or secret", () => {
    const c = loadConfig({ ...S3, S3_ENDPOINT: "http://u:pw@rgw:80", S3_STS_ACCESS_KEY: "sts-key", S3_STS_SECRET_KEY: "sts-secret" });
    const text = JSON.stringify(describeS3(c.s3!));
    for (const secret of ["AKIA-IMS", "ims-secret", "sts-key", "sts-secret", "pw"]) expect(text).not.toContain(secret);
    expect(text).toContain('"sts_credentials":true');
  });
});
