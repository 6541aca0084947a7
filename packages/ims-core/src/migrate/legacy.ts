/**
 * Reading upstream's data directory (/var/ims/data) from file contents handed in by the
 * caller: the newest file of each store, parsed and loaded with upstream's load defaults.
 */
import { COLLECTIONS, type Collection } from "../records.ts";
import { loadRecords, type Loaded, type LoadOptions, type RecordSet } from "./collection.ts";
import { ALL_LEGACY_FILES, pickFile } from "./files.ts";
import { checkLiveAndDeleted } from "./live-and-deleted.ts";
import { parseJsonText, Problems } from "./problems.ts";

export interface LegacyData {
  records: RecordSet;
  /** The file each store was read from; null when no file of that store was present. */
  sources: { [C in Collection]: string | null };
  /** Legacy file names present but not read because a newer name of the same store was there. */
  superseded: string[];
}

/**
 * `files`: file name (no directory) -> contents. Names that are not IMS data files are ignored.
 * Throws one validation ImsError listing every problem of every file (see Problems).
 */
export function parseLegacyData(files: Readonly<Record<string, string>>, options: LoadOptions = {}): LegacyData {
  const present = (name: string) => Object.hasOwn(files, name) && typeof files[name] === "string";
  const problems = new Problems();
  const loaded = {} as Record<Collection, Loaded<Collection>>;
  const sources = {} as Record<Collection, string | null>;
  for (const collection of COLLECTIONS) {
    const file = pickFile(collection, present);
    sources[collection] = file ?? null;
    // A file that is not JSON is one problem; its records are then not looked at.
    const parsed = file ? problems.catch(() => ({ value: parseJsonText(file, files[file]!, "a JSON array") })) : { value: [] };
    loaded[collection] = loadRecords(collection, parsed ? parsed.value : [], file ?? collection, options, problems);
  }
  checkLiveAndDeleted(loaded as { [C in Collection]: Loaded<C> }, problems);
  problems.throwIfAny();
  const records = Object.fromEntries(COLLECTIONS.map((c) => [c, loaded[c].records])) as RecordSet;
  const used = new Set(Object.values(sources));
  const superseded = ALL_LEGACY_FILES.filter((name) => present(name) && !used.has(name));
  return { records, sources, superseded };
}

/** How many records of each collection. */
export const countsOf = (records: RecordSet): Record<Collection, number> =>
  Object.fromEntries(COLLECTIONS.map((c) => [c, records[c].length])) as Record<Collection, number>;
