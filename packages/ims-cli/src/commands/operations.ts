/** operations [--state S] [--json]: the artifact operation journal (moves, copies, removals). */
import type { Operation, OperationState } from "@ims/core";
import type { Command } from "./command.ts";
import { openRecords } from "../process/open.ts";

const STATES = ["pending", "done", "failed"] as const;

export const operationsCommand: Command = {
  spec: { command: "operations", positionals: [], flags: { state: { choices: STATES }, json: {} } },
  summary: "print the artifact operation journal",
  help: `Usage: bun run ims operations [--state pending|done|failed] [--json]

Prints the artifact operations journaled by record changes (soft delete, undelete, hard
delete): one line per operation, oldest first, with its state, the record it belongs to,
the next step to run, attempts and the last error. Pending operations are finished by a
running service's artifact worker; one with attempts and a last error is being retried
with backoff (up to 5 minutes apart) and may need a look.

Options:
  --state S   only operations in state S (pending, done or failed)
  --json      print the operations as a JSON array instead
  -h, --help  show this help

Environment: DATABASE_URL (default sqlite:./var/ims.sqlite).`,

  async run(args, io) {
    const config = io.config();
    const store = await openRecords(config, "read");
    try {
      const state = args.flags.state as OperationState | undefined;
      const ops = await store.journal.list(state ? { state } : undefined);
      if (args.flags.json) io.out(JSON.stringify(ops, null, 2) + "\n");
      else for (const op of ops) io.out(line(op) + "\n");
      io.err(`${ops.length} operation${ops.length === 1 ? "" : "s"}${state ? ` in state ${state}` : ""}`);
    } finally {
      await store.close();
    }
  },
};

function line(op: Operation): string {
  const step = op.state === "done" ? `${op.steps.length}/${op.steps.length}` : `${op.nextStep}/${op.steps.length}`;
  const parts = [op.id, op.state.padEnd(7), op.created, `${op.collection}/${op.recordId}`, JSON.stringify(op.action), `steps ${step}`, `attempts ${op.attempts}`];
  if (op.lastError) parts.push(`error: ${op.lastError.replace(/\s+/g, " ")}`);
  return parts.join("  ");
}
