/**
 * `ims <subcommand>`: the service (`ims serve`, what `bun run start` runs) and the admin commands
 * on the store it uses, all configured by one environment (config/). Exit status: 0 done,
 * 1 failed (one line on stderr, nothing written), 2 called wrongly.
 */
import { isImsError } from "@ims/core";
import { parseArgs, UsageError } from "./commands/args.ts";
import type { Io } from "./commands/command.ts";
import { COMMANDS } from "./commands/index.ts";
import { ConfigError, loadConfig, type Config } from "./config/index.ts";
import { resolveVersion } from "./process/version.ts";
import { userCwd } from "./process/user-cwd.ts";
import { variable } from "./config/variables.ts";

const MAIN_HELP = `Usage: bun run ims <subcommand> [options]

The Image Management Service and its admin commands, configured by the environment
(DATABASE_URL, default sqlite:./var/ims.sqlite; S3_* or IMS_ARTIFACTS_DIR; see the README).
Runs from any folder of the checkout. Relative paths you give (arguments, DATABASE_URL, ...)
are taken from the folder you are in; the defaults (./var/...) from the folder \`bun run\`
starts the command in, the checkout's root.

Subcommands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(16)}${c.summary}`).join("\n")}

Options:
  --version       print the version and exit
  -h, --help      show this help

Run \`bun run ims <subcommand> --help\` for the options of each.`;

/** The compiled executable (`bun run build`: dist/ims, the image's /app/ims) is called `ims`. */
const COMPILED = Bun.main.startsWith("/$bunfs/");
const named = (text: string) => (COMPILED ? text.replaceAll("bun run ims", "ims") : text);

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  try {
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      (name === undefined ? io.err : io.out)(named(MAIN_HELP) + "\n");
      return name === undefined ? 2 : 0;
    }
    if (name === "--version" || name === "-V") {
      io.out(versionOf(io) + "\n");
      return 0;
    }
    if (!command) throw new UsageError(`unknown subcommand ${JSON.stringify(name)}`);
    const args = parseArgs(rest, command.spec);
    if (args.help) {
      io.out(named(command.help) + "\n");
      return 0;
    }
    if (args.version) {
      io.out(versionOf(io) + "\n");
      return 0;
    }
    await command.run(args, io);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      const help = e.command ? `bun run ims ${e.command} --help` : "bun run ims --help";
      io.err(`ims${e.command ? ` ${e.command}` : ""}: ${e.message} (see \`${named(help)}\`)\n`);
      return 2;
    }
    const message =
      e instanceof ConfigError ? `invalid configuration: ${e.problems.join("; ")}` : isImsError(e) ? e.detail : e instanceof Error ? e.message : String(e);
    io.err(`ims${name ? ` ${name}` : ""}: error: ${oneLine(message)}\n`);
    // Several bad records of an import: one line each, under the summary.
    const listed = isImsError(e) && Array.isArray(e.errors) && e.errors.length > 1 ? e.errors : [];
    if (listed.length) io.err(listed.map((line) => `  ${oneLine(line)}\n`).join(""));
    return 1;
  }
}

/** The version /version reports; asking for it works even when another setting is bad. */
function versionOf(io: Io): string {
  let versionFile: string;
  try {
    versionFile = io.config().versionFile;
  } catch {
    versionFile = variable("IMS_VERSION_FILE").default!;
  }
  return resolveVersion(versionFile);
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, " ");

/** The process's Io: its environment and working directory, stdout and stderr. */
export function processIo(): Io {
  let config: Readonly<Config> | undefined;
  // Paths the user gives are theirs; the defaults (./var/...) stay in the checkout.
  const cwd = userCwd(process.env);
  return {
    env: process.env,
    cwd,
    config: () => (config ??= loadConfig(process.env, { cwd, defaultsDir: process.cwd() })),
    out: (text) => void process.stdout.write(text),
    err: (text, options) => void process.stderr.write(options?.raw || text.endsWith("\n") ? text : `${text}\n`),
    errIsTty: process.stderr.isTTY === true,
  };
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2), processIo());
