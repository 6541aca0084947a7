import type { Database } from "bun:sqlite";
import type { RecordReader, Stored } from "../../src/ports.ts";
import type { Collection, Collections } from "../../src/records.ts";
import { isStorableKey } from "../memory/keys.ts";

interface RecordRow {
  body: string;
  version: number;
}

const toStored = (row: RecordRow) => ({ data: JSON.parse(row.body), version: row.version });

/** Record reads on one connection: the reader (committed data) or the writer inside a transaction. */
export class SqliteReader implements RecordReader {
  constructor(protected readonly db: Database) {}

  /** Hook for transactions, which refuse use after they ended. */
  protected check(): void {}

  async get<C extends Collection>(collection: C, id: string): Promise<Stored<Collections[C]> | undefined> {
    this.check();
    if (!isStorableKey(id)) return undefined;
    const row = this.db
      .query<RecordRow, [string, string]>("SELECT body, version FROM records WHERE collection = ? AND id = ?")
      .get(collection, id);
    return row ? toStored(row) : undefined;
  }

  async list<C extends Collection>(collection: C): Promise<Stored<Collections[C]>[]> {
    this.check();
    return this.db
      .query<RecordRow, [string]>("SELECT body, version FROM records WHERE collection = ? ORDER BY seq")
      .all(collection)
      .map(toStored);
  }

  async count(collection: Collection): Promise<number> {
    this.check();
    return this.db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM records WHERE collection = ?").get(collection)!.n;
  }
}
