import type { SQL } from "bun";
import type { RecordReader, Stored, StoredJson } from "../../src/ports.ts";
import type { Collection, Collections } from "../../src/records.ts";
import { isStorableKey } from "../memory/keys.ts";

interface RecordRow {
  body: string;
  version: number;
}

const toStored = (row: RecordRow) => ({ data: JSON.parse(row.body), version: row.version });

/** Record reads through the pool (committed data) or a transaction's connection. */
export class PgReader implements RecordReader {
  constructor(protected readonly sql: SQL) {}

  /** Hook for transactions, which refuse use after they ended. */
  protected check(): void {}

  async get<C extends Collection>(collection: C, id: string): Promise<Stored<Collections[C]> | undefined> {
    this.check();
    if (!isStorableKey(id)) return undefined;
    const rows: RecordRow[] = await this.sql`SELECT body, version FROM records WHERE collection = ${collection} AND id = ${id}`;
    return rows.length ? toStored(rows[0]) : undefined;
  }

  async getJson(collection: Collection, id: string): Promise<StoredJson | undefined> {
    this.check();
    if (!isStorableKey(id)) return undefined;
    const rows: RecordRow[] = await this.sql`SELECT body, version FROM records WHERE collection = ${collection} AND id = ${id}`;
    return rows.length ? { json: rows[0].body, version: rows[0].version } : undefined;
  }

  async list<C extends Collection>(collection: C): Promise<Stored<Collections[C]>[]> {
    this.check();
    const rows: RecordRow[] = await this.sql`SELECT body, version FROM records WHERE collection = ${collection} ORDER BY seq`;
    return rows.map(toStored);
  }

  /** Joined by the server and sent as bytea, so JavaScript holds the list once, as bytes. */
  async listJson(collection: Collection): Promise<Uint8Array> {
    this.check();
    const [row]: { json: Uint8Array }[] = await this.sql`SELECT convert_to('[' || coalesce(string_agg(body, ',' ORDER BY seq), '') || ']', 'UTF8') AS json
      FROM records WHERE collection = ${collection}`;
    return row.json;
  }

  async count(collection: Collection): Promise<number> {
    this.check();
    const [row]: { n: number }[] = await this.sql`SELECT count(*)::int AS n FROM records WHERE collection = ${collection}`;
    return row.n;
  }
}
