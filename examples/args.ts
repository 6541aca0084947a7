/**
 * The examples' command line: `--help` prints the usage and exits 0, any other option or a wrong
 * number of arguments is a usage error (exit 2), and a failure is one line on stderr (exit 1).
 * A flag is never taken for a database path or an id.
 */
export function argsOf(usage: string, min: number, max: number): string[] {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage);
    process.exit(0);
  }
  const option = args.find((a) => a.startsWith("-") && a !== "-");
  if (option !== undefined || args.length < min || args.length > max) {
    console.error(option !== undefined ? `unknown option ${option}\n${usage}` : usage);
    process.exit(2);
  }
  return args;
}

/** Runs the program; an error becomes one line on stderr and exit status 1. */
export async function run(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (e) {
    console.error(`error: ${(e as Error).message ?? e}`);
    process.exitCode = 1;
  }
}
