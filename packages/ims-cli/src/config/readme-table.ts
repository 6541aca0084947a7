/**
 * The README's configuration tables, as the declarations say they must read: one row per
 * variable, `| \`NAME\` | default | meaning |`. readme.test.ts compares; `bun run config:tables`
 * prints them for pasting.
 */
import { SECTIONS, VARIABLES, type Section, type Variable } from "./variables.ts";

export const TABLE_HEADER = "| variable | default | meaning |\n|---|---|---|";

export const defaultCell = (v: Variable) => v.shown ?? (v.default === undefined ? "—" : `\`${v.default}\``);

export const rowOf = (v: Variable) => `| \`${v.name}\` | ${defaultCell(v)} | ${v.meaning} |`;

export const tableOf = (section: Section) => [TABLE_HEADER, ...VARIABLES.filter((v) => v.section === section).map(rowOf)].join("\n");

if (import.meta.main) {
  for (const section of SECTIONS) console.log(`<!-- ${section} -->\n${tableOf(section)}\n`);
}
