import type { Page, RecordReader, Stored, StoredJson } from "../../src/ports.ts";
import type { Collection, Collections } from "../../src/records.ts";
import { FAMILY } from "../../src/changes.ts";
import { isStorableKey } from "./keys.ts";
import { emptyTable, toStored, type MemoryState, type Row } from "./state.ts";

/** Reads committed records; a transaction overrides `table` to see its own writes. */
export class MemoryReader implements RecordReader {
  constructor(protected readonly state: MemoryState) {}

  protected table(c: Collection): ReadonlyMap<string, Row> {
    return this.state.tables.get(c) ?? emptyTable;
  }

  async get<C extends Collection>(collection: C, id: string): Promise<Stored<Collections[C]> | undefined> {
    return isStorableKey(id) ? toStored(this.table(collection).get(id)) : undefined;
  }

  async getJson(collection: Collection, id: string): Promise<StoredJson | undefined> {
    const row = isStorableKey(id) ? this.table(collection).get(id) : undefined;
    return row && { json: row.body, version: row.version };
  }

  async list<C extends Collection>(collection: C): Promise<Stored<Collections[C]>[]> {
    return [...this.table(collection).values()].map((row) => toStored(row)!);
  }

  async listPage<C extends Collection>(collection: C, after: number, limit: number): Promise<Page<Collections[C]>> {
    const rows = [...this.table(collection).values()];
    const records = rows.filter((r) => r.position > after).slice(0, limit).map((r) => ({ ...toStored(r)!, position: r.position }));
    return { records, last: rows.at(-1)?.position ?? 0 };
  }

  async listJson(collection: Collection): Promise<Uint8Array> {
    const bodies: string[] = [];
    for (const row of this.table(collection).values()) bodies.push(row.body);
    return new TextEncoder().encode(`[${bodies.join(",")}]`);
  }

  async listVersion(collection: Collection): Promise<number> {
    return this.state.changes.version(FAMILY[collection]);
  }

  async count(collection: Collection): Promise<number> {
    return this.table(collection).size;
  }
}
