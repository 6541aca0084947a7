import type { SQL } from "bun";
import type { Page, RecordReader, Stored, StoredJson } from "../../src/ports.ts";
import type { Collection, Collections } from "../../src/records.ts";
import { FAMILY } from "../../src/changes.ts";
import { isStorableKey } from "../memory/keys.ts";
import type { BatchedGets, RecordRow } from "./batched-gets.ts";


const toStored = (row: RecordRow) => ({ data: JSON.parse(row.body), version: row.version });

/**
 * Record reads through the pool (committed data; single-record lookups gathered per turn by
 * `batched`) or a transaction's connection.
 */
export class PgReader implements RecordReader {
  constructor(
    protected readonly sql: SQL,
    private readonly batched?: BatchedGets,
  ) {}

  /** Hook for transactions, which refuse use after they ended. */
  protected check(): void {}

  async #row(collection: Collection, id: string): Promise<RecordRow | undefined> {
    this.check();
    if (!isStorableKey(id)) return undefined;
    if (this.batched) return this.batched.get(collection, id);
    const rows: RecordRow[] = await this.sql`SELECT body, version FROM records WHERE collection = ${collection} AND id = ${id}`;
    return rows[0];
  }

  async get<C extends Collection>(collection: C, id: string): Promise<Stored<Collections[C]> | undefined> {
    const row = await this.#row(collection, id);
    return row && toStored(row);
  }

  async getJson(collection: Collection, id: string): Promise<StoredJson | undefined> {
    const row = await this.#row(collection, id);
    return row && { json: row.body, version: row.version };
  }

  async list<C extends Collection>(collection: C): Promise<Stored<Collections[C]>[]> {
    this.check();
    const rows: RecordRow[] = await this.sql`SELECT body, version FROM records WHERE collection = ${collection} ORDER BY seq`;
    return rows.map(toStored);
  }

  async listPage<C extends Collection>(collection: C, after: number, limit: number): Promise<Page<Collections[C]>> {
    this.check();
    const rows: (RecordRow & { seq: string; last: string })[] = await this.sql`SELECT seq, body, version,
        (SELECT coalesce(max(seq), 0) FROM records WHERE collection = ${collection}) AS last
      FROM records WHERE collection = ${collection} AND seq > ${after}::bigint ORDER BY seq LIMIT ${limit}`;
    if (rows.length) return { records: rows.map((r) => ({ ...toStored(r), position: Number(r.seq) })), last: Number(rows[0]!.last) };
    const [row]: { last: string }[] = await this.sql`SELECT coalesce(max(seq), 0) AS last FROM records WHERE collection = ${collection}`;
    return { records: [], last: Number(row!.last) };
  }

  /** Joined by the server and sent as bytea, so JavaScript holds the list once, as bytes. */
  async listJson(collection: Collection): Promise<Uint8Array> {
    this.check();
    const [row]: { json: Uint8Array }[] = await this.sql`SELECT convert_to('[' || coalesce(string_agg(body, ',' ORDER BY seq), '') || ']', 'UTF8') AS json
      FROM records WHERE collection = ${collection}`;
    return row.json;
  }

  /** An index lookup (changes_by_collection): cheap enough to run before every list answer. */
  async listVersion(collection: Collection): Promise<number> {
    this.check();
    const [row]: { v: string | number }[] = await this.sql`SELECT coalesce(max(seq), 0) AS v FROM changes WHERE collection = ${FAMILY[collection]}`;
    return Number(row!.v);
  }

  async count(collection: Collection): Promise<number> {
    this.check();
    const [row]: { n: number }[] = await this.sql`SELECT count(*)::int AS n FROM records WHERE collection = ${collection}`;
    return row.n;
  }
}
