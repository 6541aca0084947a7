/** Every subcommand of `ims`, by name: the service and the admin commands. */
import type { Command } from "./command.ts";
import { exportCommand } from "./export.ts";
import { importCommand } from "./import.ts";
import { migrateLegacy } from "./migrate-legacy.ts";
import { operationsCommand } from "./operations.ts";
import { orphansCommand } from "./orphans.ts";
import { renderJobCommand } from "./render-job.ts";
import { serveCommand } from "./serve.ts";

export const COMMANDS: Readonly<Record<string, Command>> = Object.freeze({
  serve: serveCommand,
  "migrate-legacy": migrateLegacy,
  export: exportCommand,
  import: importCommand,
  operations: operationsCommand,
  orphans: orphansCommand,
  "render-job": renderJobCommand,
});
