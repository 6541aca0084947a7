/**
 * Configuration comes from the environment, parsed once into a frozen object. Every bad value
 * is collected so one start-up failure lists them all. Empty values count as unset.
 */
import { isAbsolute, resolve } from "node:path";
import type { LogLevel } from "./log.ts";
import { readS3Settings, type S3Settings } from "./config-s3.ts";
import { readJobSettings, type JobSettings } from "./config-jobs.ts";
import { readRemoteNodeSettings, type RemoteNodeSettings } from "./config-remote.ts";

/** `jobs` (jobs.md §1) and `kubernetes` (where jobs run) come from config-jobs.ts. */
export interface Config extends JobSettings, S3Settings {
  port: number;
  host: string;
  /** Normalised: sqlite paths are absolute ("sqlite:/abs/file"). */
  databaseUrl: string;
  artifactsDir: string;
  logLevel: LogLevel;
  maxBodyBytes: number;
  versionFile: string;
  /** After a stop signal: how long /healthz/ready answers 503 before the listener closes. */
  shutdownDelayMs: number;
  /** How long shutdown waits for in-flight requests before closing them. */
  shutdownTimeoutMs: number;
  /** IMS_REMOTE_KEY_FILE, IMS_REMOTE_SSH_PATH: how remote build nodes are probed. */
  remoteNodes: Readonly<RemoteNodeSettings>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

const LEVELS: Record<string, LogLevel> = {
  debug: "debug", info: "info", warn: "warn", warning: "warn", error: "error", critical: "error",
};

export function loadConfig(env: Env, opts: { cwd?: string } = {}): Readonly<Config> {
  const cwd = opts.cwd ?? process.cwd();
  const problems: string[] = [];
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
    problems.push(`${name} must be an integer ${min}-${max}, got ${JSON.stringify(raw)}`);
    return fallback;
  };

  const port = int("PORT", 9100, 1, 65535);
  const maxBodyBytes = int("MAX_BODY_BYTES", 1048576, 1, 1024 ** 3);
  const shutdownDelayMs = int("SHUTDOWN_DELAY_MS", 0, 0, 600000);
  const shutdownTimeoutMs = int("SHUTDOWN_TIMEOUT_MS", 10000, 0, 600000);

  const host = get("HOST") ?? "0.0.0.0";
  if (/\s/.test(host)) problems.push(`HOST must be a host name or address, got ${JSON.stringify(host)}`);

  const rawLevel = get("LOG_LEVEL") ?? "info";
  const logLevel = LEVELS[rawLevel.toLowerCase()];
  if (!logLevel) problems.push(`LOG_LEVEL must be one of debug, info, warn, error, got ${JSON.stringify(rawLevel)}`);

  const rawDb = get("DATABASE_URL") ?? "sqlite:./var/ims.sqlite";
  const databaseUrl = normaliseDatabaseUrl(rawDb, cwd);
  if (!databaseUrl) {
    problems.push(`DATABASE_URL must be sqlite:<path>, sqlite:///<absolute path>, a file path or postgres://..., got ${JSON.stringify(rawDb)}`);
  }

  const artifactsDir = resolve(cwd, get("IMS_ARTIFACTS_DIR") ?? "./var/artifacts");
  const versionFile = resolve(cwd, get("IMS_VERSION_FILE") ?? "/app/.version");

  const s3: S3Settings = readS3Settings(env, get, int, problems);
  const jobSettings = readJobSettings(get, int, problems, cwd);
  const remoteNodes = readRemoteNodeSettings(get, problems, cwd);

  if (problems.length) throw new ConfigError(problems);
  return Object.freeze({
    port, host, databaseUrl: databaseUrl!, artifactsDir, logLevel: logLevel!, maxBodyBytes, versionFile, shutdownDelayMs, shutdownTimeoutMs,
    ...s3,
    ...jobSettings,
    remoteNodes,
  });
}

/**
 * The forms openStore accepts (postgres URLs, sqlite:///abs, sqlite:path, a bare path), with
 * SQLite paths made absolute so the store does not depend on the working directory.
 */
export function normaliseDatabaseUrl(raw: string, cwd: string): string | undefined {
  if (/^postgres(ql)?:\/\/\S+$/i.test(raw)) return raw;
  let path: string | undefined;
  if (raw.startsWith("sqlite://")) path = raw.slice(9).startsWith("/") ? raw.slice(9) : undefined;
  else if (raw.startsWith("sqlite:")) path = raw.slice(7);
  else if (!/^[a-z][a-z0-9+.-]*:/i.test(raw)) path = raw;
  if (!path) return undefined;
  return `sqlite:${isAbsolute(path) ? path : resolve(cwd, path)}`;
}
