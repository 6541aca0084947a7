/**
 * Loading one collection's records from a JSON array: the per-type rules, keys sorted as the
 * API emits them, and the store key of each record. Shared by legacy files and export dumps.
 */
import { sortKeys } from "../canonical.ts";
import type { Collection, Collections } from "../records.ts";
import { isPlainObject } from "../validate.ts";
import { Fields, show } from "./fields.ts";
import { Problems } from "./problems.ts";
import { DEFAULT_JOB_DEFAULTS, type JobDefaults, loadJob } from "./load-job.ts";
import { loadImage, loadPublicKey, loadRecipe, loadRemoteBuildNode } from "./load-records.ts";

export type RecordSet = { [C in Collection]: Collections[C][] };

export interface LoadOptions {
  jobDefaults?: JobDefaults;
}

const LOADERS: { [C in Collection]: (f: Fields, o: Required<LoadOptions>) => Collections[C] } = {
  public_keys: (f) => loadPublicKey(f, false),
  deleted_public_keys: (f) => loadPublicKey(f, true) as Collections["deleted_public_keys"],
  recipes: (f) => loadRecipe(f, false),
  deleted_recipes: (f) => loadRecipe(f, true) as Collections["deleted_recipes"],
  images: (f) => loadImage(f, false),
  deleted_images: (f) => loadImage(f, true) as Collections["deleted_images"],
  jobs: (f, o) => loadJob(f, o.jobDefaults),
  remote_build_nodes: (f) => loadRemoteBuildNode(f),
};

/** The store key: xname for remote build nodes, id for everything else. */
export const keyField = (collection: Collection) => (collection === "remote_build_nodes" ? "xname" : "id");
export const keyOf = <C extends Collection>(collection: C, record: Collections[C]): string =>
  (record as unknown as Record<string, string>)[keyField(collection)]!;

/**
 * Loads a parsed JSON value that must be an array of records. `source` names the file (or the
 * dump section) in errors. Throws a validation ImsError listing every bad record; a key that
 * appears twice is one of them (upstream's dict would silently have kept only the last).
 */
export function loadCollection<C extends Collection>(collection: C, value: unknown, source: string, options: LoadOptions = {}): Collections[C][] {
  const problems = new Problems();
  const loaded = loadRecords(collection, value, source, options, problems);
  problems.throwIfAny();
  return loaded.records;
}

export interface Loaded<C extends Collection> {
  records: Collections[C][];
  /** Where each key was found: its index in the source array. */
  indexOf: Map<string, number>;
  source: string;
}

/** loadCollection's work: every problem goes to `problems`; the good records are returned. */
export function loadRecords<C extends Collection>(collection: C, value: unknown, source: string, options: LoadOptions, problems: Problems): Loaded<C> {
  const loaded: Loaded<C> = { records: [], indexOf: new Map(), source };
  if (!Array.isArray(value)) {
    problems.add(`${source}: expected a JSON array of records, got ${kindOf(value)}.`);
    return loaded;
  }
  const opts = { jobDefaults: options.jobDefaults ?? DEFAULT_JOB_DEFAULTS };
  const field = keyField(collection);
  value.forEach((raw, index) => {
    const key = isPlainObject(raw) ? raw[field] : undefined;
    const where = `${source}, record at index ${index}${typeof key === "string" ? ` (${field} ${JSON.stringify(key)})` : ""}`;
    if (!isPlainObject(raw)) return problems.add(`${where}: expected an object, got ${show(raw)}.`);
    const record = problems.catch(() => sortKeys(LOADERS[collection](new Fields(raw, where), opts)));
    if (record === undefined) return;
    const id = keyOf(collection, record);
    const first = loaded.indexOf.get(id);
    if (first !== undefined) return problems.add(`${source}, records at index ${first} and ${index}: ${field} ${JSON.stringify(id)} appears twice.`);
    loaded.indexOf.set(id, index);
    loaded.records.push(record);
  });
  return loaded;
}

const kindOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "an array" : isPlainObject(v) ? "an object" : typeof v);
