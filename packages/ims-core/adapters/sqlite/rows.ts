/**
 * Operation rows as both SQL adapters store them (same columns in SQLite and PostgreSQL).
 * Caller text that may hold NUL or lone surrogates is stored as JSON text, which escapes both.
 */
import type { NewOperation, Operation, OperationState } from "../../src/ports.ts";
import { newOperationFields, type ProgressField } from "../memory/operations.ts";

export interface OperationRow {
  id: string;
  record_id: string;
  state: string;
  next_step: number;
  attempts: number;
  last_error: string | null;
  updated: string;
  lease_until: number | string; // PostgreSQL returns BIGINT as a string
  body: string;
}

/** Values for (id, record_id, state, next_step, attempts, last_error, updated, lease_until, body). */
export function operationValues(op: NewOperation): unknown[] {
  const fields = newOperationFields(op);
  return [fields.id, fields.recordId, "pending", 0, 0, null, JSON.stringify(fields.created), 0, JSON.stringify(fields)];
}

export function rowToOperation(row: OperationRow): Operation {
  return {
    ...(JSON.parse(row.body) as NewOperation),
    state: row.state as OperationState,
    nextStep: Number(row.next_step),
    attempts: Number(row.attempts),
    lastError: row.last_error === null ? null : JSON.parse(row.last_error),
    updated: JSON.parse(row.updated),
    leaseUntil: Number(row.lease_until),
  };
}

/** Column and encoding of each field `progress` may change. */
export const PROGRESS_COLUMNS: Record<ProgressField, { column: string; encode: (v: unknown) => unknown }> = {
  state: { column: "state", encode: (v) => v },
  nextStep: { column: "next_step", encode: (v) => v },
  attempts: { column: "attempts", encode: (v) => v },
  lastError: { column: "last_error", encode: (v) => (v === null ? null : JSON.stringify(v)) },
  updated: { column: "updated", encode: (v) => JSON.stringify(v) },
  leaseUntil: { column: "lease_until", encode: (v) => v },
};
