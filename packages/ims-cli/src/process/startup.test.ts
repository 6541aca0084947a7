/**
 * Start-up failures as an operator meets them, with real processes: each is one line on stderr
 * naming what failed and which value, exit status 1, no stack trace, and nothing created.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, runServiceToExit, startService } from "../test-support/processes.ts";

const dir = mkdtempSync(join(tmpdir(), "ims-startup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The one stderr line of a failed start, checked for shape: exit 1, one line, no stack. */
function oneLine(r: { code: number | null; stderr: string; stdout: string }): string {
  expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 1 });
  const lines = r.stderr.split("\n").filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(r.stderr + r.stdout).not.toMatch(/^\s+at /m);
  return lines[0]!;
}

describe("a port another process holds", () => {
  test("a second service on the same port refuses to start and touches no database", async () => {
    const first = await startService({ DATABASE_URL: `sqlite:${join(dir, "first.sqlite")}`, IMS_ARTIFACTS_DIR: join(dir, "a1") });
    try {
      const port = new URL(first.base).port;
      const second = await runServiceToExit({ PORT: port, DATABASE_URL: `sqlite:${join(dir, "second.sqlite")}`, IMS_ARTIFACTS_DIR: join(dir, "a2") });
      expect(oneLine(second)).toBe(`ims serve: error: port ${port} is already in use`);
      expect(second.stdout).not.toContain('"ready"');
      expect(existsSync(join(dir, "second.sqlite"))).toBe(false);
      // Every request still reaches the first service's database.
      await fetch(`${first.base}/v3/public-keys`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"a","public_key":"k"}' });
      for (let i = 0; i < 20; i++) expect(await (await fetch(`${first.base}/v3/public-keys`)).json()).toHaveLength(1);
    } finally {
      await first.stop();
    }
  });
});

describe("settings that cannot be used", () => {
  const sqlite = (name: string) => ({ DATABASE_URL: `sqlite:${join(dir, name)}`, IMS_ARTIFACTS_DIR: join(dir, "artifacts") });

  test("a SQLite file that is not a database names the path", async () => {
    await Bun.write(join(dir, "notes.sqlite"), "these are my notes, not a database ".repeat(10));
    const line = oneLine(await runServiceToExit(sqlite("notes.sqlite")));
    expect(line).toBe(`ims serve: error: Cannot open the SQLite database ${join(dir, "notes.sqlite")}: file is not a database (check DATABASE_URL).`);
  });

  test("a SQLite path that is a directory", async () => {
    const line = oneLine(await runServiceToExit({ ...sqlite(""), DATABASE_URL: `sqlite:${dir}` }));
    expect(line).toBe(`ims serve: error: Cannot open the SQLite database ${dir}: it is a directory (check DATABASE_URL).`);
  });

  test("a mistyped directory is an error, not a new directory tree with an empty database", async () => {
    const typo = join(dir, "no-such-dir", "deeper", "ims.sqlite");
    const line = oneLine(await runServiceToExit({ ...sqlite(""), DATABASE_URL: `sqlite:${typo}` }));
    expect(line).toBe(`ims serve: error: Cannot create the SQLite database ${typo}: directory ${join(dir, "no-such-dir", "deeper")} does not exist (check DATABASE_URL).`);
    expect(existsSync(join(dir, "no-such-dir"))).toBe(false);
  });

  test("a mistyped artifact directory is an error too", async () => {
    const typo = join(dir, "no-such-dir", "artifacts");
    const line = oneLine(await runServiceToExit({ ...sqlite("art.sqlite"), IMS_ARTIFACTS_DIR: typo }));
    expect(line).toBe(`ims serve: error: Cannot create the artifact directory ${typo}: directory ${join(dir, "no-such-dir")} does not exist (check IMS_ARTIFACTS_DIR).`);
    expect(existsSync(join(dir, "no-such-dir"))).toBe(false);
  });

  test("a kubeconfig that does not parse names the file", async () => {
    const kubeconfig = join(dir, "kubeconfig");
    await Bun.write(kubeconfig, "apiVersion: v1\nclusters: [\n");
    const line = oneLine(await runServiceToExit({ ...sqlite("k.sqlite"), IMS_KUBERNETES: "auto", KUBECONFIG: kubeconfig }));
    expect(line).toStartWith(`ims serve: error: invalid configuration: KUBECONFIG ${JSON.stringify(kubeconfig)} cannot be used: `);
    expect(existsSync(join(dir, "k.sqlite"))).toBe(false);
  });

  test("PostgreSQL that cannot be reached names host and port, never the password", async () => {
    const closed = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = closed.port;
    closed.stop(true); // a port nothing listens on
    const r = await runServiceToExit({ DATABASE_URL: `postgres://ims:s3cret-pw@127.0.0.1:${port}/ims`, IMS_ARTIFACTS_DIR: join(dir, "artifacts") });
    const line = oneLine(r);
    expect(line).toStartWith(`ims serve: error: Cannot open the PostgreSQL store at 127.0.0.1:${port}/ims: `);
    expect(r.stderr + r.stdout).not.toContain("s3cret-pw");
  });
});

describe("asking instead of starting", () => {
  const bunRun = (...args: string[]) => [process.execPath, "run", "--silent", ...args];
  const version = readFileSync(join(ROOT, ".version"), "utf8").split("\n")[0]!.trim();

  test.each([
    [["start", "--help"], "Usage: bun run start"],
    [["start", "--version"], version],
    [["ims", "--version"], version],
    [["ims", "serve", "--version"], version],
  ])("bun run %p answers and exits 0 without starting", async (args, expected) => {
    const r = await runServiceToExit({ IMS_VERSION_FILE: join(dir, "no-such-version-file") }, 20_000, bunRun(...args));
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toStartWith(expected);
    expect(r.stdout).not.toContain('"ready"');
  });
});
