/** The jobs resource the service offers (api.md §7). */
import { mustGet, mustGetJson } from "../resources/common.ts";
import { createJob } from "./create.ts";
import { deleteJob, deleteJobs } from "./delete.ts";
import { dryRunJob } from "./dry-run.ts";
import { patchJob } from "./patch.ts";
import type { JobsDeps } from "./deps.ts";
import type { JobsResource } from "../service-types.ts";

export function jobs(deps: JobsDeps): JobsResource {
  const { ctx } = deps;
  return {
    list: () => ctx.store.list("jobs"),
    listJson: () => ctx.lists.json("jobs"),
    get: (id) => mustGet(ctx, "jobs", id),
    getJson: (id) => mustGetJson(ctx, "jobs", id),
    create: (body, opts) => createJob(deps, body, opts?.idempotency),
    dryRun: (body) => dryRunJob(deps, body),
    patch: (id, body, opts) => patchJob(deps, id, body, opts),
    delete: (id, opts) => deleteJob(deps, id, opts),
    deleteAll: (filters) => deleteJobs(deps, filters),
  };
}
