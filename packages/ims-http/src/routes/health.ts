/** Liveness, readiness (503 while draining for shutdown or while the store cannot be reached) and the service version. */
import { HttpProblem } from "../problems/problem.ts";
import { json, problems, type RouteDef } from "./route-table.ts";

const tag = "health";

export const healthRoutes = (): RouteDef[] => [
  {
    method: "GET", path: "/healthz/ready", tag, summary: "Readiness",
    responses: { 200: { description: "Ready", schema: "Empty" }, ...problems(503) },
    handler: async (c) => {
      if (!c.ready()) throw new HttpProblem(503, "The service is shutting down.");
      await c.dependencies(); // an unavailable ImsError: 503 naming what cannot be reached
      return json(200, {});
    },
  },
  {
    method: "GET", path: "/healthz/live", tag, summary: "Liveness",
    responses: { 200: { description: "Alive", schema: "Empty" } },
    handler: async () => json(200, {}),
  },
  {
    method: "GET", path: "/version", tag, summary: "Service version",
    responses: { 200: { description: "The version", schema: "Version" } },
    handler: async (c) => json(200, { version: c.version }),
  },
];
