/** import FILE [--dry-run]: loads a dump written by `export` into the configured store. */
import { ImsError, importRecords, parseDump, parseJsonText } from "@ims/core";
import type { Command } from "./command.ts";
import { progress } from "./progress.ts";
import { redactUrl } from "../config/index.ts";
import { readWhole } from "./files.ts";
import { jobDefaultsOf, openRecords } from "../process/open.ts";
import { countsTable } from "./table.ts";

export const importCommand: Command = {
  spec: { command: "import", positionals: ["FILE"], flags: { "dry-run": {} } },
  summary: "load a dump written by export into the database",
  help: `Usage: bun run ims import FILE [--dry-run]

Loads a dump written by \`export\` (FILE, or "-" for stdin) into the database named by
DATABASE_URL, keeping ids. Every record is checked first (every problem is listed, up
to 100, as for migrate-legacy) and all are written in one transaction: on any error
nothing is written. Records are upserted by id, so importing the same dump again
changes nothing.

Options:
  --dry-run   check the dump and print what would be created/updated; write nothing
  -h, --help  show this help

Environment: DATABASE_URL (default sqlite:./var/ims.sqlite).`,

  async run(args, io) {
    const config = io.config();
    const file = args.positionals[0]!;
    const dryRun = args.flags["dry-run"] === true;
    const source = file === "-" ? "stdin" : file;
    // Checked before the store is opened: a bad dump creates no database file.
    let records;
    try {
      records = parseDump(parseJsonText(source, await readWhole(file, io.cwd)), { jobDefaults: jobDefaultsOf(config) });
    } catch (e) {
      if (!(e instanceof ImsError) || e.detail.startsWith(`${source}: `)) throw e;
      // Say which file, on the summary and on every listed problem.
      const inFile = (text: string) => `${source}: ${text}`;
      throw new ImsError(e.kind, inFile(e.detail), Array.isArray(e.errors) ? e.errors.map(inFile) : e.errors);
    }
    const store = await openRecords(config, dryRun ? "dry-run" : "write");
    try {
      const onProgress = progress(io, "import");
      io.out(countsTable(await importRecords(store, { records }, { dryRun, onProgress }).finally(onProgress.end)));
      io.err(`${dryRun ? "checked against" : "imported into"} ${redactUrl(config.databaseUrl)}`);
    } finally {
      await store.close();
    }
  },
};
