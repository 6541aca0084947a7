/**
 * `bun run ims <subcommand>`: admin commands on the store the service uses. Exit status:
 * 0 done, 1 failed (one line on stderr, nothing written), 2 called wrongly.
 */
import { isImsError } from "../src/errors.ts";
import { parseArgs, UsageError } from "./args.ts";
import type { Command, Io } from "./command.ts";
import { exportCommand } from "./commands/export.ts";
import { importCommand } from "./commands/import.ts";
import { migrateLegacy } from "./commands/migrate-legacy.ts";
import { operationsCommand } from "./commands/operations.ts";
import { orphansCommand } from "./commands/orphans.ts";

const COMMANDS: Record<string, Command> = {
  "migrate-legacy": migrateLegacy,
  export: exportCommand,
  import: importCommand,
  operations: operationsCommand,
  orphans: orphansCommand,
};

const MAIN_HELP = `Usage: bun run ims <subcommand> [options]

Admin commands for the Image Management Service, configured by the same environment as
the service (DATABASE_URL, default sqlite:./var/ims.sqlite; S3_* or IMS_ARTIFACTS_DIR).
Relative paths are taken from the current directory (for \`bun run\`, the workspace root).

Subcommands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(16)}${c.summary}`).join("\n")}

Run \`bun run ims <subcommand> --help\` for the options of each.`;

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  try {
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      (name === undefined ? io.err : io.out)(MAIN_HELP + "\n");
      return name === undefined ? 2 : 0;
    }
    if (!command) throw new UsageError(`unknown subcommand ${JSON.stringify(name)}`);
    const args = parseArgs(rest, command.spec);
    if (args.help) {
      io.out(command.help + "\n");
      return 0;
    }
    await command.run(args, io);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      const help = e.command ? `bun run ims ${e.command} --help` : "bun run ims --help";
      io.err(`ims${e.command ? ` ${e.command}` : ""}: ${e.message} (see \`${help}\`)\n`);
      return 2;
    }
    const message = isImsError(e) ? e.detail : e instanceof Error ? e.message : String(e);
    io.err(`ims ${name}: error: ${message.replace(/\s*\n\s*/g, " ")}\n`);
    return 1;
  }
}

if (import.meta.main) {
  const io: Io = {
    env: process.env,
    cwd: process.cwd(),
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  };
  process.exitCode = await main(process.argv.slice(2), io);
}
