/** DELETE of one job or of filtered jobs (api.md §7.4-§7.5, jobs.md §9). */
import { ImsError } from "../errors.ts";
import { JOB } from "../texts.ts";
import { checkIfMatch, commit, mustGet } from "../resources/common.ts";
import { allRefs, jobNamespace, removeObjects } from "./cleanup.ts";
import { jobMatcher, type JobDeleteFilters } from "./filters.ts";
import type { JobsDeps } from "./deps.ts";
import type { Job } from "../records.ts";
import type { WriteOptions } from "../service-types.ts";

/** Objects first: a record is only dropped once nothing of the job is left in the cluster. */
async function cleanUp(deps: JobsDeps, job: Job): Promise<string[]> {
  const refs = allRefs(job);
  if (!refs.length) return [];
  if (!deps.cluster) throw noCluster(); // the record is the only pointer to the objects: keep it
  return removeObjects(deps.cluster, jobNamespace(job, deps.config.namespace), refs);
}

const noCluster = () => new ImsError("unavailable", "No Kubernetes cluster is configured: the job's objects cannot be deleted, so the job is kept.");

export async function deleteJob(deps: JobsDeps, id: string, opts?: WriteOptions): Promise<void> {
  const cur = await mustGet(deps.ctx, "jobs", id);
  checkIfMatch(cur, opts);
  const failures = await cleanUp(deps, cur.data);
  if (failures.length) throw new ImsError("internal", JOB.deleteFailed(id), failures);
  await commit(deps.ctx, (tx) => tx.remove("jobs", id));
}

/** Jobs whose clean-up worked are removed even when others fail; the failures make one 500. */
export async function deleteJobs(deps: JobsDeps, filters: JobDeleteFilters = {}): Promise<void> {
  const { ctx } = deps;
  const matches = jobMatcher(filters, ctx.clock.now().getTime());
  const jobs = (await ctx.store.list("jobs")).map((j) => j.data).filter(matches);
  if (!deps.cluster && jobs.some((j) => allRefs(j).length)) throw noCluster();
  const errors: string[] = [];
  for (const job of jobs) {
    const failures = await cleanUp(deps, job);
    if (failures.length) errors.push(...failures);
    else await commit(ctx, (tx) => tx.remove("jobs", job.id));
  }
  if (errors.length) throw new ImsError("internal", JOB.deleteManyFailed, errors);
}
