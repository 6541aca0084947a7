import { expect, test } from "bun:test";
import { isoNaive, parseNaive, spacedSeconds } from "./time.ts";

test("timestamps are Python's naive isoformat, fraction omitted when zero", () => {
  expect(isoNaive(new Date("2024-03-01T10:00:00.123Z"))).toBe("2024-03-01T10:00:00.123000");
  expect(isoNaive(new Date("2024-03-01T10:00:00Z"))).toBe("2024-03-01T10:00:00");
  expect(spacedSeconds(new Date("2024-03-01T10:00:00.5Z"))).toBe("2024-03-01 10:00:00");
});

test("stored timestamps parse with or without offset, offset ignored", () => {
  expect(parseNaive("2024-03-01T10:00:00.123456")).toBe(Date.UTC(2024, 2, 1, 10, 0, 0, 123));
  expect(parseNaive("2024-03-01T10:00:00+05:00")).toBe(Date.UTC(2024, 2, 1, 10));
  expect(parseNaive("garbage")).toBeNaN();
});
