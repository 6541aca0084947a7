/** The read half of a RecordStore, bound to an adapter's reader object (all three stores share it). */
import type { RecordReader } from "../src/ports.ts";

export const readerMethods = (r: RecordReader): RecordReader => ({
  get: (collection, id) => r.get(collection, id),
  getJson: (collection, id) => r.getJson(collection, id),
  list: (collection) => r.list(collection),
  listPage: (collection, after, limit) => r.listPage(collection, after, limit),
  listJson: (collection) => r.listJson(collection),
  count: (collection) => r.count(collection),
  listVersion: (collection) => r.listVersion(collection),
});
