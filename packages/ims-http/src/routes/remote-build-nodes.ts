/**
 * /v3/remote-build-nodes (v3 only, keyed by xname). The status collection is listed before the
 * {xname} item so `status` is never taken for a node name.
 */
import type { RouteDef } from "./route-table.ts";
import { BODY_PROBLEMS, created, json, listBody, noContent, problems, recordText, type RouteCtx } from "./route-table.ts";

const base = "/v3/remote-build-nodes";
const tag = "remote build node";
const statusTag = "remote build node status";
const xname = (c: RouteCtx) => c.params.remote_build_node_xname!;

export const remoteBuildNodeRoutes = (): RouteDef[] => [
  {
    method: "GET", path: `${base}/status`, tag: statusTag, summary: "Probe every remote build node",
    responses: { 200: { description: "One status per registered node", schema: "RemoteNodeStatus", list: true } },
    handler: async (c) => json(200, await c.ims.remoteBuildNodes.statusAll()),
  },
  {
    method: "GET", path: `${base}/status/{remote_build_node_xname}`, tag: statusTag, summary: "Probe one remote build node",
    responses: { 200: { description: "The node's status", schema: "RemoteNodeStatus" }, ...problems(404) },
    handler: async (c) => json(200, await c.ims.remoteBuildNodes.status(xname(c))),
  },
  {
    method: "GET", path: base, tag, summary: "List remote build nodes",
    responses: { 200: { description: "All nodes", schema: "RemoteBuildNode", list: true } },
    handler: async (c) => listBody(await c.ims.remoteBuildNodes.listJson()),
  },
  {
    method: "POST", path: base, tag, summary: "Register (or replace) a remote build node", body: "RemoteBuildNodeCreate", idempotent: true,
    responses: { 201: { description: "The node", schema: "RemoteBuildNode", etag: true }, ...problems(...BODY_PROBLEMS) },
    handler: async (c) => {
      const { body, opts } = await c.createInput();
      return created("RemoteBuildNode", await c.ims.remoteBuildNodes.create(body, opts));
    },
  },
  {
    method: "DELETE", path: base, tag, summary: "Remove every remote build node",
    responses: { 204: { description: "Removed" } },
    handler: async (c) => (await c.ims.remoteBuildNodes.deleteAll(), noContent()),
  },
  {
    method: "GET", path: `${base}/{remote_build_node_xname}`, tag, summary: "Get a remote build node",
    responses: { 200: { description: "The node", schema: "RemoteBuildNode", etag: true }, ...problems(404) },
    handler: async (c) => recordText(200, await c.ims.remoteBuildNodes.getJson(xname(c))),
  },
  {
    method: "DELETE", path: `${base}/{remote_build_node_xname}`, tag, summary: "Remove a remote build node",
    responses: { 204: { description: "Removed" }, ...problems(404) },
    handler: async (c) => (await c.ims.remoteBuildNodes.delete(xname(c)), noContent()),
  },
];
