import { describe, expect, test } from "bun:test";
import { jobMatcher, parseAge } from "./filters.ts";
import type { Job } from "../records.ts";
import { JOB } from "../texts.ts";

const M = 60_000, H = 60 * M, D = 24 * H, W = 7 * D;

describe("age (api.md §7.5) with upstream's quirks", () => {
  test("plain units", () => {
    expect(parseAge("1d")).toBe(D);
    expect(parseAge("6h")).toBe(6 * H);
    expect(parseAge("2w")).toBe(2 * W);
    expect(parseAge("90m")).toBe(90 * M);
    expect([parseAge("2W"), parseAge("3D"), parseAge("4H"), parseAge("5M")]).toEqual([2 * W, 3 * D, 4 * H, 5 * M]); // case-insensitive
  });

  test("the leftmost digits before a later unit letter win", () => {
    expect(parseAge("1d6h")).toBe(D + H);
    expect(parseAge("2w3d")).toBe(2 * W + 2 * D);
    expect(parseAge("1month")).toBe(H + M);
    expect(parseAge("3hours")).toBe(3 * H);
  });

  test("an explicit 0 is a duration of 0", () => {
    expect(parseAge("0d")).toBe(0);
    expect(parseAge("0m")).toBe(0);
  });

  test.each(["bogus", "5", "", " ", "1x", "banana", "-"])("%j, in which no unit matches, is refused naming the accepted forms (upstream: 0, every job)", (age) => {
    expect(() => parseAge(age)).toThrow(
      `Unsupported age ${age} in query parameters. An age is a number followed by a unit, w (weeks), d (days), h (hours) or m (minutes), e.g. 90m, 6h, 1d or 2w3d. Determine the specific information that is missing or invalid and then re-run the request with valid information.`,
    );
  });

  test("digits of other scripts count, as Python's \\d and int() read them", () => {
    expect(parseAge("\u0663d")).toBe(3 * 24 * H);
  });
});

describe("jobMatcher", () => {
  const now = Date.UTC(2024, 5, 1, 12);
  const job = (over: Partial<Job>) => ({ status: "creating", job_type: "create", created: "2024-06-01T11:00:00", ...over }) as Job;

  test("status: lower-cased, checked, any of the list", () => {
    const m = jobMatcher({ status: ["ERROR", "Success"] }, now);
    expect([m(job({ status: "error" })), m(job({ status: "success" })), m(job({ status: "creating" }))]).toEqual([true, true, false]);
    expect(() => jobMatcher({ status: ["error", "done"] }, now)).toThrow(/done/);
    expect(jobMatcher({ status: [] }, now)(job({}))).toBe(true);
  });

  test("job_type is checked", () => {
    expect(jobMatcher({ job_type: "customize" }, now)(job({}))).toBe(false);
    expect(() => jobMatcher({ job_type: "Create" }, now)).toThrow(/job_type/);
  });

  test("age: created strictly before now - duration; 0m matches everything", () => {
    const m = jobMatcher({ age: "1h" }, now);
    expect([m(job({ created: "2024-06-01T10:59:59.999000" })), m(job({ created: "2024-06-01T11:00:00" }))]).toEqual([true, false]);
    expect(jobMatcher({ age: "0m" }, now)(job({ created: "2024-06-01T11:59:59" }))).toBe(true);
    expect(() => jobMatcher({ age: "bogus" }, now)).toThrow(/^Unsupported age bogus in query parameters/);
    expect(() => jobMatcher({ age: "99999999999w" }, now)).toThrow(JOB.badAge("99999999999w"));
  });

  test("filters are ANDed", () => {
    const m = jobMatcher({ status: ["error"], job_type: "customize", age: "1m" }, now);
    expect(m(job({ status: "error", job_type: "customize" }))).toBe(true);
    expect(m(job({ status: "error", job_type: "create" }))).toBe(false);
    expect(m(job({ status: "error", job_type: "customize", created: "2024-06-01T11:59:30" }))).toBe(false);
  });
});
