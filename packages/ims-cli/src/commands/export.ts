/** export FILE: the whole record store as one JSON dump (ids kept), for import elsewhere. */
import { COLLECTIONS, exportStore } from "@ims/core";
import type { Command } from "./command.ts";
import { progress } from "./progress.ts";
import { redactUrl } from "../config/index.ts";
import { writeWhole } from "./files.ts";
import { openRecords } from "../process/open.ts";

export const exportCommand: Command = {
  spec: { command: "export", positionals: ["FILE"], flags: {} },
  summary: "write every record of the database to a JSON dump file",
  help: `Usage: bun run ims export FILE

Writes every record of the database named by DATABASE_URL to FILE ("-" for stdout) as
{"format": "ims-export", "version": 1, "collections": {...}}: public keys, recipes, images,
jobs, remote build nodes and their deleted_* counterparts, in store order, ids kept.
The artifact operation journal is not exported. FILE is replaced whole or not at all.

Options:
  -h, --help  show this help

Environment: DATABASE_URL (default sqlite:./var/ims.sqlite).`,

  async run(args, io) {
    const config = io.config();
    const store = await openRecords(config, "read");
    try {
      const onProgress = progress(io, "export");
      const dump = await exportStore(store, { onProgress }).finally(onProgress.end);
      for (const c of COLLECTIONS) io.err(`${c}: ${dump.collections[c].length}`);
      await writeWhole(args.positionals[0]!, JSON.stringify(dump, null, 1) + "\n", io.cwd);
      const total = COLLECTIONS.reduce((n, c) => n + dump.collections[c].length, 0);
      io.err(`exported ${total} records from ${redactUrl(config.databaseUrl)}`);
    } finally {
      await store.close();
    }
  },
};
