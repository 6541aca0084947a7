/**
 * A small argument parser for the admin commands: declared flags only (anything else is a
 * usage error, exit 2), `--flag value` or `--flag=value`, and a fixed number of positionals.
 */

/** A mistake in how the command was called: reported with exit status 2. */
export class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface FlagSpec {
  /** Values the flag takes; absent for a boolean switch. */
  choices?: readonly string[];
}

export interface ArgSpec {
  command: string;
  positionals: readonly string[];
  flags: Readonly<Record<string, FlagSpec>>;
}

export interface Parsed {
  positionals: string[];
  flags: Record<string, string | true>;
  help: boolean;
  /** --version: print the version instead of running (so `bun run start --version` answers). */
  version: boolean;
}

export function parseArgs(argv: readonly string[], spec: ArgSpec): Parsed {
  const out: Parsed = { positionals: [], flags: {}, help: false, version: false };
  const usage = (message: string) => new UsageError(message, spec.command);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") {
      out.help = true;
    } else if (arg === "--version" || arg === "-V") {
      out.version = true;
    } else if (arg === "--") {
      out.positionals.push(...argv.slice(i + 1));
      break;
    } else if (arg.startsWith("-") && arg !== "-") {
      const [name, inline] = splitFlag(arg);
      const flag = spec.flags[name];
      if (!flag) throw usage(`unknown option ${JSON.stringify(arg.split("=")[0])}`);
      if (!flag.choices) {
        if (inline !== undefined) throw usage(`option --${name} takes no value`);
        out.flags[name] = true;
        continue;
      }
      const value = inline ?? argv[++i];
      if (value === undefined) throw usage(`option --${name} needs a value: ${flag.choices.join(", ")}`);
      if (!flag.choices.includes(value)) throw usage(`option --${name} must be one of ${flag.choices.join(", ")}, not ${JSON.stringify(value)}`);
      out.flags[name] = value;
    } else {
      out.positionals.push(arg);
    }
  }
  if (out.help || out.version) return out;
  const want = spec.positionals;
  if (out.positionals.length < want.length) throw usage(`missing ${want.slice(out.positionals.length).join(" ")}`);
  if (out.positionals.length > want.length) throw usage(`unexpected argument ${JSON.stringify(out.positionals[want.length])}`);
  return out;
}

function splitFlag(arg: string): [string, string | undefined] {
  const body = arg.replace(/^--?/, "");
  const eq = body.indexOf("=");
  return eq < 0 ? [body, undefined] : [body.slice(0, eq), body.slice(eq + 1)];
}
