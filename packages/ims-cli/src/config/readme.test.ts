/** The README's configuration tables say exactly what variables.ts declares: names, defaults, meanings. */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { TABLE_HEADER, tableOf } from "./readme-table.ts";
import { SECTIONS, VARIABLES } from "./variables.ts";

const README = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");
const tables = [...README.matchAll(/^\| variable \| default \| meaning \|\n\|---\|---\|---\|\n(?:\|.*\|\n?)+/gm)].map((m) => m[0].trimEnd());

test("the README has one configuration table per section, as declared (fix: bun run config:tables)", () => {
  expect(tables).toEqual(SECTIONS.map(tableOf));
});

test("every declared variable is in a README table, once", () => {
  const named = tables.flatMap((t) => [...t.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));
  expect(named.toSorted()).toEqual(VARIABLES.map((v) => v.name).toSorted());
  expect(TABLE_HEADER.split("\n")).toHaveLength(2);
});

test("variable names are unique and every one has a meaning", () => {
  expect(new Set(VARIABLES.map((v) => v.name)).size).toBe(VARIABLES.length);
  for (const v of VARIABLES) expect(v.meaning.length).toBeGreaterThan(5);
});
