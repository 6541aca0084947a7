/** Remote build nodes: records keyed by xname, and live status probes (run in parallel). */
import { sortKeys } from "../canonical.ts";
import { ImsError, notFound } from "../errors.ts";
import { validateBody } from "../validate.ts";
import { RemoteBuildNodeCreate } from "../schemas.ts";
import type { Ctx } from "../context.ts";
import type { RemoteBuildNodes } from "../service-types.ts";
import { commit, mustGet, mustGetJson } from "../resources/common.ts";
import { commitCreate, idempotentCreate } from "../resources/idempotency.ts";

const WHAT = "Remote build node";

/** The xname is the record key: it must be text every store can key and a URL can carry. */
const isKeyable = (s: string) => !s.includes("\0") && s.isWellFormed();

export function remoteBuildNodes(ctx: Ctx): RemoteBuildNodes {
  return {
    list: () => ctx.store.list("remote_build_nodes"),
    listJson: () => ctx.store.listJson("remote_build_nodes"),
    get: (xname) => mustGet(ctx, "remote_build_nodes", xname, WHAT),
    getJson: (xname) => mustGetJson(ctx, "remote_build_nodes", xname, WHAT),
    create: (body, opts) =>
      idempotentCreate(ctx, opts?.idempotency, async () => {
        const node = sortKeys(validateBody<{ xname: string }>(RemoteBuildNodeCreate, body));
        if (!isKeyable(node.xname)) {
          const why = "May not contain NUL or unpaired UTF-16 surrogate characters.";
          throw new ImsError("validation", `Input data was not valid: xname: ${why}`, { xname: [why] });
        }
        // Upstream silently replaces an existing node of the same xname; the version is read
        // inside the transaction so it is this write's, not a later one's.
        return commitCreate(ctx, opts?.idempotency, async (tx) => {
          await tx.upsert("remote_build_nodes", node.xname, node);
          return (await tx.get("remote_build_nodes", node.xname))!;
        });
      }),
    async delete(xname) {
      const gone = await commit(ctx, (tx) => tx.remove("remote_build_nodes", xname));
      if (!gone) throw notFound(WHAT, xname);
    },
    async deleteAll() {
      await commit(ctx, (tx) => tx.removeAll("remote_build_nodes"));
    },
    async statusAll() {
      const nodes = await ctx.store.list("remote_build_nodes");
      return Promise.all(nodes.map((n) => ctx.probe.probe(n.data.xname)));
    },
    async status(xname) {
      await mustGet(ctx, "remote_build_nodes", xname, WHAT);
      return ctx.probe.probe(xname);
    },
  };
}
