/** Remote build nodes: records keyed by xname, and live status probes (run in parallel). */
import { sortKeys } from "../canonical.ts";
import { notFound } from "../errors.ts";
import { validateBody } from "../validate.ts";
import { RemoteBuildNodeCreate } from "../schemas.ts";
import type { Ctx } from "../context.ts";
import type { RemoteBuildNodes } from "../service-types.ts";
import { commit, mustGet, mustGetJson } from "../resources/common.ts";
import { commitCreate, idempotentCreate } from "../resources/idempotency.ts";

export function remoteBuildNodes(ctx: Ctx): RemoteBuildNodes {
  return {
    list: () => ctx.store.list("remote_build_nodes"),
    listJson: () => ctx.lists.json("remote_build_nodes"),
    get: (xname) => mustGet(ctx, "remote_build_nodes", xname),
    getJson: (xname) => mustGetJson(ctx, "remote_build_nodes", xname),
    create: (body, opts) =>
      idempotentCreate(ctx, opts?.idempotency, async () => {
        // The schema holds xname to a host name (field-rules.ts): ssh is run with it.
        const node = sortKeys(validateBody<{ xname: string }>(RemoteBuildNodeCreate, body));
        // Upstream silently replaces an existing node of the same xname; the version is read
        // inside the transaction so it is this write's, not a later one's.
        return commitCreate(ctx, opts?.idempotency, async (tx) => {
          await tx.upsert("remote_build_nodes", node.xname, node);
          return (await tx.get("remote_build_nodes", node.xname))!;
        });
      }),
    async delete(xname) {
      const gone = await commit(ctx, (tx) => tx.remove("remote_build_nodes", xname));
      if (!gone) throw notFound();
    },
    async deleteAll() {
      await commit(ctx, (tx) => tx.removeAll("remote_build_nodes"));
    },
    async statusAll() {
      const nodes = await ctx.store.list("remote_build_nodes");
      return Promise.all(nodes.map((n) => ctx.probe.probe(n.data.xname)));
    },
    async status(xname) {
      await mustGet(ctx, "remote_build_nodes", xname);
      return ctx.probe.probe(xname);
    },
  };
}
