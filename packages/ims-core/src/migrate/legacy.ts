/**
 * Reading upstream's data directory (/var/ims/data) from file contents handed in by the
 * caller: the newest file of each store, parsed and loaded with upstream's load defaults.
 */
import { ImsError } from "../errors.ts";
import { COLLECTIONS, type Collection } from "../records.ts";
import { loadCollection, type LoadOptions, type RecordSet } from "./collection.ts";
import { ALL_LEGACY_FILES, pickFile } from "./files.ts";

export interface LegacyData {
  records: RecordSet;
  /** The file each store was read from; null when no file of that store was present. */
  sources: { [C in Collection]: string | null };
  /** Legacy file names present but not read because a newer name of the same store was there. */
  superseded: string[];
}

/** `files`: file name (no directory) -> contents. Names that are not IMS data files are ignored. */
export function parseLegacyData(files: Readonly<Record<string, string>>, options: LoadOptions = {}): LegacyData {
  const present = (name: string) => Object.hasOwn(files, name) && typeof files[name] === "string";
  const records = {} as Record<Collection, unknown[]>;
  const sources = {} as Record<Collection, string | null>;
  for (const collection of COLLECTIONS) {
    const file = pickFile(collection, present);
    sources[collection] = file ?? null;
    records[collection] = file ? loadCollection(collection, parseJson(file, files[file]!), file, options) : [];
  }
  const used = new Set(Object.values(sources));
  const superseded = ALL_LEGACY_FILES.filter((name) => present(name) && !used.has(name));
  return { records: records as RecordSet, sources, superseded };
}

function parseJson(file: string, text: string): unknown {
  if (text.trim() === "") throw new ImsError("validation", `${file}: the file is empty, not a JSON array (a write was probably interrupted).`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ImsError("validation", `${file}: not valid JSON (${(e as Error).message}).`);
  }
}

/** How many records of each collection. */
export const countsOf = (records: RecordSet): Record<Collection, number> =>
  Object.fromEntries(COLLECTIONS.map((c) => [c, records[c].length])) as Record<Collection, number>;
