/** Helpers for the CLI tests: temp directories, a legacy data directory, running `bun run ims`. */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { legacyFiles } from "@ims/core/test-support";

export const ROOT = new URL("../../../..", import.meta.url).pathname;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bun run ims ...args` from the workspace root (or `cwd`) with extra environment. */
export async function ims(args: string[], env: Record<string, string> = {}, stdin?: string, cwd = ROOT): Promise<Run> {
  const proc = Bun.spawn(["bun", "run", "--silent", "ims", ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "ims-cli-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes the realistic legacy files (plus an unrelated file) into DIR/data; returns that path. */
export async function writeLegacyDir(dir: string, files: Record<string, string> = legacyFiles()): Promise<string> {
  const data = join(dir, "data");
  await mkdir(data, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(data, name), text);
  await writeFile(join(data, "README"), "not an IMS file");
  return data;
}

/** The table row of one collection: [records, created, updated, unchanged]. */
export function row(stdout: string, name: string): number[] {
  const line = stdout.split("\n").find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no row ${name} in:\n${stdout}`);
  return line.trim().split(/\s+/).slice(1).map(Number);
}
