/**
 * Jobs on every prefix (api.md §2 rows 7-8, 15-16, 29-30). v2 and v3 behave the same, so one
 * set of thin handlers serves all three families; the core runs Kubernetes and the checks.
 */
import { ImsError, type JobDeleteFilters } from "@ims/core";
import {
  BODY_PROBLEMS, PREFIXES, listBody, noContent, problems, record, recordText,
  type Prefix, type QuerySpec, type ResponseSpec, type RouteCtx, type RouteDef,
} from "./route-table.ts";

const PARAM = "job_id";

const DELETE_QUERY: QuerySpec[] = [
  { name: "status", description: "Repeatable: only jobs in one of these statuses (case-insensitive); an unknown status is a 400." },
  { name: "job_type", description: "Only jobs of this type: create or customize (first occurrence counts); anything else is a 400." },
  { name: "age", description: "Only jobs created longer ago than this, e.g. 90m, 6h, 1d, 2w (units w, d, h, m); an age without a unit is a 400." },
];
const FILTERS = new Set(DELETE_QUERY.map((q) => q.name));

// Statuses the core adds for jobs on top of the standard problems.
const CLUSTER_FAILED: Record<number, ResponseSpec> = {
  500: { description: "Kubernetes objects could not be created or removed (errors lists them)", schema: "Problem" },
};
const NO_CLUSTER: Record<number, ResponseSpec> = {
  503: { description: "No Kubernetes cluster or job templates configured", schema: "Problem" },
};

/**
 * Query filters as upstream reads them: every `status`, the first `job_type`, the first `age`.
 * Any other parameter is refused: upstream ignores it, so a misspelt filter deleted every job.
 */
export function deleteFilters(query: URLSearchParams): JobDeleteFilters {
  for (const name of query.keys()) {
    if (!FILTERS.has(name)) {
      throw new ImsError("bad_request", `Unsupported query parameter ${name}: deleting jobs accepts only status, job_type and age. Determine the specific information that is missing or invalid and then re-run the request with valid information.`);
    }
  }
  const filters: JobDeleteFilters = {};
  const status = query.getAll("status");
  if (status.length) filters.status = status;
  const jobType = query.get("job_type");
  if (jobType !== null) filters.job_type = jobType;
  const age = query.get("age");
  if (age !== null) filters.age = age;
  return filters;
}

export function jobRoutesFor(prefix: Prefix): RouteDef[] {
  const base = `${prefix}/jobs`;
  const item = `${base}/{${PARAM}}`;
  const tag = `jobs${prefix ? ` (${prefix.slice(1)})` : ""}`;
  const id = (c: RouteCtx) => c.params[PARAM]!;
  return [
    {
      method: "GET", path: base, tag, summary: "List jobs",
      responses: { 200: { description: "All jobs", schema: "Job", list: true } },
      handler: async (c) => listBody(await c.ims.jobs.listJson()),
    },
    {
      method: "POST", path: base, tag, summary: "Create a job: renders and creates its Kubernetes objects", body: "JobCreate", idempotent: true,
      responses: {
        201: { description: "The new job (status creating) with its Kubernetes object names", schema: "Job", etag: true },
        ...problems(...BODY_PROBLEMS), ...CLUSTER_FAILED, ...NO_CLUSTER,
      },
      handler: async (c) => {
        const { body, opts } = await c.createInput();
        return record(201, await c.ims.jobs.create(body, opts));
      },
    },
    {
      method: "DELETE", path: base, tag, summary: "Delete the matching jobs and their Kubernetes objects", query: DELETE_QUERY,
      responses: { 204: { description: "Deleted" }, ...problems(400), ...CLUSTER_FAILED, ...NO_CLUSTER },
      handler: async (c) => (await c.ims.jobs.deleteAll(deleteFilters(c.query)), noContent()),
    },
    {
      method: "GET", path: item, tag, summary: "Get a job",
      responses: { 200: { description: "The job", schema: "Job", etag: true }, ...problems(404) },
      handler: async (c) => recordText(200, await c.ims.jobs.getJson(id(c))),
    },
    {
      method: "PATCH", path: item, tag, summary: "Report job progress (status, resultant_image_id); error/success release the PVC and Service", body: "JobPatch",
      responses: {
        200: { description: "The updated job", schema: "Job", etag: true },
        ...problems(404, 412, ...BODY_PROBLEMS), ...CLUSTER_FAILED,
      },
      handler: async (c) => {
        const opts = c.writeOptions();
        return record(200, await c.ims.jobs.patch(id(c), await c.body(() => c.ims.jobs.get(id(c))), opts));
      },
    },
    {
      method: "DELETE", path: item, tag, summary: "Delete a job and all its Kubernetes objects",
      responses: { 204: { description: "Deleted" }, ...problems(404, 412), ...CLUSTER_FAILED, ...NO_CLUSTER },
      handler: async (c) => (await c.ims.jobs.delete(id(c), c.writeOptions()), noContent()),
    },
  ];
}

export const jobRoutes = (): RouteDef[] => PREFIXES.flatMap(jobRoutesFor);
