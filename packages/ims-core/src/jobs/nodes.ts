/**
 * Remote build node choice (jobs.md §7, remote-build-nodes.md §5). Probes are slow (SSH), so they
 * run in parallel before the transaction; the choice itself counts the jobs already reserved in
 * the store, under a lock, so a burst of creations spreads evenly.
 */
import { initialStatus } from "../remote-nodes/probe.ts";
import type { Ctx } from "../context.ts";
import type { Arch, Job } from "../records.ts";
import type { RemoteNodeStatus } from "../service-types.ts";

export const NODE_LOCK = "remote-build-nodes";

/** Every registered node's status, in store order; a probe that throws counts as unreachable. */
export async function probeNodes(ctx: Ctx): Promise<RemoteNodeStatus[]> {
  const nodes = await ctx.store.list("remote_build_nodes");
  return Promise.all(
    nodes.map(({ data: { xname } }) =>
      ctx.probe.probe(xname).catch((e) => {
        ctx.log.warn("remote build node probe failed", { xname, error: (e as Error).message });
        return initialStatus(xname);
      }),
    ),
  );
}

const TERMINAL = new Set(["error", "success"]);
export const isTerminal = (status: string) => TERMINAL.has(status);

/** Jobs per remote node that are still running (not error/success). */
export function activeJobsPerNode(jobs: readonly Pick<Job, "remote_build_node" | "status">[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const j of jobs) {
    if (!j.remote_build_node || isTerminal(j.status)) continue;
    counts.set(j.remote_build_node, (counts.get(j.remote_build_node) ?? 0) + 1);
  }
  return counts;
}

/** The node's own count breaks ties; upstream reads an unknown count (-1) as 10000. */
const probeCount = (s: RemoteNodeStatus) => (s.numCurrentJobs < 0 ? 10000 : s.numCurrentJobs);

/**
 * The eligible node (able to run jobs, same arch, still registered) with the fewest active jobs;
 * ties go to the lower probe count, then to store order. "" when none is eligible.
 */
export function chooseNode(
  probes: readonly RemoteNodeStatus[],
  active: ReadonlyMap<string, number>,
  arch: Arch,
  registered?: ReadonlySet<string>,
): string {
  let best: { xname: string; load: number; probe: number } | undefined;
  for (const s of probes) {
    if (!s.ableToRunJobs || s.nodeArch !== arch) continue;
    if (registered && !registered.has(s.xname)) continue; // removed while we probed
    const load = active.get(s.xname) ?? 0;
    const probe = probeCount(s);
    if (!best || load < best.load || (load === best.load && probe < best.probe)) best = { xname: s.xname, load, probe };
  }
  return best?.xname ?? "";
}
