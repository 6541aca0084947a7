/**
 * A `bun build --compile` executable carries the built-in templates: it renders jobs when run
 * from a directory with no templates near it, and an operator directory still overrides them.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { builtinTemplate, templateRelativePath } from "./index.ts";
import { JOB_ID } from "./test-support.ts";

let work: string;
let exe: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "ims-templates-compiled-"));
  exe = join(work, "render-job");
  const build = Bun.spawnSync(["bun", "build", "--compile", join(import.meta.dir, "test-compiled-entry.ts"), "--outfile", exe], {
    stdout: "pipe",
    stderr: "pipe",
  });
  if (build.exitCode !== 0) throw new Error(`bun build --compile failed: ${build.stderr.toString()}`);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(...args: string[]) {
  const cwd = mkdtempSync(join(work, "cwd-"));
  const p = Bun.spawnSync([exe, ...args], { cwd, stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`exit ${p.exitCode}: ${p.stderr.toString()}`);
  return JSON.parse(p.stdout.toString());
}

test("the executable renders jobs from its embedded templates, from another directory", () => {
  expect(run()).toEqual([
    { kind: "customize", job: `cray-ims-${JOB_ID}-customize`, service: `cray-ims-${JOB_ID}-service`, labels: null },
    { kind: "create-kiwi-ng", job: `cray-ims-${JOB_ID}-create`, service: `cray-ims-${JOB_ID}-service`, labels: null },
  ]);
});

test("an operator template directory still overrides a built-in file in the executable", () => {
  const dir = join(work, "operator");
  const file = join(dir, templateRelativePath("customize", "service"));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, builtinTemplate("customize", "service").replace("  annotations:\n", "  labels:\n    team: {{q address_pool}}\n  annotations:\n"));
  const [customize, create] = run(dir);
  expect(customize.labels).toEqual({ team: "customer-management" });
  expect(create.labels).toBeNull();
});
