/** The committed contents of a memory store. Record bodies are kept as JSON text, like the SQL adapters. */
import type { Collection } from "../../src/records.ts";
import type { Operation } from "../../src/ports.ts";
import type { MemoryChangeLog } from "./changes.ts";

export interface Row {
  body: string;
  version: number;
  /** Grows in insertion order (the SQL tables' seq). */
  position: number;
}

/** Map order is insertion order; `set` on an existing key keeps its place (upsert semantics). */
export type Table = Map<string, Row>;

export interface MemoryState {
  tables: Map<Collection, Table>;
  /** Key -> JSON of the IdempotentResult. */
  idempotency: Map<string, string>;
  operations: Map<string, Operation>;
  /** Named notes (RecordTx.getMeta/putMeta). */
  meta: Map<string, string>;
  changes: MemoryChangeLog;
  /** The last position given to an inserted row. */
  position: number;
}

export const emptyTable: ReadonlyMap<string, Row> = new Map();

export function toStored(row: Row | undefined) {
  return row && { data: JSON.parse(row.body), version: row.version };
}
