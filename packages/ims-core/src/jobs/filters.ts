/** DELETE /jobs query filters (api.md §7.5), including upstream's age parsing quirks. */
import { badRequestTitle } from "../errors.ts";
import { pyInt } from "../python-int.ts";
import { JOB } from "../texts.ts";
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
/** Python's datetime cannot go before 0001-01-01: upstream's age filter is refused there. */
const YEAR_ONE_MS = -62135596800000;

/**
 * Duration in ms, as upstream computes it: for each unit the leftmost match of `(\d+)\w*<unit>`
 * gives its number, so "1d6h" is 1 day + 1 hour and "1month" 1 hour + 1 minute. An age in which
 * no unit matches is refused (400): upstream reads it as 0, so `age=bogus` would match every job.
 */
export function parseAge(age: string): number {
  let total = 0;
  let matched = false;
  for (const [letter, ms] of UNITS) {
    // Python's \d and \w are Unicode-aware: any script's digits; letters, numbers and "_".
    const m = new RegExp(`(\\p{Nd}+)[\\p{L}\\p{N}_]*${letter}`, "iu").exec(age);
    if (m) total += Number(pyInt(m[1]!)) * ms;
    matched ||= m !== null;
  }
  if (!matched) throw badRequestTitle(JOB.ageWithoutUnit(age));
  return total;
}

/** Validates the filters (400) and returns the predicate; all filters are ANDed. */
export function jobMatcher(filters: JobDeleteFilters, nowMs: number): (job: Job) => boolean {
  const statuses = filters.status?.map((s) => s.toLowerCase());
  const unknown = statuses?.filter((s) => !(JOB_STATUSES as readonly string[]).includes(s)) ?? [];
  if (unknown.length) throw badRequestTitle(JOB.badStatus(unknown[0]!));
  // An empty job_type is no filter, as upstream reads it.
  const jobType = filters.job_type || undefined;
  if (jobType !== undefined && jobType !== "create" && jobType !== "customize") throw badRequestTitle(JOB.badJobType(jobType));
  let cutoff: number | undefined;
  if (filters.age !== undefined) {
    cutoff = nowMs - parseAge(filters.age);
    if (!(cutoff >= YEAR_ONE_MS)) throw badRequestTitle(JOB.badAge(filters.age));
  }
  return (job) =>
    (!statuses?.length || statuses.includes(job.status)) &&
    (jobType === undefined || job.job_type === jobType) &&
    (cutoff === undefined || parseNaive(job.created) < cutoff);
}
