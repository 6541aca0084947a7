/**
 * Writing loaded records into a RecordStore: one transaction for everything, so a failure
 * leaves the store as it was. Records are upserted by key; a record already stored with the
 * same content is left alone (its version, the ETag clients hold, does not move), which makes
 * a re-run a no-op.
 */
import { sortKeys } from "../canonical.ts";
import { COLLECTIONS, type Collection, type Collections } from "../records.ts";
import type { RecordReader, RecordStore, RecordTx } from "../ports.ts";
import { keyOf, type RecordSet } from "./collection.ts";
import { counterpartOf } from "./live-and-deleted.ts";
import { Problems } from "./problems.ts";

export interface CollectionCounts {
  /** Records in the input. */
  records: number;
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportResult {
  dryRun: boolean;
  collections: Record<Collection, CollectionCounts>;
  total: CollectionCounts;
}

export interface ImportOptions {
  /** Count what would change, write nothing. */
  dryRun?: boolean;
  /** Called every `progressEvery` records (default 1,000) and once at the end. */
  onProgress?: (done: number, total: number) => void;
  progressEvery?: number;
}

/** Imports loaded legacy data (parseLegacyData's result) or any record set. */
export function importRecords(store: RecordStore, data: { records: RecordSet }, options: ImportOptions = {}): Promise<ImportResult> {
  return writeRecordSet(store, data.records, options);
}

export async function writeRecordSet(store: RecordStore, records: RecordSet, options: ImportOptions = {}): Promise<ImportResult> {
  if (options.dryRun) return apply(store, records, options);
  return store.transaction((tx) => writeRecordSetIn(tx, records, options));
}

/** The same import inside a transaction the caller holds (and commits with its own writes). */
export function writeRecordSetIn(tx: RecordTx, records: RecordSet, options: Omit<ImportOptions, "dryRun"> = {}): Promise<ImportResult> {
  return apply(tx, records, options, (c, id, data) => tx.upsert(c, id, data));
}

type Write = <C extends Collection>(collection: C, id: string, data: Collections[C]) => Promise<void>;

async function apply(reader: RecordReader, records: RecordSet, options: ImportOptions, write?: Write): Promise<ImportResult> {
  const every = options.progressEvery ?? 1000;
  const totalRecords = COLLECTIONS.reduce((n, c) => n + records[c].length, 0);
  const total: CollectionCounts = { records: 0, created: 0, updated: 0, unchanged: 0 };
  const collections = {} as Record<Collection, CollectionCounts>;
  const problems = new Problems();
  let done = 0;
  for (const collection of COLLECTIONS) {
    const counts: CollectionCounts = { records: 0, created: 0, updated: 0, unchanged: 0 };
    const other = counterpartOf(collection);
    const inOther = other ? new Set((await reader.list(other)).map((s) => keyOf(other, s.data))) : undefined;
    for (const [index, record] of (records[collection] as Collections[typeof collection][]).entries()) {
      const id = keyOf(collection, record);
      if (inOther?.has(id)) {
        // The input was checked on its own; the store may hold the record on the other side.
        problems.add(`${collection}, record ${index}: id ${JSON.stringify(id)} is in ${other} in the database; importing it would make it both live and deleted.`);
        continue;
      }
      const existing = await reader.get(collection, id);
      const outcome = !existing ? "created" : same(existing.data, record) ? "unchanged" : "updated";
      if (outcome !== "unchanged") await write?.(collection, id, record);
      counts.records++;
      counts[outcome]++;
      if (++done % every === 0) options.onProgress?.(done, totalRecords);
    }
    collections[collection] = counts;
    for (const k of Object.keys(total) as (keyof CollectionCounts)[]) total[k] += counts[k];
  }
  if (done % every !== 0) options.onProgress?.(done, totalRecords);
  problems.throwIfAny(); // inside the transaction: nothing is written
  return { dryRun: !!options.dryRun, collections, total };
}

/** Content equality whatever key order the store hands back (PostgreSQL jsonb reorders keys). */
const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
