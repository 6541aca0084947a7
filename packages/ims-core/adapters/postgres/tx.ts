import { canonicalJson } from "../../src/python-json.ts";
import type { IdempotentResult, NewOperation, RecordTx } from "../../src/ports.ts";
import type { Collection, Collections } from "../../src/records.ts";
import { ChangeRecorder } from "../change-recorder.ts";
import { initialOperation } from "../memory/operations.ts";
import { assertStorableKey, duplicateOperation, duplicateRecord, isStorableKey, isVersion, txEnded } from "../memory/keys.ts";
import { operationValues } from "../sqlite/rows.ts";
import { PgReader } from "./reader.ts";

/**
 * Writes on a transaction's connection. A failed statement would abort the whole PostgreSQL
 * transaction, so conflicts are found with ON CONFLICT DO NOTHING / row counts, never by errors.
 * Every write is told to the recorder, whose changes the store writes before it commits.
 */
export class PgTx extends PgReader implements RecordTx {
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
    const rows = await this.sql`INSERT INTO records (collection, id, version, body)
      VALUES (${collection}, ${id}, 1, ${json}) ON CONFLICT (collection, id) DO NOTHING RETURNING 1`;
    if (rows.length === 0) throw duplicateRecord(collection, id);
    this.recorder.written(collection, id, json, 1);
  }

  async upsert<C extends Collection>(collection: C, id: string, data: Collections[C]): Promise<void> {
    this.check();
    assertStorableKey("Record id", id);
    const json = canonicalJson(data);
    const [row]: { version: number }[] = await this.sql`INSERT INTO records (collection, id, version, body) VALUES (${collection}, ${id}, 1, ${json})
      ON CONFLICT (collection, id) DO UPDATE SET body = EXCLUDED.body, version = records.version + 1 RETURNING version`;
    this.recorder.written(collection, id, json, row!.version);
  }

  async update<C extends Collection>(collection: C, id: string, data: Collections[C], ifVersion?: number) {
    this.check();
    if (!isStorableKey(id) || !isVersion(ifVersion)) return undefined;
    const v = ifVersion ?? null;
    const json = canonicalJson(data);
    const rows: { version: number }[] = await this.sql`UPDATE records SET body = ${json}, version = version + 1
      WHERE collection = ${collection} AND id = ${id} AND (${v}::bigint IS NULL OR version = ${v}::bigint) RETURNING version`;
    if (rows[0]) this.recorder.written(collection, id, json, rows[0].version);
    return rows[0]?.version;
  }

  async remove(collection: Collection, id: string, ifVersion?: number): Promise<boolean> {
    this.check();
    if (!isStorableKey(id) || !isVersion(ifVersion)) return false;
    const v = ifVersion ?? null;
    const rows: { version: number }[] = await this.sql`DELETE FROM records
      WHERE collection = ${collection} AND id = ${id} AND (${v}::bigint IS NULL OR version = ${v}::bigint) RETURNING version`;
    if (rows[0]) this.recorder.removed(collection, id, rows[0].version);
    return rows.length > 0;
  }

  async removeAll(collection: Collection): Promise<number> {
    this.check();
    const rows: { id: string; version: number }[] = await this.sql`DELETE FROM records WHERE collection = ${collection} RETURNING id, version`;
    for (const r of rows) this.recorder.removed(collection, r.id, r.version);
    return rows.length;
  }

  /** Held until commit or rollback. */
  async lock(name: string): Promise<void> {
    this.check();
    assertStorableKey("Lock name", name);
    await this.sql`SELECT pg_advisory_xact_lock(hashtext(${name}))`;
  }

  async enqueue(op: NewOperation): Promise<void> {
    this.check();
    const [id, recordId, state, nextStep, attempts, lastError, updated, leaseUntil, body] = operationValues(op);
    const rows = await this.sql`INSERT INTO operations
      (id, record_id, state, next_step, attempts, last_error, updated, lease_until, body)
      VALUES (${id}, ${recordId}, ${state}, ${nextStep}, ${attempts}, ${lastError}, ${updated}, ${leaseUntil}, ${body})
      ON CONFLICT (id) DO NOTHING RETURNING 1`;
    if (rows.length === 0) throw duplicateOperation(op.id);
    this.recorder.operation(initialOperation(op));
  }

  async getIdempotent(key: string): Promise<IdempotentResult | undefined> {
    this.check();
    if (!isStorableKey(key)) return undefined;
    const rows: { result: string }[] = await this.sql`SELECT result FROM idempotency WHERE key = ${key}`;
    return rows.length ? JSON.parse(rows[0].result) : undefined;
  }

  async putIdempotent(key: string, result: IdempotentResult): Promise<void> {
    this.check();
    assertStorableKey("Idempotency key", key);
    const { fingerprint, status, body, created } = result;
    // created is also kept in its own column (JSON text, like operations.updated) for pruning.
    const stored = JSON.stringify({ fingerprint, status, body, created });
    await this.sql`INSERT INTO idempotency (key, result, created) VALUES (${key}, ${stored}, ${JSON.stringify(created ?? "")})
      ON CONFLICT (key) DO UPDATE SET result = EXCLUDED.result, created = EXCLUDED.created`;
  }

  async removeIdempotent(key: string): Promise<boolean> {
    this.check();
    if (!isStorableKey(key)) return false;
    const rows = await this.sql`DELETE FROM idempotency WHERE key = ${key} RETURNING 1`;
    return rows.length > 0;
  }

  async getMeta(name: string): Promise<string | undefined> {
    this.check();
    if (!isStorableKey(name)) return undefined;
    const rows: { value: string }[] = await this.sql`SELECT value FROM meta WHERE name = ${name}`;
    return rows[0]?.value;
  }

  async putMeta(name: string, value: string): Promise<void> {
    this.check();
    assertStorableKey("Meta name", name);
    assertStorableKey("Meta value", value);
    await this.sql`INSERT INTO meta (name, value) VALUES (${name}, ${value})
      ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`;
  }
}
