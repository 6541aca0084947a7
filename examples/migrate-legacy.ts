/**
 * Imports an upstream IMS data directory into a store with the exported migrate functions:
 * `bun examples/migrate-legacy.ts DIR DATABASE` (what `bun run ims migrate-legacy` does).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ALL_LEGACY_FILES, importRecords, parseLegacyData } from "@ims/core";
import { argsOf, run } from "./args.ts";
import { openRecordStore } from "./store.ts";

const [dir, database] = argsOf(
  "usage: bun examples/migrate-legacy.ts DIR DATABASE\n" +
    "Imports an upstream IMS data directory into DATABASE (a SQLite file, created in an existing directory, or postgres://...).",
  2,
  2,
);

await run(async () => {
  // The migrate functions take contents, not paths: read the IMS data files ourselves.
  const files: Record<string, string> = {};
  for (const name of await readdir(dir!)) {
    if (ALL_LEGACY_FILES.includes(name)) files[name] = await readFile(join(dir!, name), "utf8");
  }

  const data = parseLegacyData(files); // throws ImsError "validation" naming file and record
  const store = await openRecordStore(database!, { create: true });
  try {
    const result = await importRecords(store, data); // one transaction; re-runs change nothing
    console.log(JSON.stringify({ sources: data.sources, total: result.total }, null, 2));
  } finally {
    await store.close();
  }
});
