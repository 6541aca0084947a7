/**
 * List answers built once per change of their collection and shared by every request until the
 * next: each request reads the store's list version (a cheap indexed read), and gets the cached
 * list while it is the same. Requests that arrive together after a change share one build.
 */
import type { Collection } from "../records.ts";
import type { RecordReader } from "../ports.ts";

/**
 * A cached list is rebuilt after this long even if its version did not move: the version covers
 * every write this code makes, but not a writer that logs no changes (a replica of an older
 * release during a rolling upgrade), whose writes then show within this bound.
 */
export const LIST_MAX_AGE_MS = 30_000;

export interface ListCache {
  /** The collection's list as UTF-8 JSON (RecordReader.listJson): the same object while unchanged. */
  json(collection: Collection): Promise<Uint8Array>;
}

interface Entry {
  version: number;
  built: number;
  body: Promise<Uint8Array>;
}

export function listCache(store: RecordReader, now: () => number = Date.now): ListCache {
  const cached = new Map<Collection, Entry>();
  return {
    async json(collection) {
      // The version first: a list built after reading it is at least that new, never older.
      const version = await store.listVersion(collection);
      const hit = cached.get(collection);
      const fresh = hit !== undefined && now() - hit.built < LIST_MAX_AGE_MS;
      if (fresh && hit.version === version) return hit.body;
      const entry: Entry = { version, built: now(), body: store.listJson(collection) };
      // A request that read an older version (a slow read) must not evict a newer list.
      if (!fresh || version > hit.version) {
        cached.set(collection, entry);
        entry.body.catch(() => cached.get(collection) === entry && cached.delete(collection));
      }
      return entry.body;
    },
  };
}
