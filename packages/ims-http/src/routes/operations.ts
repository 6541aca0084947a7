/**
 * /v3/operations: the artifact operation journal, read-only (our addition, not upstream). It
 * shows what a delete or undelete still has to move in S3, and why a retry keeps failing.
 */
import { operationView } from "@ims/core";
import { HttpProblem } from "../problems/problem.ts";
import { json, problems, type RouteDef } from "./route-table.ts";

const base = "/v3/operations";
const tag = "operations";
const STATES = ["pending", "done", "failed"] as const;
type State = (typeof STATES)[number];

function stateOf(query: URLSearchParams): State | undefined {
  const raw = query.get("state");
  if (raw === null) return undefined;
  if ((STATES as readonly string[]).includes(raw)) return raw as State;
  throw new HttpProblem(400, `state must be one of ${STATES.join(", ")}, got ${JSON.stringify(raw.slice(0, 100))}.`);
}

export const operationRoutes = (): RouteDef[] => [
  {
    method: "GET", path: base, tag, summary: "List artifact operations, oldest first",
    query: [
      { name: "state", description: "Only operations in this state: pending, done or failed.", schema: { type: "string", enum: [...STATES] } },
      { name: "record_id", description: "Only operations for this recipe, image or public key id." },
    ],
    responses: { 200: { description: "Journal entries", schema: "Operation", list: true }, ...problems(400) },
    handler: async (c) => {
      const state = stateOf(c.query);
      const recordId = c.query.get("record_id") ?? undefined;
      return json(200, (await c.ims.operations.list({ state, recordId })).map(operationView));
    },
  },
  {
    method: "GET", path: `${base}/{operation_id}`, tag, summary: "Get one artifact operation",
    responses: { 200: { description: "The journal entry", schema: "Operation" }, ...problems(404) },
    handler: async (c) => json(200, operationView(await c.ims.operations.get(c.params.operation_id!))),
  },
];
