/** migrate-legacy DIR [--dry-run]: imports upstream's JSON data files into the configured store. */
import { resolve } from "node:path";
import { COLLECTIONS, importLegacyData, importRecords, parseLegacyData } from "@ims/core";
import type { Command } from "./command.ts";
import { progress } from "./progress.ts";
import { redactUrl } from "../config/index.ts";
import { readLegacyDir } from "./legacy-dir.ts";
import { jobDefaultsOf, openRecords } from "../process/open.ts";
import { countsTable } from "./table.ts";

export const migrateLegacy: Command = {
  spec: { command: "migrate-legacy", positionals: ["DIR"], flags: { "dry-run": {} } },
  summary: "import upstream IMS JSON data files (/var/ims/data) into the database",
  help: `Usage: bun run ims migrate-legacy DIR [--dry-run]

Imports the records of an upstream IMS data directory (normally /var/ims/data) into the
database named by DATABASE_URL. For each store the newest file name present is read
(e.g. v2.4_jobs.json, else v2.2_jobs.json, v2.1_jobs.json, v2_jobs.json); missing fields
take upstream's load defaults and unknown fields are dropped. Ids, timestamps, links
(with etags), metadata, ssh container connection info and Kubernetes names are kept.

Every record is checked first, and every problem is listed (up to 100): a record that
does not load, an id that appears twice, an id both live and deleted (in the files, or
against the database). Then all are written in one transaction: on any error nothing is
written. Records are upserted by id, so running the command again changes nothing. The
transaction also notes the files read (names, sizes, SHA-256), so \`ims serve\` started on
the same directory (IMS_LEGACY_DATA_DIR) knows they were imported and imports nothing again.

Options:
  --dry-run   check every file and print what would be created/updated; write nothing
  -h, --help  show this help

Environment: DATABASE_URL (default sqlite:./var/ims.sqlite), DEFAULT_IMS_IMAGE_SIZE and
DEFAULT_IMS_JOB_MEM_SIZE (sizes for jobs whose files predate those fields).`,

  async run(args, io) {
    const config = io.config();
    const dryRun = args.flags["dry-run"] === true;
    const dir = resolve(io.cwd, args.positionals[0]!);
    const files = await readLegacyDir(dir);
    const data = parseLegacyData(files, { jobDefaults: jobDefaultsOf(config) });
    const store = await openRecords(config, dryRun ? "dry-run" : "write");
    try {
      const onProgress = progress(io, "migrate-legacy");
      const result = await (dryRun
        ? importRecords(store, data, { dryRun, onProgress })
        : importLegacyData(store, files, data, { from: dir, onProgress })
      ).finally(onProgress.end);
      io.out(countsTable(result));
      for (const c of COLLECTIONS) io.err(`${c}: read from ${data.sources[c] ?? "no file (empty store)"}`);
      for (const name of data.superseded) io.err(`note: ${name} was not read, a newer file of the same store is present`);
      io.err(`${dryRun ? "checked against" : "imported into"} ${redactUrl(config.databaseUrl)}`);
    } finally {
      await store.close();
    }
  },
};
