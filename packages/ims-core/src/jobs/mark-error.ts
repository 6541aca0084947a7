/** Moving a job that can no longer finish to "error", as a PATCH from its pod would. */
import { sortKeys } from "../canonical.ts";
import { commit } from "../resources/common.ts";
import { finishedRefs, jobNamespace, removeObjects } from "./cleanup.ts";
import { isTerminal } from "./nodes.ts";
import type { Cluster } from "../cluster.ts";
import type { Ctx, Logger } from "../context.ts";

export interface MarkErrorDeps {
  ctx: Ctx;
  cluster: Cluster;
  /** Namespace for records that do not name theirs. */
  namespace: string;
  log: Logger;
}

/**
 * Sets status "error" unless the job is gone or already finished; returns whether it did.
 * The PVC/Service/DestinationRule are released best-effort (failures logged, the move stands:
 * the job is over either way and a DELETE cleans up what is left).
 */
export async function markJobError(d: MarkErrorDeps, id: string, why: string): Promise<boolean> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const cur = await d.ctx.store.get("jobs", id);
    if (!cur || isTerminal(cur.data.status)) return false;
    const failures = await removeObjects(d.cluster, jobNamespace(cur.data, d.namespace), finishedRefs(cur.data));
    if (failures.length) d.log.warn("could not release resources of a failed job", { id, failures });
    const record = sortKeys({ ...cur.data, status: "error" as const });
    const done = await commit(d.ctx, async (tx) => (await tx.update("jobs", id, record, cur.version)) !== undefined);
    if (done) {
      d.log.warn("job moved to error", { id, previous: cur.data.status, reason: why });
      return true;
    }
  }
  d.log.error("job kept changing; not moved to error", { id, reason: why });
  return false;
}
