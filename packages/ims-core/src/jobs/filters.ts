/** DELETE /jobs query filters (api.md §7.5), including upstream's age parsing quirks. */
import { ImsError } from "../errors.ts";
import { parseNaive } from "../time.ts";
import { JOB_STATUSES, type Job } from "../records.ts";

export interface JobDeleteFilters {
  /** Repeatable; lower-cased, each must be a job status. */
  status?: string[];
  job_type?: string;
  /** e.g. "1d", "6h", "2w", "90m". */
  age?: string;
}

const MINUTE = 60_000;
const UNITS: [letter: string, ms: number][] = [
  ["w", 7 * 24 * 60 * MINUTE],
  ["d", 24 * 60 * MINUTE],
  ["h", 60 * MINUTE],
  ["m", MINUTE],
];
/** Python's datetime cannot go before 0001-01-01: upstream's parse fails there, a 400. */
const YEAR_ONE_MS = -62135596800000;

const bad = (detail: string) => new ImsError("bad_request", detail);

// Upstream's words for a filter it refuses (jobs.py, V3JobCollection.delete).
const RERUN = "Determine the specific information that is missing or invalid and then re-run the request with valid information.";
const unsupported = (what: string, value: string, why = "") => bad(`Unsupported ${what} ${value} in query parameters. ${why}${RERUN}`);
const AGE_FORMS = "An age is a number followed by a unit, w (weeks), d (days), h (hours) or m (minutes), e.g. 90m, 6h, 1d or 2w3d. ";

/**
 * Duration in ms, as upstream computes it: for each unit the leftmost match of `(\d+)\w*<unit>`
 * gives its number, so "1d6h" is 1 day + 1 hour and "1month" 1 hour + 1 minute. An age in which
 * no unit matches is refused: upstream reads it as 0, so "age=bogus" would match every job.
 */
export function parseAge(age: string): number {
  // Python's \d also takes other scripts' digits; rather than guess their values, refuse them.
  if (/(?![0-9])\p{Nd}/u.test(age)) throw unsupported("age", age, AGE_FORMS);
  let total = 0;
  let matched = false;
  for (const [letter, ms] of UNITS) {
    // Python's \w is Unicode-aware: letters, numbers and "_".
    const m = new RegExp(`([0-9]+)[\\p{L}\\p{N}_]*${letter}`, "iu").exec(age);
    if (m) total += Number(m[1]) * ms;
    matched ||= m !== null;
  }
  if (!matched) throw unsupported("age", age, AGE_FORMS);
  return total;
}

/** Validates the filters (400) and returns the predicate; all filters are ANDed. */
export function jobMatcher(filters: JobDeleteFilters, nowMs: number): (job: Job) => boolean {
  const statuses = filters.status?.map((s) => s.toLowerCase());
  const unknown = statuses?.filter((s) => !(JOB_STATUSES as readonly string[]).includes(s)) ?? [];
  if (unknown.length) throw unsupported("status", unknown[0]!);
  const jobType = filters.job_type;
  // Upstream lets an empty job_type through as "no filter"; here it is refused like any other.
  if (jobType !== undefined && jobType !== "create" && jobType !== "customize") throw unsupported("job_type", jobType);
  let cutoff: number | undefined;
  if (filters.age !== undefined) {
    cutoff = nowMs - parseAge(filters.age);
    if (!(cutoff >= YEAR_ONE_MS)) throw unsupported("age", filters.age);
  }
  return (job) =>
    (!statuses?.length || statuses.includes(job.status)) &&
    (jobType === undefined || job.job_type === jobType) &&
    (cutoff === undefined || parseNaive(job.created) < cutoff);
}
