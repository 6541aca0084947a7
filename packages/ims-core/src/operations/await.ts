/**
 * A delete, undelete or purge answers once its own artifact work is done (bounded), so a client
 * finds S3 as upstream leaves it. The request runs its operations itself where it can (nothing
 * queues behind other work); one held elsewhere (another replica, a retry's backoff, an older
 * operation of the record) is watched until it finishes. Past the bound the journal finishes
 * the work; the answer says which operations were still pending.
 */
import type { Ctx } from "../context.ts";
import type { ArtifactWork } from "../service-types.ts";

const POLL_MS = 25;
/** A collection delete's operations run this many at a time. */
const PARALLEL = 4;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function awaitOperations(ctx: Ctx, ids: string[], waitMs = ctx.config.artifactWaitMs): Promise<ArtifactWork> {
  if (waitMs <= 0) return { operations: ids, pending: [...ids], waited: false };
  if (!ids.length) return { operations: ids, pending: [], waited: true };
  const deadline = Date.now() + waitMs;
  const finish = async (id: string) => {
    while (Date.now() < deadline) {
      if (!(await ctx.runOperation(id))) await sleep(POLL_MS);
      const op = await ctx.store.journal.get(id);
      if (op?.state !== "pending") return;
    }
  };
  const queue = [...ids];
  const lanes = Array.from({ length: Math.min(PARALLEL, ids.length) }, async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) await finish(id);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([Promise.all(lanes), new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, deadline - Date.now()))))]);
  clearTimeout(timer);
  const states = await Promise.all(ids.map((id) => ctx.store.journal.get(id)));
  const pending = ids.filter((_, i) => states[i]?.state === "pending");
  if (pending.length) {
    ctx.log.warn("answering before artifact work finished; the journal completes it", { operations: pending, wait_ms: waitMs });
  }
  return { operations: ids, pending, waited: true };
}
