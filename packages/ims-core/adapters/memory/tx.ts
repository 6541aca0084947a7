import { canonicalJson } from "../../src/python-json.ts";
import type { IdempotentResult, NewOperation, Operation, RecordTx } from "../../src/ports.ts";
import type { Collection, Collections } from "../../src/records.ts";
import { ChangeRecorder } from "../change-recorder.ts";
import { assertStorableKey, duplicateOperation, duplicateRecord, isStorableKey, isVersion, txEnded } from "./keys.ts";
import { initialOperation } from "./operations.ts";
import { MemoryReader } from "./reader.ts";
import type { Row, Table } from "./state.ts";

/**
 * A transaction over copy-on-write tables: the first write to a collection clones its Map,
 * commit swaps the clones in, and rollback simply drops them.
 */
export class MemoryTx extends MemoryReader implements RecordTx {
  readonly recorder = new ChangeRecorder();
  readonly #written = new Map<Collection, Table>();
  readonly #operations: Operation[] = [];
  /** Written keys; undefined marks a key removed in this transaction. */
  readonly #idempotency = new Map<string, string | undefined>();
  readonly #meta = new Map<string, string>();
  #ended = false;

  protected override table(c: Collection): ReadonlyMap<string, Row> {
    return this.#check().#written.get(c) ?? super.table(c);
  }

  #check(): this {
    if (this.#ended) throw txEnded();
    return this;
  }

  #writable(c: Collection): Table {
    let table = this.#check().#written.get(c);
    if (!table) this.#written.set(c, (table = new Map(this.state.tables.get(c))));
    return table;
  }

  async insert<C extends Collection>(collection: C, id: string, data: Collections[C]): Promise<void> {
    assertStorableKey("Record id", id);
    const table = this.#writable(collection);
    if (table.has(id)) throw duplicateRecord(collection, id);
    const body = canonicalJson(data);
    table.set(id, { body, version: 1, position: ++this.state.position });
    this.recorder.written(collection, id, body, 1);
  }

  async upsert<C extends Collection>(collection: C, id: string, data: Collections[C]): Promise<void> {
    assertStorableKey("Record id", id);
    const table = this.#writable(collection);
    const old = table.get(id);
    const row = { body: canonicalJson(data), version: (old?.version ?? 0) + 1, position: old?.position ?? ++this.state.position };
    table.set(id, row);
    this.recorder.written(collection, id, row.body, row.version);
  }

  async update<C extends Collection>(collection: C, id: string, data: Collections[C], ifVersion?: number) {
    const table = this.#writable(collection);
    const row = table.get(id);
    if (!row || !isVersion(ifVersion) || (ifVersion !== undefined && row.version !== ifVersion)) return undefined;
    const next = { body: canonicalJson(data), version: row.version + 1, position: row.position };
    table.set(id, next);
    this.recorder.written(collection, id, next.body, next.version);
    return next.version;
  }

  async remove(collection: Collection, id: string, ifVersion?: number): Promise<boolean> {
    const table = this.#writable(collection);
    const row = table.get(id);
    if (!row || !isVersion(ifVersion) || (ifVersion !== undefined && row.version !== ifVersion)) return false;
    this.recorder.removed(collection, id, row.version);
    return table.delete(id);
  }

  async removeAll(collection: Collection): Promise<number> {
    const table = this.#writable(collection);
    const n = table.size;
    for (const [id, row] of table) this.recorder.removed(collection, id, row.version);
    table.clear();
    return n;
  }

  /** Transactions already run one at a time (the store's mutex). */
  async lock(name: string): Promise<void> {
    this.#check();
    assertStorableKey("Lock name", name);
  }

  async enqueue(op: NewOperation): Promise<void> {
    const entry = initialOperation(structuredClone(op));
    if (this.#check().state.operations.has(op.id) || this.#operations.some((o) => o.id === op.id)) {
      throw duplicateOperation(op.id);
    }
    this.#operations.push(entry);
    this.recorder.operation(entry);
  }

  async getIdempotent(key: string): Promise<IdempotentResult | undefined> {
    if (!isStorableKey(key)) return undefined;
    const json = this.#idempotentJson(key);
    return json === undefined ? undefined : JSON.parse(json);
  }

  async putIdempotent(key: string, result: IdempotentResult): Promise<void> {
    assertStorableKey("Idempotency key", key);
    const { fingerprint, status, body, created } = result;
    this.#check().#idempotency.set(key, JSON.stringify({ fingerprint, status, body, created }));
  }

  async removeIdempotent(key: string): Promise<boolean> {
    if (!isStorableKey(key)) return false;
    const had = this.#idempotentJson(key) !== undefined;
    this.#idempotency.set(key, undefined);
    return had;
  }

  async getMeta(name: string): Promise<string | undefined> {
    if (!isStorableKey(name)) return undefined;
    const own = this.#check().#meta;
    return own.has(name) ? own.get(name) : this.state.meta.get(name);
  }

  async putMeta(name: string, value: string): Promise<void> {
    assertStorableKey("Meta name", name);
    assertStorableKey("Meta value", value);
    this.#check().#meta.set(name, value);
  }

  #idempotentJson(key: string): string | undefined {
    const own = this.#check().#idempotency;
    return own.has(key) ? own.get(key) : this.state.idempotency.get(key);
  }

  commit(): void {
    this.#ended = true;
    for (const [c, table] of this.#written) this.state.tables.set(c, table);
    for (const op of this.#operations) this.state.operations.set(op.id, op);
    for (const [k, v] of this.#meta) this.state.meta.set(k, v);
    for (const [k, v] of this.#idempotency) {
      if (v === undefined) this.state.idempotency.delete(k);
      else this.state.idempotency.set(k, v);
    }
  }

  rollback(): void {
    this.#ended = true;
  }
}
