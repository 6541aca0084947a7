/** PATCH by the job pods (api.md §7.3): status and resultant_image_id; 404 -> 400 -> 422. */
import { sortKeys } from "../canonical.ts";
import { ImsError } from "../errors.ts";
import { JOB } from "../texts.ts";
import { JobPatch } from "../schemas.ts";
import { validateBody } from "../validate.ts";
import { checkIfMatch, commit, guarded, mustGet, STALE } from "../resources/common.ts";
import { finishedRefs, jobNamespace, removeObjects } from "./cleanup.ts";
import { isTerminal } from "./nodes.ts";
import type { JobsDeps } from "./deps.ts";
import type { Stored } from "../ports.ts";
import type { Job, JobStatus } from "../records.ts";
import type { WriteOptions } from "../service-types.ts";

type JobChanges = { status?: JobStatus; resultant_image_id?: string };

/**
 * A finished job gives back its PVC, Service and DestinationRule before the status changes;
 * if that fails the status stays as it was (500 with the failures).
 */
async function releaseResources(deps: JobsDeps, job: Job): Promise<void> {
  const refs = finishedRefs(job);
  if (!refs.length) return;
  if (!deps.cluster) {
    // Nothing can run without a cluster; the record keeps the names for a later DELETE.
    deps.ctx.log.warn("no Kubernetes cluster configured; job resources not released", { id: job.id });
    return;
  }
  const failures = await removeObjects(deps.cluster, jobNamespace(job, deps.config.namespace), refs);
  if (failures.length) {
    throw new ImsError("internal", JOB.releaseFailed(job.id), failures);
  }
}

export async function patchJob(deps: JobsDeps, id: string, body: unknown, opts?: WriteOptions): Promise<Stored<Job>> {
  const { ctx } = deps;
  await mustGet(ctx, "jobs", id);
  const changes = validateBody<JobChanges>(JobPatch, body);
  return guarded(opts, async () => {
    const cur = await mustGet(ctx, "jobs", id);
    checkIfMatch(cur, opts);
    if (changes.status && isTerminal(changes.status)) await releaseResources(deps, cur.data);
    const record = sortKeys({ ...cur.data, ...changes });
    return commit(ctx, async (tx) => {
      const version = await tx.update("jobs", id, record, cur.version);
      return version === undefined ? STALE : { data: record, version };
    });
  });
}
