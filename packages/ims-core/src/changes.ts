/**
 * The change log: one entry per committed change of a record or of an artifact operation,
 * written by the store in the same transaction as the change. It versions the list cache (a list
 * is rebuilt only when its family changed) and feeds the event stream (events/).
 */
import type { Collection } from "./records.ts";

/** What events name a record's kind: the API's path segment. A deleted image is still an image. */
export const EVENT_COLLECTIONS = ["public-keys", "recipes", "images", "jobs", "remote-build-nodes", "operations"] as const;
export type EventCollection = (typeof EVENT_COLLECTIONS)[number];

/** Records: created, updated, deleted (v2 hard or v3 soft), undeleted, purged. Operations: their state. */
export const CHANGE_KINDS = ["created", "updated", "deleted", "undeleted", "purged", "pending", "done", "failed"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** The family each store collection's changes are logged under. */
export const FAMILY: Readonly<Record<Collection, EventCollection>> = Object.freeze({
  public_keys: "public-keys",
  deleted_public_keys: "public-keys",
  recipes: "recipes",
  deleted_recipes: "recipes",
  images: "images",
  deleted_images: "images",
  jobs: "jobs",
  remote_build_nodes: "remote-build-nodes",
});

/** A record (JSON text) larger than this is left out of its change; readers GET it instead. */
export const RECORD_IN_CHANGE_MAX = 16 * 1024;

export const smallRecord = (json: string): string | null => (json.length <= RECORD_IN_CHANGE_MAX ? json : null);

export interface NewChange {
  collection: EventCollection;
  id: string;
  change: ChangeKind;
  /** The record's version after the change (the ETag GET gives); for a delete, its last one. Null for operations. */
  version: number | null;
  /** The record as GET answers it (JSON text) when small and still there; else null. */
  record: string | null;
  /** Operations: the id of the record the work is for. */
  recordId: string | null;
}

export interface Change extends NewChange {
  /** Position in the log; grows in commit order, across every process sharing the store. */
  seq: number;
  /** Commit time, epoch ms. */
  at: number;
}

export interface ChangeBounds {
  /** The newest seq committed (0 when nothing ever was). */
  latest: number;
  /** Retention removed changes up to here: a reader behind it has missed some. */
  prunedThrough: number;
}

export interface ChangeLog {
  /** Committed changes after `seq`, oldest first, at most `limit`. */
  after(seq: number, limit: number): Promise<Change[]>;
  bounds(): Promise<ChangeBounds>;
  /**
   * Calls `wake` whenever changes may have been committed: at once for this process's commits,
   * and for other processes' where the store can tell (PostgreSQL: NOTIFY). Returns a stop function.
   */
  onCommit(wake: () => void): () => void;
  /**
   * Retention: removes changes committed before `beforeMs` (epoch ms), except each family's newest
   * (it versions that family's list). Returns how many were removed.
   */
  prune(beforeMs: number): Promise<number>;
}
