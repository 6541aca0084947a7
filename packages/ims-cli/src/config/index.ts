/**
 * The one configuration of the process (the service and every admin command): read once from
 * the environment into a frozen, typed object. Each variable is declared in variables.ts; the
 * sections (s3.ts, jobs.ts, remote-nodes.ts) read their part. Every bad value is collected so
 * one start-up failure names them all.
 */
import type { LogLevel } from "../process/log.ts";
import { normaliseDatabaseUrl } from "./database-url.ts";
import { EnvReader, type Env } from "./env-reader.ts";
import { readJobSettings, type JobSettings } from "./jobs.ts";
import { readObservabilitySettings, type ObservabilitySettings } from "./observability.ts";
import { readRemoteNodeSettings, type RemoteNodeSettings } from "./remote-nodes.ts";
import { readS3Settings, type S3Settings } from "./s3.ts";
import { readAuthSettings, type AuthSettings } from "./auth.ts";

export { SECTIONS, VARIABLES, type Variable, type Section } from "./variables.ts";
export type { KubernetesSelection, JobSettings } from "./jobs.ts";
export type { S3Settings } from "./s3.ts";
export type { RemoteNodeSettings } from "./remote-nodes.ts";
export type { AuthSettings } from "./auth.ts";
export type { ObservabilitySettings, TracingSettings, OtlpProtocol } from "./observability.ts";
export { normaliseDatabaseUrl, redactUrl, sqliteFileOf } from "./database-url.ts";

/** `jobs` (jobs.md §1) and `kubernetes` (where jobs run) come from jobs.ts. */
export interface Config extends JobSettings, S3Settings, AuthSettings {
  port: number;
  host: string;
  /** Normalised: sqlite paths are absolute ("sqlite:/abs/file"). */
  databaseUrl: string;
  artifactsDir: string;
  /** Upstream's data directory, imported once into an empty database by `ims serve`. */
  legacyDataDir: string;
  logLevel: LogLevel;
  maxBodyBytes: number;
  versionFile: string;
  /** After a stop signal: how long /healthz/ready answers 503 before the listener closes. */
  shutdownDelayMs: number;
  /** How long shutdown waits for in-flight requests before closing them. */
  shutdownTimeoutMs: number;
  /** IMS_REMOTE_KEY_FILE, IMS_REMOTE_SSH_PATH: how remote build nodes are probed. */
  remoteNodes: Readonly<RemoteNodeSettings>;
  /** IMS_METRICS and the OTEL_* variables: metrics on or off, and where traces go (if anywhere). */
  observability: Readonly<ObservabilitySettings>;
  /**
   * The default locations (under ./var/): the only ones the process creates when missing, so a
   * mistyped path is an error instead of a new, empty store.
   */
  defaults: Readonly<{ databaseUrl: string; artifactsDir: string }>;
  /** IMS_EVENTS_RETENTION_HOURS, as ms: how long changes stay in the change log (event replay). */
  eventRetentionMs: number;
  /** IMS_EVENTS_HEARTBEAT_SECONDS, as ms: how often an idle event stream sends a comment. */
  eventHeartbeatMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

const LEVELS: Record<string, LogLevel> = {
  debug: "debug", info: "info", warn: "warn", warning: "warn", error: "error", critical: "error",
};

/**
 * `cwd`: where relative paths in values are taken from (the user's directory); `defaultsDir`:
 * where the relative defaults (./var/...) are (default: cwd).
 */
export function loadConfig(env: Env, opts: { cwd?: string; defaultsDir?: string } = {}): Readonly<Config> {
  const cwd = opts.cwd ?? process.cwd();
  const r = new EnvReader(env, cwd, opts.defaultsDir ?? cwd);
  const port = r.int("PORT", 1, 65535);
  const maxBodyBytes = r.int("MAX_BODY_BYTES", 1, 1024 ** 3);
  const shutdownDelayMs = r.int("SHUTDOWN_DELAY_MS", 0, 600000);
  const shutdownTimeoutMs = r.int("SHUTDOWN_TIMEOUT_MS", 0, 600000);
  const host = r.matching("HOST", /^\S+$/, "a host name or address");
  const eventRetentionMs = r.int("IMS_EVENTS_RETENTION_HOURS", 1, 8760) * 3_600_000;
  const eventHeartbeatMs = r.int("IMS_EVENTS_HEARTBEAT_SECONDS", 1, 3600) * 1000;

  const rawLevel = r.text("LOG_LEVEL");
  const logLevel = LEVELS[rawLevel.toLowerCase()];
  if (!logLevel) r.problem(`LOG_LEVEL must be one of debug, info, warn, error, got ${JSON.stringify(rawLevel)}`);

  const rawDb = r.text("DATABASE_URL");
  const databaseUrl = normaliseDatabaseUrl(rawDb, r.raw("DATABASE_URL") === undefined ? r.defaultsDir : r.cwd);
  if (!databaseUrl) {
    r.problem(`DATABASE_URL must be sqlite:<path>, sqlite:///<absolute path>, a file path or postgres://..., got ${JSON.stringify(rawDb)}`);
  }

  const artifactsDir = r.path("IMS_ARTIFACTS_DIR");
  const legacyDataDir = r.path("IMS_LEGACY_DATA_DIR");
  const versionFile = r.path("IMS_VERSION_FILE");
  const s3 = readS3Settings(r);
  const jobSettings = readJobSettings(r);
  const remoteNodes = readRemoteNodeSettings(r);
  const authSettings = readAuthSettings(r);
  const observability = Object.freeze(readObservabilitySettings(r));

  if (r.problems.length) throw new ConfigError(r.problems);
  return Object.freeze({
    port, host, databaseUrl: databaseUrl!, artifactsDir, legacyDataDir, logLevel: logLevel!, maxBodyBytes, versionFile, shutdownDelayMs, shutdownTimeoutMs,
    eventRetentionMs, eventHeartbeatMs,
    ...s3,
    ...jobSettings,
    remoteNodes,
    ...authSettings,
    observability,
    defaults: Object.freeze({
      databaseUrl: normaliseDatabaseUrl(r.default("DATABASE_URL"), r.defaultsDir)!,
      artifactsDir: r.defaultPath("IMS_ARTIFACTS_DIR"),
    }),
  });
}
