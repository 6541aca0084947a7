/**
 * Upstream's operationIds (its api/openapi.yaml), so clients generated from either document
 * have the same method names: the method, `_all` on a collection (but for a create), the
 * version, the resource (singular but on a collection). Upstream's own irregular ids are kept;
 * where upstream repeats an id (its unversioned aliases reuse the v2 ones), ours leave out the
 * version, as ids must be unique.
 */
import type { RouteDef } from "../routes/route-table.ts";

const UPSTREAM_SPELLING: Record<string, string> = {
  "POST /v3/recipes": "post_v3_recipes",
  "POST /v2/recipes": "post_v3_recipe",
  "GET /v3/remote-build-nodes/status": "get_all_v3_remote_build_status",
  // upstream: get_all_v3_remote_build_status again
  "GET /v3/remote-build-nodes/status/{remote_build_node_xname}": "get_v3_remote_build_status",
  "GET /healthz/ready": "get_healthz_ready",
  "GET /healthz/live": "get_healthz_live",
  "GET /version": "getVersion",
};

export function operationId(route: Pick<RouteDef, "method" | "path">): string {
  const known = UPSTREAM_SPELLING[`${route.method} ${route.path}`];
  if (known) return known;
  const segments = route.path.split("/").filter(Boolean);
  const item = segments.at(-1)!.startsWith("{");
  const words = segments.filter((s) => !s.startsWith("{"));
  const version = /^v\d+$/.test(words[0]!) ? words.shift() : undefined;
  const method = route.method.toLowerCase();
  const all = !item && method !== "post";
  const noun = words.join("_").replace(/-/g, "_");
  return [`${method}${all ? "_all" : ""}`, version, all ? noun : noun.replace(/s$/, "")].filter(Boolean).join("_");
}
