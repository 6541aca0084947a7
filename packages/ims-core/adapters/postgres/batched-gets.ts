/**
 * Record lookups through the pool, gathered per event-loop turn: every get that arrives in one
 * turn (under load, dozens of requests) goes to PostgreSQL as one query, so the round trip and
 * the client's per-query work are shared instead of paid per request.
 */
import type { SQL } from "bun";

export interface RecordRow {
  body: string;
  version: number;
}

interface Wanted {
  collection: string;
  id: string;
  resolve(row: RecordRow | undefined): void;
  reject(e: unknown): void;
}

/** More than this in one turn go as several queries. */
const MAX_PER_QUERY = 256;

export class BatchedGets {
  #wanted: Wanted[] = [];

  constructor(private readonly sql: SQL) {}

  get(collection: string, id: string): Promise<RecordRow | undefined> {
    return new Promise((resolve, reject) => {
      if (this.#wanted.push({ collection, id, resolve, reject }) === 1) setImmediate(this.#flush);
    });
  }

  readonly #flush = (): void => {
    const wanted = this.#wanted;
    this.#wanted = [];
    for (let i = 0; i < wanted.length; i += MAX_PER_QUERY) void this.#query(wanted.slice(i, i + MAX_PER_QUERY));
  };

  async #query(wanted: Wanted[]): Promise<void> {
    try {
      if (wanted.length === 1) {
        const [w] = wanted as [Wanted];
        const rows: RecordRow[] = await this.sql`SELECT body, version FROM records WHERE collection = ${w.collection} AND id = ${w.id}`;
        w.resolve(rows[0]);
        return;
      }
      // Usually all of one collection (many GETs of one kind): the simpler query then.
      const collection = wanted[0]!.collection;
      const ids = this.sql.array(wanted.map((w) => w.id), "TEXT");
      const rows: (RecordRow & { collection: string; id: string })[] = wanted.every((w) => w.collection === collection)
        ? await this.sql`SELECT collection, id, body, version FROM records WHERE collection = ${collection} AND id = ANY(${ids}::text[])`
        : await this.sql`SELECT r.collection, r.id, r.body, r.version
            FROM unnest(${this.sql.array(wanted.map((w) => w.collection), "TEXT")}::text[], ${ids}::text[]) AS w(collection, id)
            JOIN records r ON r.collection = w.collection AND r.id = w.id`;
      const found = new Map(rows.map((r) => [`${r.collection}/${r.id}`, r]));
      for (const w of wanted) w.resolve(found.get(`${w.collection}/${w.id}`));
    } catch (e) {
      for (const w of wanted) w.reject(e);
    }
  }
}
