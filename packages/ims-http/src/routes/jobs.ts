/**
 * Jobs on every prefix (api.md §2 rows 7-8, 15-16, 29-30). v2 and v3 behave the same, so one
 * set of thin handlers serves all three families; the core runs Kubernetes and the checks.
 */
import { badRequestTitle, type JobDeleteFilters } from "@ims/core";
import { HttpProblem } from "../problems/problem.ts";
import {
  BODY_PROBLEMS, CHANGING, PREFIXES, created, json, listBody, noContent, problems, record, recordText,
  type Prefix, type QuerySpec, type ResponseSpec, type RouteCtx, type RouteDef,
} from "./route-table.ts";

const PARAM = "job_id";

// Upstream's document lists these enums (its JobStatuses leaves out packaging_artifacts, which the
// filter takes all the same); craycli turns them into the choices of `cray ims jobs deleteall`.
const LISTED_STATUSES = ["creating", "fetching_image", "fetching_recipe", "waiting_for_repos", "building_image", "waiting_on_user", "error", "success"];
const DELETE_QUERY: QuerySpec[] = [
  {
    name: "status",
    description: "Repeatable: only jobs in one of these statuses (case-insensitive; packaging_artifacts is taken too); an unknown status is a 400.",
    schema: { type: "array", items: { type: "string", enum: LISTED_STATUSES } },
  },
  {
    name: "job_type",
    description: "Only jobs of this type: create or customize (first occurrence counts); anything else is a 400.",
    schema: { type: "array", items: { type: "string", enum: ["create", "customize"] } },
  },
  { name: "age", description: "Only jobs created longer ago than this, e.g. 90m, 6h, 1d, 2w (units w, d, h, m); an age without a unit is a 400." },
];
const FILTERS = new Set(DELETE_QUERY.map((q) => q.name));

// Upstream's true words (as `cascade` reads them) and their opposites; anything else is a mistake.
const DRY_RUN_WORDS: Record<string, boolean> = { true: true, yes: true, t: true, 1: true, false: false, no: false, f: false, 0: false };
const DRY_RUN: QuerySpec = {
  name: "dry_run",
  description:
    "true: check and render the job without creating it. The same checks as a create, in the same order and with the same " +
    "4xx; then 200 with the job record it would write and its Kubernetes objects in creation order, checked against the " +
    "Kubernetes schemas (warnings names fields Kubernetes would drop). Nothing is written, no remote build node is reserved, " +
    "the cluster is not called (none need be configured); an Idempotency-Key is neither replayed nor stored. " +
    "Takes true/yes/t/1 and false/no/f/0 in any case; anything else is a 400.",
  schema: { type: "boolean" },
};

/** `dry_run` (first occurrence): absent -> false; a true or false word; anything else is a 400. */
export function dryRunOf(query: URLSearchParams): boolean {
  const raw = query.get("dry_run");
  if (raw === null) return false;
  const value = DRY_RUN_WORDS[raw.toLowerCase()];
  if (value === undefined) throw new HttpProblem(400, `dry_run must be true or false (also yes/no, t/f, 1/0), not ${JSON.stringify(raw)}.`);
  return value;
}

// Statuses the core adds for jobs on top of the standard problems.
const CLUSTER_FAILED: Record<number, ResponseSpec> = {
  500: { description: "Kubernetes objects could not be created or removed (errors lists them)", schema: "Problem" },
};
const NO_CLUSTER: Record<number, ResponseSpec> = {
  503: { description: "No Kubernetes cluster or job templates configured, or the Kubernetes API cannot be reached", schema: "Problem" },
};
// A create also reads the recipe archive or image manifest in S3 first.
const CREATE_UNAVAILABLE: Record<number, ResponseSpec> = {
  503: { description: "No Kubernetes cluster or job templates configured, or S3 or the Kubernetes API cannot be reached", schema: "Problem" },
};

/**
 * Query filters as upstream reads them: every `status`, the first `job_type`, the first `age`.
 * Any other parameter is refused: upstream ignores it, so a misspelt filter deleted every job.
 */
export function deleteFilters(query: URLSearchParams): JobDeleteFilters {
  for (const name of query.keys()) {
    if (!FILTERS.has(name)) {
      // As the filter refusals: upstream's sentence in the title (ours: upstream ignores the parameter).
      throw badRequestTitle(`Unsupported query parameter ${name}: deleting jobs accepts only status, job_type and age. Determine the specific information that is missing or invalid and then re-run the request with valid information.`);
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
  const tag = "jobs";
  const id = (c: RouteCtx) => c.params[PARAM]!;
  return [
    {
      method: "GET", path: base, tag, summary: "List jobs",
      responses: { 200: { description: "All jobs", schema: "Job", list: true } },
      handler: async (c) => listBody(await c.ims.jobs.listJson()),
    },
    {
      method: "POST", path: base, tag, summary: "Create a job: renders and creates its Kubernetes objects (or, with dry_run, only shows them)",
      body: "JobCreate", idempotent: true, query: [DRY_RUN],
      responses: {
        200: { description: "dry_run=true: the job it would create and its Kubernetes objects; nothing was created", schema: "JobDryRun" },
        201: { description: "The new job (status creating) with its Kubernetes object names", schema: "Job", etag: true },
        ...problems(...BODY_PROBLEMS),
        500: { description: "Kubernetes objects could not be created (errors lists them), or (dry run) the templates render objects Kubernetes would refuse (errors names each object and field)", schema: "Problem" },
        ...CREATE_UNAVAILABLE,
      },
      handler: async (c) => {
        const dryRun = dryRunOf(c.query);
        const { body, opts } = await c.createInput();
        if (dryRun) return json(200, await c.ims.jobs.dryRun(body));
        return created("Job", await c.ims.jobs.create(body, opts));
      },
    },
    {
      method: "DELETE", path: base, tag, summary: "Delete the matching jobs and their Kubernetes objects", query: DELETE_QUERY,
      cli: prefix === "/v3" ? undefined : "ignore",
      responses: { 204: { description: "Deleted" }, ...problems(400), ...CLUSTER_FAILED, ...NO_CLUSTER },
      handler: async (c) => (c.longLived(), await c.ims.jobs.deleteAll(deleteFilters(c.query)), noContent()),
    },
    {
      method: "GET", path: item, tag, summary: "Get a job",
      responses: { 200: { description: "The job", schema: "Job", etag: true }, ...problems(404) },
      handler: async (c) => recordText(200, await c.ims.jobs.getJson(id(c))),
    },
    {
      method: "PATCH", path: item, tag, summary: "Report job progress (status, resultant_image_id); error/success release the PVC and Service", body: "JobPatch",
      cli: "ignore", // the job pods' own route: no `cray ims jobs update`
      access: "job-status",
      responses: {
        200: { description: "The updated job", schema: "Job", etag: true },
        ...problems(404, 412, ...BODY_PROBLEMS), ...CHANGING, ...CLUSTER_FAILED,
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
