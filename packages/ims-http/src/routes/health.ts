/** Liveness, readiness (503 while draining for shutdown or while the store cannot be reached) and the service version. */
import { HttpProblem } from "../problems/problem.ts";
import { dumped, problems, type RouteDef } from "./route-table.ts";

export const healthRoutes = (): RouteDef[] => [
  {
    method: "GET", path: "/healthz/ready", tag: "healthz", cli: "ignore", summary: "Readiness", access: "public",
    responses: { 200: { description: "Ready", schema: "Empty" }, ...problems(503) },
    handler: async (c) => {
      if (!c.ready()) throw new HttpProblem(503, "The service is shutting down.");
      await c.dependencies(); // an unavailable ImsError: 503 naming what cannot be reached
      return dumped(200, {});
    },
  },
  {
    method: "GET", path: "/healthz/live", tag: "healthz", cli: "ignore", summary: "Liveness", access: "public",
    responses: { 200: { description: "Alive", schema: "Empty" } },
    handler: async () => dumped(200, {}),
  },
  {
    method: "GET", path: "/version", tag: "version", cli: "hidden", summary: "Service version", access: "public",
    responses: { 200: { description: "The version", schema: "Version" } },
    handler: async (c) => dumped(200, { version: c.version }),
  },
];
