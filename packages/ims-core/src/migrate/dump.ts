/**
 * A whole-store dump for moving IMS between databases (e.g. SQLite -> PostgreSQL):
 * { format: "ims-export", version: 1, collections: { <collection>: [records in order] } }.
 * Records keep their ids; the operation journal and idempotency keys are not part of it.
 */
import { ImsError } from "../errors.ts";
import { COLLECTIONS, type Collection, type Collections } from "../records.ts";
import type { RecordStore } from "../ports.ts";
import { isPlainObject } from "../validate.ts";
import { loadRecords, type Loaded, type LoadOptions, type RecordSet } from "./collection.ts";
import { checkLiveAndDeleted } from "./live-and-deleted.ts";
import { Problems } from "./problems.ts";
import { type ImportOptions, type ImportResult, writeRecordSet } from "./import.ts";

export const DUMP_FORMAT = "ims-export";
export const DUMP_VERSION = 1;

export interface StoreDump {
  format: typeof DUMP_FORMAT;
  version: typeof DUMP_VERSION;
  collections: RecordSet;
}

/** `onProgress` is called after each collection with the records read so far and the total. */
export async function exportStore(store: RecordStore, options: { onProgress?: (done: number, total: number) => void } = {}): Promise<StoreDump> {
  const collections = {} as Record<Collection, unknown[]>;
  let total = 0;
  if (options.onProgress) for (const c of COLLECTIONS) total += await store.count(c);
  let done = 0;
  for (const c of COLLECTIONS) {
    collections[c] = (await store.list(c)).map((s) => s.data);
    done += collections[c].length;
    options.onProgress?.(done, Math.max(total, done));
  }
  return { format: DUMP_FORMAT, version: DUMP_VERSION, collections: collections as RecordSet };
}

/**
 * Checks a dump (any parsed JSON) and loads its records with the same rules as legacy files,
 * so a hand-edited dump cannot put a malformed record in the store. Every bad record is listed
 * in the one validation ImsError thrown.
 */
export function parseDump(dump: unknown, options: LoadOptions = {}): RecordSet {
  if (!isPlainObject(dump) || dump.format !== DUMP_FORMAT) {
    throw new ImsError("validation", `Not an IMS export: expected an object with "format": "${DUMP_FORMAT}".`);
  }
  if (dump.version !== DUMP_VERSION) {
    throw new ImsError("validation", `Unsupported IMS export version ${JSON.stringify(dump.version)}; this tool reads version ${DUMP_VERSION}.`);
  }
  const sections = dump.collections;
  if (!isPlainObject(sections)) throw new ImsError("validation", `The IMS export has no "collections" object.`);
  const unknown = Object.keys(sections).filter((k) => !(COLLECTIONS as readonly string[]).includes(k));
  if (unknown.length) throw new ImsError("validation", `The IMS export has unknown collections: ${unknown.join(", ")}.`);
  const problems = new Problems();
  const loaded = {} as Record<Collection, Loaded<Collection>>;
  for (const c of COLLECTIONS) loaded[c] = loadRecords(c, sections[c] ?? [], `collections.${c}`, options, problems);
  checkLiveAndDeleted(loaded as { [C in Collection]: Loaded<C> }, problems);
  problems.throwIfAny();
  return Object.fromEntries(COLLECTIONS.map((c) => [c, loaded[c].records])) as RecordSet;
}

/** Imports a dump in one transaction; ids are kept, and a re-import changes nothing. */
export async function importStore(store: RecordStore, dump: unknown, options: ImportOptions & LoadOptions = {}): Promise<ImportResult> {
  return writeRecordSet(store, parseDump(dump, options), options);
}
