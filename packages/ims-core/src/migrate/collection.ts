/**
 * Loading one collection's records from a JSON array: the per-type rules, keys sorted as the
 * API emits them, and the store key of each record. Shared by legacy files and export dumps.
 */
import { sortKeys } from "../canonical.ts";
import { ImsError } from "../errors.ts";
import type { Collection, Collections } from "../records.ts";
import { isPlainObject } from "../validate.ts";
import { Fields, show } from "./fields.ts";
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
 * dump section) in errors. Repeated keys behave as upstream's dict did: the last record wins,
 * at the place of the first.
 */
export function loadCollection<C extends Collection>(collection: C, value: unknown, source: string, options: LoadOptions = {}): Collections[C][] {
  if (!Array.isArray(value)) throw new ImsError("validation", `${source}: expected a JSON array of records, got ${kindOf(value)}.`);
  const opts = { jobDefaults: options.jobDefaults ?? DEFAULT_JOB_DEFAULTS };
  const byKey = new Map<string, Collections[C]>();
  value.forEach((raw, index) => {
    const key = isPlainObject(raw) ? raw[keyField(collection)] : undefined;
    const where = `${source}, record at index ${index}${typeof key === "string" ? ` (${keyField(collection)} ${JSON.stringify(key)})` : ""}`;
    if (!isPlainObject(raw)) throw new ImsError("validation", `${where}: expected an object, got ${show(raw)}.`);
    const record = sortKeys(LOADERS[collection](new Fields(raw, where), opts));
    byKey.set(keyOf(collection, record), record);
  });
  return [...byKey.values()];
}

const kindOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "an array" : isPlainObject(v) ? "an object" : typeof v);
