/**
 * Collection-wide writes (delete, purge or undelete every record) in bounded batches: each batch
 * is one short transaction, its size adapted so the transaction takes about TARGET_MS, and the
 * event loop turns between batches. No other request waits long behind 40,000 records, and the
 * work costs a few hundred commits instead of one per record.
 */
import type { Collection } from "../records.ts";
import type { RecordReader, Stored } from "../ports.ts";

const TARGET_MS = 20;
const FIRST = 64;
const MIN = 8;
const MAX = 1024;

/** Times the batch's transaction, which sizes the next batch. */
export type Timed = <R>(transaction: () => Promise<R>) => Promise<R>;

/**
 * Walks `collection` a page at a time (only the records it had when the walk began: later
 * inserts are left alone), handing each page to `write`; the page size follows the time the
 * previous page's transaction took.
 */
export async function inBatches<T>(store: RecordReader, collection: Collection, write: (batch: Stored<T>[], timed: Timed) => Promise<void>): Promise<void> {
  let size = FIRST;
  let after = 0;
  let bound: number | undefined;
  for (;;) {
    const page = await store.listPage(collection, after, size);
    bound ??= page.last;
    const batch = page.records.filter((r) => r.position <= bound!);
    if (!batch.length) return;
    after = batch.at(-1)!.position;
    let took = TARGET_MS;
    await write(batch as unknown as Stored<T>[], async (transaction) => {
      const started = performance.now();
      try {
        return await transaction();
      } finally {
        took = performance.now() - started;
      }
    });
    if (took < TARGET_MS / 2) size = Math.min(MAX, size * 2);
    else if (took > TARGET_MS * 2) size = Math.max(MIN, Math.floor(size / 2));
    await new Promise((r) => setImmediate(r));
  }
}
