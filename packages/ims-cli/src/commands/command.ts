/** What every subcommand provides, and what it gets to work with. */
import type { Config } from "../config/index.ts";
import type { ArgSpec, Parsed } from "./args.ts";

export interface Io {
  env: Record<string, string | undefined>;
  cwd: string;
  /** The configuration read from `env` (once; throws ConfigError when a value is bad). */
  config(): Readonly<Config>;
  /** Results: stdout. */
  out(text: string): void;
  /** Progress and notes: stderr (a line; `raw` writes the text exactly, e.g. "\r..." on a terminal). */
  err(text: string, options?: { raw?: boolean }): void;
  /** stderr is a terminal: progress can update one line in place. */
  errIsTty?: boolean;
}

export interface Command {
  spec: ArgSpec;
  /** One line for the main --help. */
  summary: string;
  /** The full --help text of the subcommand. */
  help: string;
  /** Throws on failure; main turns the error into one line on stderr and exit status 1. */
  run(args: Parsed, io: Io): Promise<void>;
}
