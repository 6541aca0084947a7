/**
 * A record is live or deleted, never both: upstream moves it between its two files. Input that
 * holds an id in both (a hand-edited file, files from different moments) is refused, naming both
 * places.
 */
import type { Collection } from "../records.ts";
import type { Loaded } from "./collection.ts";
import type { Problems } from "./problems.ts";

/** Each live collection and its deleted counterpart. */
export const LIVE_AND_DELETED: readonly (readonly [Collection, Collection])[] = [
  ["public_keys", "deleted_public_keys"],
  ["recipes", "deleted_recipes"],
  ["images", "deleted_images"],
];

export function checkLiveAndDeleted(loaded: { [C in Collection]: Loaded<C> }, problems: Problems): void {
  for (const [live, deleted] of LIVE_AND_DELETED) {
    const deletedAt = loaded[deleted].indexOf;
    for (const [id, index] of loaded[live].indexOf) {
      const other = deletedAt.get(id);
      if (other === undefined) continue;
      problems.add(
        `${loaded[live].source}, record at index ${index} and ${loaded[deleted].source}, record at index ${other}: id ${JSON.stringify(id)} is both live and deleted.`,
      );
    }
  }
}

/** The other collection of a live/deleted pair, if the collection has one. */
export function counterpartOf(collection: Collection): Collection | undefined {
  for (const [live, deleted] of LIVE_AND_DELETED) {
    if (collection === live) return deleted;
    if (collection === deleted) return live;
  }
  return undefined;
}
