/**
 * The operations the core offers, one object per resource. HTTP routes, the CLI and scripts call
 * these; each validates raw input itself (marshmallow rules, see validate.ts) and throws ImsError.
 */
import type { Collections, Deleted, Image, Job, PublicKey, Recipe, RemoteBuildNode } from "./records.ts";
import type { JobDeleteFilters } from "./jobs/filters.ts";
import type { Operation, Stored, StoredJson } from "./ports.ts";
import type { KubeObject } from "./cluster.ts";
import type { Events } from "./events/types.ts";

/** How long a write that moves artifacts waits for that work before it answers. */
export interface ArtifactWaitOptions {
  /** At most this many ms (default: CoreConfig.artifactWaitMs); 0 answers at once. */
  artifactWaitMs?: number;
}

/** Optimistic concurrency: the version the client last saw (from the ETag), if it sent If-Match. */
export interface WriteOptions extends ArtifactWaitOptions {
  ifVersion?: number;
}

/**
 * The artifact work a delete, undelete or purge journaled: every operation's id, the ones still
 * pending when the call returned, and whether it waited for them (false: the caller asked not to).
 */
export interface ArtifactWork {
  operations: string[];
  pending: string[];
  waited: boolean;
}

/**
 * An idempotent create: the first result for `key` is stored with the record and replayed to
 * retries. `fingerprint` names the request (the HTTP layer: method, path, body hash); the same
 * key with another fingerprint is refused (422).
 */
export interface IdempotencyOptions {
  key: string;
  fingerprint: string;
}

export interface CreateOptions {
  idempotency?: IdempotencyOptions;
}

/** v2 deletes are hard (cascade removes artifacts); v3 deletes are soft (moved to deleted_*). */
export type DeleteMode = { mode: "hard"; cascade: boolean } | { mode: "soft" };

export interface LiveResource<T> {
  list(): Promise<Stored<T>[]>;
  /** `get` as the stored JSON text, for callers that only pass the record on (see RecordReader.getJson). */
  getJson(id: string): Promise<StoredJson>;
  /** The list's data as one UTF-8 JSON array, straight from the store (see RecordReader.listJson). */
  listJson(): Promise<Uint8Array>;
  get(id: string): Promise<Stored<T>>;
  /** `body` is the parsed JSON body as received (unknown shape). */
  create(body: unknown, opts?: CreateOptions): Promise<Stored<T>>;
  delete(id: string, how: DeleteMode, opts?: WriteOptions): Promise<ArtifactWork>;
  deleteAll(how: DeleteMode, opts?: ArtifactWaitOptions): Promise<ArtifactWork>;
}

export interface PatchableResource<T> extends LiveResource<T> {
  patch(id: string, body: unknown, opts?: WriteOptions): Promise<Stored<T>>;
}

export interface DeletedResource<T> {
  list(): Promise<Stored<T>[]>;
  /** `get` as the stored JSON text, for callers that only pass the record on (see RecordReader.getJson). */
  getJson(id: string): Promise<StoredJson>;
  /** The list's data as one UTF-8 JSON array, straight from the store (see RecordReader.listJson). */
  listJson(): Promise<Uint8Array>;
  get(id: string): Promise<Stored<T>>;
  /** Permanently removes the record and its artifacts. */
  delete(id: string, opts?: WriteOptions): Promise<ArtifactWork>;
  deleteAll(opts?: ArtifactWaitOptions): Promise<ArtifactWork>;
  /** body must be {"operation": "undelete"}. */
  undelete(id: string, body: unknown, opts?: WriteOptions): Promise<ArtifactWork>;
  undeleteAll(body: unknown, opts?: ArtifactWaitOptions): Promise<ArtifactWork>;
}

export interface RemoteNodeStatus {
  xname: string;
  sshStatus: string;
  podmanStatus: string;
  nodeArch: string;
  numCurrentJobs: number;
  ableToRunJobs: boolean;
}

export interface RemoteBuildNodes {
  list(): Promise<Stored<RemoteBuildNode>[]>;
  /** `get` as the stored JSON text, for callers that only pass the record on (see RecordReader.getJson). */
  getJson(id: string): Promise<StoredJson>;
  /** The list's data as one UTF-8 JSON array, straight from the store (see RecordReader.listJson). */
  listJson(): Promise<Uint8Array>;
  get(xname: string): Promise<Stored<RemoteBuildNode>>;
  create(body: unknown, opts?: CreateOptions): Promise<Stored<RemoteBuildNode>>;
  delete(xname: string): Promise<void>;
  deleteAll(): Promise<void>;
  statusAll(): Promise<RemoteNodeStatus[]>;
  status(xname: string): Promise<RemoteNodeStatus>;
}

export interface Operations {
  list(filter?: { state?: Operation["state"]; recordId?: string }): Promise<Operation[]>;
  get(id: string): Promise<Operation>;
}

/**
 * What a job creation would do (`jobs.dryRun`): the record it would write and the Kubernetes
 * objects it would create, in creation order (the signing key Secret, copied from the cluster,
 * is not among them), with the fields Kubernetes would drop from them.
 */
export interface JobDryRun {
  job: Job;
  objects: KubeObject[];
  warnings: string[];
}

/** Jobs (api.md §7): creation runs Kubernetes objects; deletes clean them up first. */
export interface JobsResource {
  list(): Promise<Stored<Job>[]>;
  /** The list's data as one UTF-8 JSON array, straight from the store (see RecordReader.listJson). */
  listJson(): Promise<Uint8Array>;
  get(id: string): Promise<Stored<Job>>;
  /** `get` as the stored JSON text, for callers that only pass the record on (see RecordReader.getJson). */
  getJson(id: string): Promise<StoredJson>;
  /** With an idempotency key, a retry answers the first attempt's job instead of starting another. */
  create(body: unknown, opts?: CreateOptions): Promise<Stored<Job>>;
  /** `create` without doing anything: the same checks and errors, the job it would make and its objects. */
  dryRun(body: unknown): Promise<JobDryRun>;
  patch(id: string, body: unknown, opts?: WriteOptions): Promise<Stored<Job>>;
  delete(id: string, opts?: WriteOptions): Promise<void>;
  /** Filters are ANDed; absent filters match every job. */
  deleteAll(filters?: JobDeleteFilters): Promise<void>;
}

export interface ImsService {
  publicKeys: LiveResource<PublicKey>;
  deletedPublicKeys: DeletedResource<Deleted<PublicKey>>;
  recipes: PatchableResource<Recipe>;
  deletedRecipes: DeletedResource<Deleted<Recipe>>;
  images: PatchableResource<Image>;
  deletedImages: DeletedResource<Deleted<Image>>;
  remoteBuildNodes: RemoteBuildNodes;
  jobs: JobsResource;
  operations: Operations;
  /** Every committed change of a record or artifact operation, as it happens (events/). */
  events: Events;
}

export type { Collections };
