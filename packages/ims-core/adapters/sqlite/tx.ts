import { canonicalJson } from "../../src/python-json.ts";
import type { IdempotentResult, NewOperation, RecordTx } from "../../src/ports.ts";
import type { Collection, Collections } from "../../src/records.ts";
import { ChangeRecorder } from "../change-recorder.ts";
import { assertStorableKey, duplicateOperation, duplicateRecord, isStorableKey, isVersion, txEnded } from "../memory/keys.ts";
import { initialOperation } from "../memory/operations.ts";
import { SqliteReader } from "./reader.ts";
import { operationValues } from "./rows.ts";

/**
 * Writes on the writer connection while it holds BEGIN IMMEDIATE. Conflicts are detected with
 * ON CONFLICT / changes rather than constraint errors, so a refused write leaves the transaction usable.
 * Every write is told to the recorder, whose changes the store writes before it commits.
 */
export class SqliteTx extends SqliteReader implements RecordTx {
  readonly recorder = new ChangeRecorder();
  #ended = false;

  end(): void {
    this.#ended = true;
  }

  protected override check(): void {
    if (this.#ended) throw txEnded();
  }

  async insert<C extends Collection>(collection: C, id: string, data: Collections[C]): Promise<void> {
    this.check();
    assertStorableKey("Record id", id);
    const json = canonicalJson(data);
    const { changes } = this.db
      .query("INSERT INTO records (collection, id, version, body) VALUES (?, ?, 1, ?) ON CONFLICT DO NOTHING")
      .run(collection, id, json);
    if (changes === 0) throw duplicateRecord(collection, id);
    this.recorder.written(collection, id, json, 1);
  }

  async upsert<C extends Collection>(collection: C, id: string, data: Collections[C]): Promise<void> {
    this.check();
    assertStorableKey("Record id", id);
    const json = canonicalJson(data);
    const row = this.db
      .query<{ version: number }, [string, string, string]>(
        `INSERT INTO records (collection, id, version, body) VALUES (?, ?, 1, ?)
         ON CONFLICT (collection, id) DO UPDATE SET body = excluded.body, version = version + 1 RETURNING version`,
      )
      .get(collection, id, json)!;
    this.recorder.written(collection, id, json, row.version);
  }

  async update<C extends Collection>(collection: C, id: string, data: Collections[C], ifVersion?: number) {
    this.check();
    if (!isStorableKey(id) || !isVersion(ifVersion)) return undefined;
    const json = canonicalJson(data);
    const row = this.db
      .query<{ version: number }, [string, string, string, number | null, number | null]>(
        `UPDATE records SET body = ?, version = version + 1
         WHERE collection = ? AND id = ? AND (? IS NULL OR version = ?) RETURNING version`,
      )
      .get(json, collection, id, ifVersion ?? null, ifVersion ?? null);
    if (row) this.recorder.written(collection, id, json, row.version);
    return row?.version;
  }

  async remove(collection: Collection, id: string, ifVersion?: number): Promise<boolean> {
    this.check();
    if (!isStorableKey(id) || !isVersion(ifVersion)) return false;
    const row = this.db
      .query<{ version: number }, [string, string, number | null, number | null]>(
        "DELETE FROM records WHERE collection = ? AND id = ? AND (? IS NULL OR version = ?) RETURNING version",
      )
      .get(collection, id, ifVersion ?? null, ifVersion ?? null);
    if (row) this.recorder.removed(collection, id, row.version);
    return row !== null;
  }

  async removeAll(collection: Collection): Promise<number> {
    this.check();
    const rows = this.db
      .query<{ id: string; version: number }, [string]>("DELETE FROM records WHERE collection = ? RETURNING id, version")
      .all(collection);
    for (const r of rows) this.recorder.removed(collection, r.id, r.version);
    return rows.length;
  }

  /** BEGIN IMMEDIATE already makes every transaction exclusive, across processes too. */
  async lock(name: string): Promise<void> {
    this.check();
    assertStorableKey("Lock name", name);
  }

  async enqueue(op: NewOperation): Promise<void> {
    this.check();
    const values = operationValues(op);
    const { changes } = this.db
      .query(
        `INSERT INTO operations (id, record_id, state, next_step, attempts, last_error, updated, lease_until, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(...(values as [string]));
    if (changes === 0) throw duplicateOperation(op.id);
    this.recorder.operation(initialOperation(op));
  }

  async getIdempotent(key: string): Promise<IdempotentResult | undefined> {
    this.check();
    if (!isStorableKey(key)) return undefined;
    const row = this.db.query<{ result: string }, [string]>("SELECT result FROM idempotency WHERE key = ?").get(key);
    return row ? JSON.parse(row.result) : undefined;
  }

  async putIdempotent(key: string, result: IdempotentResult): Promise<void> {
    this.check();
    assertStorableKey("Idempotency key", key);
    const { fingerprint, status, body, created } = result;
    // created is also kept in its own column (JSON text, like operations.updated) for pruning.
    this.db
      .query(
        `INSERT INTO idempotency (key, result, created) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET result = excluded.result, created = excluded.created`,
      )
      .run(key, JSON.stringify({ fingerprint, status, body, created }), JSON.stringify(created ?? ""));
  }

  async removeIdempotent(key: string): Promise<boolean> {
    this.check();
    if (!isStorableKey(key)) return false;
    return this.db.query("DELETE FROM idempotency WHERE key = ?").run(key).changes > 0;
  }

  async getMeta(name: string): Promise<string | undefined> {
    this.check();
    if (!isStorableKey(name)) return undefined;
    return this.db.query<{ value: string }, [string]>("SELECT value FROM meta WHERE name = ?").get(name)?.value;
  }

  async putMeta(name: string, value: string): Promise<void> {
    this.check();
    assertStorableKey("Meta name", name);
    assertStorableKey("Meta value", value);
    this.db.query("INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value").run(name, value);
  }
}
