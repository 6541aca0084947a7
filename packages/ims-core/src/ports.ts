/**
 * The ports: everything the domain needs from the outside world. Adapters live in
 * ../adapters/<name>/ and are chosen by whoever builds the service (HTTP main, CLI, a script).
 */
import type { ChangeLog } from "./changes.ts";
import type { Collection, Collections } from "./records.ts";

export interface Clock {
  now(): Date;
  /** Microseconds since the epoch, for record timestamps; without it, now()'s milliseconds are used. */
  epochMicros?(): number;
}

export interface IdGenerator {
  uuid(): string;
}

/** A stored record: its data, and a version that grows by one on every write (the ETag). */
export interface Stored<T> {
  data: T;
  version: number;
}

/** A stored record as its stored JSON text (canonicalJson of the data: jsonify's bytes) and version. */
export interface StoredJson {
  json: string;
  version: number;
}

export interface Page<T> {
  records: (Stored<T> & { position: number })[];
  last: number;
}

export interface RecordReader {
  get<C extends Collection>(collection: C, id: string): Promise<Stored<Collections[C]> | undefined>;
  /** `get` without parsing: for answers that only pass the record on (no parse, no re-serialising). */
  getJson(collection: Collection, id: string): Promise<StoredJson | undefined>;
  /** All records of a collection in insertion order. */
  list<C extends Collection>(collection: C): Promise<Stored<Collections[C]>[]>;
  /**
   * One page of `list(collection)`: the records after position `after` (0: from the start), at
   * most `limit`, each with its position (which grows in insertion order), and `last`, the
   * position of the collection's newest record: a large collection is walked a page at a time
   * (a walk that must not see later inserts stops at the first page's `last`).
   */
  listPage<C extends Collection>(collection: C, after: number, limit: number): Promise<Page<Collections[C]>>;
  /**
   * The data of `list(collection)` as one JSON array, UTF-8 encoded, joined from the stored JSON
   * without parsing it: a large list is answered from one buffer, not from thousands of objects
   * (nor from a string plus its UTF-8 copy).
   */
  listJson(collection: Collection): Promise<Uint8Array>;
  count(collection: Collection): Promise<number>;
  /**
   * A number that changes whenever a change of the collection commits (the seq of its family's
   * newest change): a list built at one value is the list for as long as it reads the same.
   */
  listVersion(collection: Collection): Promise<number>;
}

/** Writes happen only inside a transaction; a thrown error rolls everything back. */
export interface RecordTx extends RecordReader {
  /** Adds a record at the end of the collection; throws if the id exists. */
  insert<C extends Collection>(collection: C, id: string, data: Collections[C]): Promise<void>;
  /** Adds or replaces a record; a replaced record keeps its place in the order. */
  upsert<C extends Collection>(collection: C, id: string, data: Collections[C]): Promise<void>;
  /**
   * Replaces a record. With `ifVersion`, only when the stored version still matches.
   * Returns the new version, or undefined when the record is gone or the version moved on.
   */
  update<C extends Collection>(
    collection: C,
    id: string,
    data: Collections[C],
    ifVersion?: number,
  ): Promise<number | undefined>;
  remove(collection: Collection, id: string, ifVersion?: number): Promise<boolean>;
  removeAll(collection: Collection): Promise<number>;
  /** Serialises transactions that take the same lock (e.g. remote node reservation). */
  lock(name: string): Promise<void>;
  /** Journals artifact work to be done after commit (see operations/). */
  enqueue(op: NewOperation): Promise<void>;
  /** Idempotency-Key replay store. */
  getIdempotent(key: string): Promise<IdempotentResult | undefined>;
  putIdempotent(key: string, result: IdempotentResult): Promise<void>;
  /** Forgets a key (a create taken back after commit); true when it was stored. */
  removeIdempotent(key: string): Promise<boolean>;
  /**
   * Named notes the store keeps beside the records (e.g. what the one-time legacy import read),
   * as text. Kept only in transactions, so a note commits or rolls back with the records.
   */
  getMeta(name: string): Promise<string | undefined>;
  /** Adds or replaces a note. */
  putMeta(name: string, value: string): Promise<void>;
}

export interface IdempotentResult {
  fingerprint: string;
  status: number;
  body: string;
  created: string;
}

export interface RecordStore extends RecordReader {
  transaction<T>(fn: (tx: RecordTx) => Promise<T>): Promise<T>;
  readonly journal: OperationJournal;
  /** Every committed change, written in the same transaction as the change itself. */
  readonly changes: ChangeLog;
  /**
   * Retention: forgets idempotency results whose `created` is earlier than the given naive ISO
   * timestamp ("YYYY-MM-DDTHH:MM:SS[.ffffff]", UTC). Returns how many were removed.
   */
  pruneIdempotent(createdBeforeIso: string): Promise<number>;
  close(): Promise<void>;
}

// ---- artifacts ------------------------------------------------------------------------------

export interface ObjectRef {
  bucket: string;
  key: string;
}

export interface ObjectHead {
  /** ETag without quotes. */
  etag: string;
  size: number;
  /** User metadata (x-amz-meta-*), lower-case keys. */
  metadata: Record<string, string>;
}

/**
 * Object storage as IMS uses it. Missing objects are answered with undefined (head) or a
 * not_found ImsError; an unreachable store throws an "unavailable" ImsError.
 */
export interface ArtifactStore {
  head(ref: ObjectRef): Promise<ObjectHead | undefined>;
  /** Reads a whole object; throws payload_too_large (as a bad_request) past maxBytes. */
  read(ref: ObjectRef, maxBytes: number): Promise<Uint8Array>;
  write(ref: ObjectRef, body: Uint8Array | string, contentType: string): Promise<{ etag: string }>;
  /** Server-side copy of any size (multipart for large objects); overwrites the target. */
  copy(from: ObjectRef, to: ObjectRef): Promise<{ etag: string }>;
  /** Deletes an object; deleting a missing object is not an error. */
  remove(ref: ObjectRef): Promise<void>;
  presign(ref: ObjectRef, expiresSeconds: number): Promise<string>;
  list(bucket: string, prefix: string): AsyncIterable<{ key: string; size: number }>;
  /** Drops unfinished multipart uploads to a key (crash recovery). */
  abortUploads(ref: ObjectRef): Promise<void>;
}

// ---- the artifact operation journal ------------------------------------------------------------

/** One idempotent step of artifact work. A move is a copy followed by a remove. */
export type ArtifactStep =
  | { op: "copy"; from: ObjectRef; to: ObjectRef }
  | { op: "remove"; ref: ObjectRef }
  | { op: "write"; ref: ObjectRef; body: string; contentType: string };

export type OperationState = "pending" | "done" | "failed";

export interface NewOperation {
  id: string;
  /** What the operation is for, e.g. "soft-delete image". */
  action: string;
  collection: Collection;
  recordId: string;
  steps: ArtifactStep[];
  created: string;
}

export interface Operation extends NewOperation {
  state: OperationState;
  /** Index of the next step to run. */
  nextStep: number;
  attempts: number;
  lastError: string | null;
  updated: string;
  /** Epoch ms until which a worker holds the operation. */
  leaseUntil: number;
}

export interface OperationJournal {
  /**
   * Takes the oldest runnable pending operation (lease expired, no older pending operation of
   * the same record) for `leaseMs`; with `onlyId`, that operation if it is runnable, else none.
   */
  claim(workerId: string, nowMs: number, leaseMs: number, onlyId?: string): Promise<Operation | undefined>;
  /** Records progress; only the worker holding the lease may write. */
  progress(id: string, patch: Partial<Pick<Operation, "state" | "nextStep" | "attempts" | "lastError" | "leaseUntil" | "updated">>): Promise<void>;
  get(id: string): Promise<Operation | undefined>;
  list(filter?: { state?: OperationState; recordId?: string }): Promise<Operation[]>;
  /**
   * Retention: removes "done" operations whose `updated` is earlier than the given naive ISO
   * timestamp (as pruneIdempotent). Pending and failed ones stay, however old. Returns the count.
   */
  prune(doneBeforeIso: string): Promise<number>;
  /** How many operations are in each state, and when the oldest pending one was created (for metrics). */
  summary(): Promise<JournalSummary>;
}

export interface JournalSummary {
  counts: Record<OperationState, number>;
  /** `created` (naive ISO, UTC) of the oldest pending operation; null when none is pending. */
  oldestPendingCreated: string | null;
}
