/** The per-collection counts printed by migrate-legacy and import. */
import { COLLECTIONS, type CollectionCounts, type ImportResult } from "@ims/core";

const COLUMNS: (keyof CollectionCounts)[] = ["records", "created", "updated", "unchanged"];

export function countsTable(result: ImportResult): string {
  const rows: [string, CollectionCounts][] = [...COLLECTIONS.map((c) => [c, result.collections[c]] as [string, CollectionCounts]), ["total", result.total]];
  const width = Math.max(...rows.map(([name]) => name.length), "collection".length);
  const line = (name: string, cells: (string | number)[]) => [name.padEnd(width), ...cells.map((c) => String(c).padStart(9))].join(" ");
  const verb = result.dryRun ? "dry run: nothing was written; a real run would make these changes" : "imported";
  return [line("collection", COLUMNS), ...rows.map(([name, counts]) => line(name, COLUMNS.map((k) => counts[k]))), verb].join("\n") + "\n";
}
