/** What every use case gets: the ports, the typed configuration, a logger. */
import type { ArtifactStore, Clock, IdGenerator, RecordStore } from "./ports.ts";
import type { NodeProbe } from "./remote-nodes/probe.ts";
import type { ListCache } from "./resources/list-cache.ts";

export interface CoreConfig {
  /** S3_BOOT_IMAGES_BUCKET: where deleted image manifests are written. */
  bootImagesBucket: string;
  /** MAX_IMAGE_MANIFEST_SIZE_BYTES. */
  maxManifestBytes: number;
  /** S3_URL_EXPIRATION in seconds, for presigned download URLs handed to jobs. */
  urlExpirationSeconds: number;
  /** How long undelete/hard delete wait for an earlier artifact operation on the record. */
  settleTimeoutMs: number;
  /**
   * How long a delete, undelete or purge waits for its own artifact work before answering, so
   * the answer finds S3 as upstream leaves it; past it the journal finishes the work. 0: never.
   */
  artifactWaitMs: number;
}

export const DEFAULT_CORE_CONFIG: CoreConfig = Object.freeze({
  bootImagesBucket: "boot-images",
  maxManifestBytes: 1048576,
  urlExpirationSeconds: 432000,
  settleTimeoutMs: 5000,
  artifactWaitMs: 5000,
});

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** Whether a line of this level would be written (lets a caller skip building its fields). */
  enabled?(level: "debug" | "info" | "warn" | "error"): boolean;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, enabled: () => false };

export interface Ctx {
  store: RecordStore;
  artifacts: ArtifactStore;
  clock: Clock;
  ids: IdGenerator;
  config: CoreConfig;
  log: Logger;
  probe: NodeProbe;
  /** Lists built once per change of their collection (resources' listJson). */
  lists: ListCache;
  /** Wakes the artifact worker after a transaction journaled work. */
  kick(): void;
  /** Runs journaled operation `id` now, here, if it is runnable (see ArtifactWorker.run). */
  runOperation(id: string): Promise<boolean>;
}
