/** Operation-journal helpers shared by every store adapter. */
import type { JournalSummary, NewOperation, Operation, OperationJournal, OperationState } from "../../src/ports.ts";
import { assertStorableKey } from "./keys.ts";

export type ProgressPatch = Parameters<OperationJournal["progress"]>[1];
export type ProgressField = keyof ProgressPatch;
export const PROGRESS_FIELDS: readonly ProgressField[] = ["state", "nextStep", "attempts", "lastError", "updated", "leaseUntil"];

/** The fields a caller sets on enqueue (drops anything extra the object carries). */
export function newOperationFields(op: NewOperation): NewOperation {
  assertStorableKey("Operation id", op.id);
  assertStorableKey("Operation record id", op.recordId);
  const { id, action, collection, recordId, steps, created } = op;
  return { id, action, collection, recordId, steps, created };
}

/** A freshly enqueued operation: pending, nothing done, lease expired. */
export function initialOperation(op: NewOperation): Operation {
  const fields = newOperationFields(op);
  return { ...fields, state: "pending", nextStep: 0, attempts: 0, lastError: null, updated: fields.created, leaseUntil: 0 };
}

/** The patch's known fields that were given (undefined means "leave alone"; null is a value). */
export function progressEntries(patch: ProgressPatch): [ProgressField, unknown][] {
  return PROGRESS_FIELDS.filter((f) => patch[f] !== undefined).map((f) => [f, patch[f]]);
}

const NAIVE_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;

/**
 * A retention cutoff as the JSON text every adapter compares stored `updated`/`created` with.
 * The SQL adapters keep those as JSON text and compare bytes (so an index serves the prune);
 * for naive ISO timestamps that order is time order, and the quote sorts below "." so a
 * timestamp without a fraction comes before the same second with one. Anything else is refused
 * rather than compared: a typo must not prune everything.
 */
export function cutoffText(iso: string): string {
  if (!NAIVE_ISO.test(iso)) throw new Error(`Retention cutoff ${JSON.stringify(iso)} is not a naive ISO timestamp (YYYY-MM-DDTHH:MM:SS[.ffffff])`);
  return JSON.stringify(iso);
}

/** A summary from per-state counts (states with no operation count 0) and the oldest pending `created`. */
export function journalSummary(rows: Iterable<{ state: string; n: number | string | bigint }>, oldestPendingCreated: string | null): JournalSummary {
  const counts: Record<OperationState, number> = { pending: 0, done: 0, failed: 0 };
  for (const { state, n } of rows) if (state in counts) counts[state as OperationState] = Number(n);
  return { counts, oldestPendingCreated };
}
