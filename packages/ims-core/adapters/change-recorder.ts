/**
 * Turns a transaction's row writes into the changes a client understands, for every adapter:
 * a live record removed and put in its deleted collection is one soft delete; a deleted record
 * removed and put back is one undelete; a deleted record removed alone is a purge.
 */
import { FAMILY, smallRecord, type NewChange } from "../src/changes.ts";
import { operationView } from "../src/operations/view.ts";
import type { Operation } from "../src/ports.ts";
import type { Collection } from "../src/records.ts";

const DELETED: ReadonlySet<Collection> = new Set(["deleted_public_keys", "deleted_recipes", "deleted_images"]);

export class ChangeRecorder {
  readonly changes: NewChange[] = [];
  /** Removals already paired with their write. */
  readonly #paired = new WeakSet<NewChange>();

  /** A record written (insert, upsert, update) whose new version is `version`. */
  written(c: Collection, id: string, json: string, version: number): void {
    const collection = FAMILY[c];
    const record = smallRecord(json);
    if (DELETED.has(c)) {
      // The second half of a soft delete: the removal becomes "deleted" with the deleted record.
      const removal = this.#pending(collection, id, "deleted");
      if (removal) this.#pair(removal, { version, record });
      else this.changes.push({ collection, id, change: "deleted", version, record, recordId: null });
      return;
    }
    if (version === 1) {
      // The second half of an undelete: the purge-like removal becomes "undeleted".
      const removal = this.#pending(collection, id, "purged");
      if (removal) this.#pair(removal, { change: "undeleted", version, record });
      else this.changes.push({ collection, id, change: "created", version, record, recordId: null });
      return;
    }
    this.changes.push({ collection, id, change: "updated", version, record, recordId: null });
  }

  /** A record removed at its last version. */
  removed(c: Collection, id: string, version: number): void {
    this.changes.push({ collection: FAMILY[c], id, change: DELETED.has(c) ? "purged" : "deleted", version, record: null, recordId: null });
  }

  /** An artifact operation journaled, or moved to another state. */
  operation(op: Operation): void {
    this.changes.push({ collection: "operations", id: op.id, change: op.state, version: null, record: smallRecord(JSON.stringify(operationView(op))), recordId: op.recordId });
  }

  #pair(removal: NewChange, fields: Partial<NewChange>): void {
    Object.assign(removal, fields);
    this.#paired.add(removal);
  }

  /** This transaction's removal of `id` not yet paired with a write (newest first). */
  #pending(collection: NewChange["collection"], id: string, change: "deleted" | "purged"): NewChange | undefined {
    for (let i = this.changes.length - 1; i >= 0; i--) {
      const c = this.changes[i]!;
      if (c.collection === collection && c.id === id) return c.change === change && !this.#paired.has(c) ? c : undefined;
    }
    return undefined;
  }
}
