/**
 * The operations the core offers, one object per resource. HTTP routes, the CLI and scripts call
 * these; each validates raw input itself (marshmallow rules, see validate.ts) and throws ImsError.
 */
import type { Collections, Deleted, Image, PublicKey, Recipe, RemoteBuildNode } from "./records.ts";
import type { Operation, Stored } from "./ports.ts";

/** Optimistic concurrency: the version the client last saw (from the ETag), if it sent If-Match. */
export interface WriteOptions {
  ifVersion?: number;
}

/** v2 deletes are hard (cascade removes artifacts); v3 deletes are soft (moved to deleted_*). */
export type DeleteMode = { mode: "hard"; cascade: boolean } | { mode: "soft" };

export interface LiveResource<T> {
  list(): Promise<Stored<T>[]>;
  get(id: string): Promise<Stored<T>>;
  /** `body` is the parsed JSON body as received (unknown shape). */
  create(body: unknown): Promise<Stored<T>>;
  delete(id: string, how: DeleteMode, opts?: WriteOptions): Promise<void>;
  deleteAll(how: DeleteMode): Promise<void>;
}

export interface PatchableResource<T> extends LiveResource<T> {
  patch(id: string, body: unknown, opts?: WriteOptions): Promise<Stored<T>>;
}

export interface DeletedResource<T> {
  list(): Promise<Stored<T>[]>;
  get(id: string): Promise<Stored<T>>;
  /** Permanently removes the record and its artifacts. */
  delete(id: string, opts?: WriteOptions): Promise<void>;
  deleteAll(): Promise<void>;
  /** body must be {"operation": "undelete"}. */
  undelete(id: string, body: unknown, opts?: WriteOptions): Promise<void>;
  undeleteAll(body: unknown): Promise<void>;
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
  get(xname: string): Promise<Stored<RemoteBuildNode>>;
  create(body: unknown): Promise<Stored<RemoteBuildNode>>;
  delete(xname: string): Promise<void>;
  deleteAll(): Promise<void>;
  statusAll(): Promise<RemoteNodeStatus[]>;
  status(xname: string): Promise<RemoteNodeStatus>;
}

export interface Operations {
  list(filter?: { state?: Operation["state"]; recordId?: string }): Promise<Operation[]>;
  get(id: string): Promise<Operation>;
}

export interface ImsService {
  publicKeys: LiveResource<PublicKey>;
  deletedPublicKeys: DeletedResource<Deleted<PublicKey>>;
  recipes: PatchableResource<Recipe>;
  deletedRecipes: DeletedResource<Deleted<Recipe>>;
  images: PatchableResource<Image>;
  deletedImages: DeletedResource<Deleted<Image>>;
  remoteBuildNodes: RemoteBuildNodes;
  operations: Operations;
}

export type { Collections };
