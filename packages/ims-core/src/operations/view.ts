/** An artifact operation as clients see it (/v3/operations, events): no lease times, no write-step bodies (a whole deleted manifest). */
import type { Operation } from "../ports.ts";

export const operationView = (op: Operation) => ({
  id: op.id,
  action: op.action,
  collection: op.collection,
  recordId: op.recordId,
  state: op.state,
  nextStep: op.nextStep,
  attempts: op.attempts,
  lastError: op.lastError,
  created: op.created,
  updated: op.updated,
  steps: op.steps.map((s) => (s.op === "copy" ? { op: s.op, from: s.from, to: s.to } : { op: s.op, ref: s.ref })),
});
