import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_JOBS_CONFIG } from "@ims/core";
import { ConfigError, loadConfig, normaliseDatabaseUrl } from "./index.ts";
import { BUILT_IN_VERSION, resolveVersion } from "../process/version.ts";

const cwd = "/srv/ims";

describe("loadConfig", () => {
  test("defaults", () => {
    const c = loadConfig({}, { cwd });
    expect(c).toEqual({
      port: 9100,
      host: "0.0.0.0",
      databaseUrl: "sqlite:/srv/ims/var/ims.sqlite",
      artifactsDir: "/srv/ims/var/artifacts",
      legacyDataDir: "/var/ims/data",
      logLevel: "info",
      maxBodyBytes: 1048576,
      versionFile: "/app/.version",
      shutdownDelayMs: 0,
      shutdownTimeoutMs: 10000,
      eventRetentionMs: 24 * 3600000,
      eventHeartbeatMs: 15000,
      s3: undefined,
      s3StsEndpoint: undefined,
      imsBucket: "ims",
      bootImagesBucket: "boot-images",
      urlExpirationSeconds: 432000,
      maxManifestBytes: 1048576,
      operationLeaseMs: 60000,
      settleTimeoutMs: 5000,
      artifactWaitMs: 5000,
      operationRetentionMs: 30 * 24 * 3600000,
      idempotencyTtlMs: 24 * 3600000,
      jobs: DEFAULT_JOBS_CONFIG, // config-jobs.test.ts covers the job settings
      kubernetes: { mode: "none", why: "neither KUBECONFIG nor KUBERNETES_SERVICE_HOST is set" },
      remoteNodes: { keyFile: "/srv/ims/id_ecdsa", sshPath: "ssh" }, // config-remote.test.ts covers these
      auth: undefined, // auth.test.ts covers authentication
      observability: { metrics: true, tracing: undefined }, // observability.test.ts covers these
      defaults: { databaseUrl: "sqlite:/srv/ims/var/ims.sqlite", artifactsDir: "/srv/ims/var/artifacts" },
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  test("values from the environment", () => {
    const c = loadConfig(
      {
        PORT: "8080", HOST: "127.0.0.1", DATABASE_URL: "postgres://ims:pw@db:5432/ims", IMS_ARTIFACTS_DIR: "data/a",
        IMS_LEGACY_DATA_DIR: "old", LOG_LEVEL: "DEBUG", MAX_BODY_BYTES: "2048", IMS_VERSION_FILE: "v.txt", SHUTDOWN_TIMEOUT_MS: "0",
      },
      { cwd },
    );
    expect(c).toMatchObject({
      port: 8080, host: "127.0.0.1", databaseUrl: "postgres://ims:pw@db:5432/ims", artifactsDir: "/srv/ims/data/a",
      legacyDataDir: "/srv/ims/old", logLevel: "debug", maxBodyBytes: 2048, versionFile: "/srv/ims/v.txt", shutdownTimeoutMs: 0,
    });
  });

  test("relative values are the user's directory's; relative defaults stay in the process's directory", () => {
    const env = { DATABASE_URL: "sqlite:mine.sqlite", IMS_ARTIFACTS_DIR: "art", IMS_VERSION_FILE: "v.txt" };
    const given = loadConfig(env, { cwd: "/home/me/sub", defaultsDir: cwd });
    expect(given).toMatchObject({ databaseUrl: "sqlite:/home/me/sub/mine.sqlite", artifactsDir: "/home/me/sub/art", versionFile: "/home/me/sub/v.txt" });
    const defaulted = loadConfig({}, { cwd: "/home/me/sub", defaultsDir: cwd });
    expect(defaulted).toMatchObject({ databaseUrl: "sqlite:/srv/ims/var/ims.sqlite", artifactsDir: "/srv/ims/var/artifacts" });
    expect(defaulted.remoteNodes.keyFile).toBe("/srv/ims/id_ecdsa");
    expect(given.defaults).toEqual(defaulted.defaults);
  });

  test("log levels are case-insensitive; upstream's WARNING/CRITICAL are accepted", () => {
    expect(loadConfig({ LOG_LEVEL: "Warn" }).logLevel).toBe("warn");
    expect(loadConfig({ LOG_LEVEL: "WARNING" }).logLevel).toBe("warn");
    expect(loadConfig({ LOG_LEVEL: "critical" }).logLevel).toBe("error");
    expect(loadConfig({ LOG_LEVEL: "ERROR" }).logLevel).toBe("error");
  });

  test("empty values count as unset", () => {
    expect(loadConfig({ PORT: "", LOG_LEVEL: "  " }).port).toBe(9100);
  });

  test("every bad value is reported at once", () => {
    let err: unknown;
    try {
      loadConfig({ PORT: "abc", MAX_BODY_BYTES: "-1", LOG_LEVEL: "loud", DATABASE_URL: "mysql://x", SHUTDOWN_TIMEOUT_MS: "1.5" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toContain('PORT must be an integer 1-65535, got "abc"');
    expect(problems).toContain('MAX_BODY_BYTES must be an integer 1-1073741824, got "-1"');
    expect(problems).toContain('LOG_LEVEL must be one of debug, info, warn, error, got "loud"');
    expect(problems.some((p) => p.startsWith("DATABASE_URL"))).toBe(true);
    expect(problems.some((p) => p.startsWith("SHUTDOWN_TIMEOUT_MS"))).toBe(true);
    expect(problems).toHaveLength(5);
    expect((err as Error).message).toContain('PORT must be an integer 1-65535, got "abc"');
  });

  test.each(["0", "65536", "99999999999999999999", "80a", "0x50", "1e3"])("PORT %j is rejected", (port) => {
    expect(() => loadConfig({ PORT: port })).toThrow(/PORT must be an integer 1-65535/);
  });
});

describe("DATABASE_URL", () => {
  test.each([
    ["sqlite:./var/ims.sqlite", "sqlite:/srv/ims/var/ims.sqlite"],
    ["sqlite:ims.db", "sqlite:/srv/ims/ims.db"],
    ["sqlite:/data/ims.db", "sqlite:/data/ims.db"],
    ["sqlite:///data/ims.db", "sqlite:/data/ims.db"],
    ["postgresql://u@h/db", "postgresql://u@h/db"],
    ["/data/ims.db", "sqlite:/data/ims.db"],
    ["var/ims.db", "sqlite:/srv/ims/var/ims.db"],
  ])("%s", (raw, expected) => {
    expect(normaliseDatabaseUrl(raw, cwd)).toBe(expected);
  });

  test.each(["sqlite:", "sqlite://host/db", "memory:", "mysql://h/db", "http://x"])("%j is rejected", (raw) => {
    expect(normaliseDatabaseUrl(raw, cwd)).toBeUndefined();
  });
});

describe("resolveVersion", () => {
  const dir = mkdtempSync(join(tmpdir(), "ims-version-"));
  test("first line of the version file", () => {
    writeFileSync(join(dir, "v1"), "1.2.3\nbuild 7\n");
    expect(resolveVersion(join(dir, "v1"), "")).toBe("1.2.3");
  });
  test("falls back to the repository's .version, built in", () => {
    expect(BUILT_IN_VERSION).toBe(readFileSync(join(import.meta.dir, "../../../../.version"), "utf8").trim());
    expect(resolveVersion(join(dir, "missing"))).toBe(BUILT_IN_VERSION);
  });
  test("Unknown when neither is there", () => {
    expect(resolveVersion(join(dir, "missing"), "")).toBe("Unknown");
  });
  test("an empty file counts as missing", () => {
    writeFileSync(join(dir, "empty"), "\n");
    expect(resolveVersion(join(dir, "empty"), "")).toBe("Unknown");
  });
});
