/** The command line surface in-process: help texts, usage errors (2), environment errors (1). */
import { describe, expect, test } from "bun:test";
import { parseArgs, UsageError } from "./commands/args.ts";
import { loadConfig } from "./config/index.ts";
import { main } from "./main.ts";

async function run(argv: string[], env: Record<string, string> = {}) {
  let out = "";
  let err = "";
  const io = { env, cwd: "/nonexistent", config: () => loadConfig(env, { cwd: "/nonexistent" }), out: (t: string) => void (out += t), err: (t: string) => void (err += t) };
  const code = await main(argv, io);
  return { code, out, err };
}

describe("help", () => {
  test("the main help lists every subcommand", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    for (const name of ["migrate-legacy", "export", "import", "operations", "orphans", "render-job"]) expect(r.out).toContain(`  ${name} `);
  });

  test.each(["migrate-legacy", "export", "import", "operations", "orphans", "render-job"])("%s --help", async (name) => {
    const r = await run([name, "--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toStartWith(`Usage: bun run ims ${name}`);
    expect(r.out).toContain("Environment:");
  });

  test("no subcommand prints the help on stderr and exits 2", async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("Subcommands:");
  });
});

describe("errors", () => {
  test("unknown subcommand or option: one line, exit 2", async () => {
    expect(await run(["frobnicate"])).toMatchObject({ code: 2, err: 'ims: unknown subcommand "frobnicate" (see `bun run ims --help`)\n' });
    expect((await run(["orphans", "--force"])).err).toBe('ims orphans: unknown option "--force" (see `bun run ims orphans --help`)\n');
    expect((await run(["export", "a", "b"])).code).toBe(2);
    expect((await run(["orphans", "--delete=yes"])).code).toBe(2);
  });

  test("a bad environment is reported before anything is opened: exit 1", async () => {
    const r = await run(["orphans"], { S3_ENDPOINT: "http://127.0.0.1:1", DEFAULT_IMS_IMAGE_SIZE: "big" });
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      "ims orphans: error: invalid configuration: S3_ENDPOINT is set, so S3_ACCESS_KEY and S3_SECRET_KEY are required; DEFAULT_IMS_IMAGE_SIZE must be an integer 1-1000000, got \"big\"\n",
    );
  });
});

describe("parseArgs", () => {
  const spec = { command: "x", positionals: ["FILE"], flags: { "dry-run": {}, state: { choices: ["a", "b"] } } };
  test("flags in any position, --flag=value and --flag value, -- ends options", () => {
    expect(parseArgs(["--dry-run", "f", "--state=a"], spec)).toEqual({ positionals: ["f"], flags: { "dry-run": true, state: "a" }, help: false, version: false });
    expect(parseArgs(["--state", "b", "--", "--odd-name"], spec).positionals).toEqual(["--odd-name"]);
    expect(parseArgs(["-"], spec).positionals).toEqual(["-"]);
  });
  test("mistakes are UsageErrors", () => {
    expect(() => parseArgs(["f", "--state"], spec)).toThrow(UsageError);
    expect(() => parseArgs(["f", "--state", "c"], spec)).toThrow("must be one of a, b");
    expect(() => parseArgs([], spec)).toThrow("missing FILE");
  });
  test("--help wins over missing arguments", () => expect(parseArgs(["--help"], spec).help).toBe(true));
});
