import type { Database } from "bun:sqlite";
import type { Page, RecordReader, Stored, StoredJson } from "../../src/ports.ts";
import type { Collection, Collections } from "../../src/records.ts";
import { FAMILY } from "../../src/changes.ts";
import { isStorableKey } from "../memory/keys.ts";
import type { ReadSnapshot } from "./snapshot.ts";

interface RecordRow {
  body: string;
  version: number;
}

const toStored = (row: RecordRow) => ({ data: JSON.parse(row.body), version: row.version });

/** Record reads on one connection: the reader (committed data) or the writer inside a transaction. */
export class SqliteReader implements RecordReader {
  /** `snapshot`: share the event-loop turn's read transaction (the reader connection only). */
  constructor(
    protected readonly db: Database,
    private readonly snapshot?: ReadSnapshot,
  ) {}

  /** Hook for transactions, which refuse use after they ended. */
  protected check(): void {}

  #read<T>(fn: () => T): T {
    return this.snapshot ? this.snapshot.read(fn) : fn();
  }

  #row(collection: Collection, id: string): RecordRow | undefined {
    this.check();
    if (!isStorableKey(id)) return undefined;
    const row = this.#read(() =>
      this.db.query<RecordRow, [string, string]>("SELECT body, version FROM records WHERE collection = ? AND id = ?").get(collection, id),
    );
    return row ?? undefined;
  }

  async get<C extends Collection>(collection: C, id: string): Promise<Stored<Collections[C]> | undefined> {
    const row = this.#row(collection, id);
    return row ? toStored(row) : undefined;
  }

  async getJson(collection: Collection, id: string): Promise<StoredJson | undefined> {
    const row = this.#row(collection, id);
    return row ? { json: row.body, version: row.version } : undefined;
  }

  async list<C extends Collection>(collection: C): Promise<Stored<Collections[C]>[]> {
    this.check();
    return this.#read(() =>
      this.db.query<RecordRow, [string]>("SELECT body, version FROM records WHERE collection = ? ORDER BY seq").all(collection),
    ).map(toStored);
  }

  async listPage<C extends Collection>(collection: C, after: number, limit: number): Promise<Page<Collections[C]>> {
    this.check();
    const [rows, last] = this.#read(() => [
      this.db
        .query<RecordRow & { seq: number }, [string, number, number]>("SELECT seq, body, version FROM records WHERE collection = ? AND seq > ? ORDER BY seq LIMIT ?")
        .all(collection, after, limit),
      this.db.query<{ last: number }, [string]>("SELECT coalesce(max(seq), 0) AS last FROM records WHERE collection = ?").get(collection)!.last,
    ] as const);
    return { records: rows.map((r) => ({ ...toStored(r), position: r.seq })), last };
  }

  /**
   * Joined inside SQLite and returned as a BLOB, so JavaScript holds the list once, as bytes. The
   * ordered subquery feeds the aggregate in index order; `group_concat(... ORDER BY seq)` would
   * sort everything again in a temporary b-tree (twice as slow).
   */
  async listJson(collection: Collection): Promise<Uint8Array> {
    this.check();
    return this.#read(() =>
      this.db
        .query<{ json: Uint8Array }, [string]>(
          `SELECT CAST('[' || coalesce(group_concat(body, ','), '') || ']' AS BLOB) AS json
           FROM (SELECT body FROM records WHERE collection = ? ORDER BY seq)`,
        )
        .get(collection)!.json,
    );
  }

  /** An index lookup (changes_by_collection): cheap enough to run before every list answer. */
  async listVersion(collection: Collection): Promise<number> {
    this.check();
    return this.#read(
      () => this.db.query<{ v: number }, [string]>("SELECT coalesce(max(seq), 0) AS v FROM changes WHERE collection = ?").get(FAMILY[collection])!.v,
    );
  }

  async count(collection: Collection): Promise<number> {
    this.check();
    return this.#read(() => this.db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM records WHERE collection = ?").get(collection)!.n);
  }
}
