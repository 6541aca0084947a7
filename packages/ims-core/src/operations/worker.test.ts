/**
 * The artifact worker under failure: each failed attempt is logged and recorded (attempts,
 * lastError), the operation rests for a capped exponential backoff, and resumes at the step
 * that failed. A record's later work waits behind it (undelete answers 409 meanwhile).
 */
import { afterEach, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLocalArtifacts } from "../../adapters/local-artifacts/index.ts";
import { openFixture, type Fixture } from "../../adapters/test-fixture.ts";
import { ImsError } from "../errors.ts";
import type { ArtifactStore } from "../ports.ts";
import type { Logger } from "../context.ts";

let f: Fixture | undefined;
let dir: string | undefined;
afterEach(async () => {
  await f?.cleanup();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A fixture whose artifact store fails `copy` while `down()` says so, with a settable clock. */
async function flaky(onStep?: (kind: string, seconds: number, failed: boolean) => void) {
  let now = Date.UTC(2024, 0, 1);
  let down = true;
  const logs: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const log = Object.fromEntries(
    (["debug", "info", "warn", "error"] as const).map((level) => [level, (msg: string, fields?: Record<string, unknown>) => logs.push({ level, msg, fields })]),
  ) as unknown as Logger;
  dir = await mkdtemp(join(tmpdir(), "ims-worker-"));
  const local = await openLocalArtifacts({ dir });
  const failing: ArtifactStore = {
    ...local,
    copy: async (from, to) => {
      if (down) throw new ImsError("unavailable", "S3 at http://s3 is unavailable: ECONNREFUSED");
      return local.copy(from, to);
    },
  };
  f = await openFixture({ artifacts: failing, clock: { now: () => new Date(now) }, log, config: { settleTimeoutMs: 100 }, worker: { onStep } });
  await f.put("s3://ims/recipes/r.tgz", "archive");
  return {
    f,
    logs,
    advance: (ms: number) => (now += ms),
    up: () => (down = false),
  };
}

test("a failing copy is logged, retried after a growing backoff, and resumed where it failed", async () => {
  const { f, logs, advance, up } = await flaky();
  const recipe = await f.ims.recipes.create({
    name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: "s3://ims/recipes/r.tgz", type: "s3" },
  });
  await f.ims.recipes.delete(recipe.data.id, { mode: "soft" });
  await f.ims.worker.drain();

  const [op] = await f.store.journal.list();
  expect(op).toMatchObject({ state: "pending", nextStep: 0, attempts: 1, lastError: "S3 at http://s3 is unavailable: ECONNREFUSED" });
  const failed = logs.filter((l) => l.msg === "artifact operation failed; will retry");
  expect(failed.map((l) => [l.level, l.fields?.attempts, l.fields?.retry_in_ms])).toEqual([["error", 1, 2000]]);
  expect(failed[0]!.fields).toMatchObject({ operation: op!.id, action: "soft delete recipe", error: op!.lastError });

  // Not before the backoff has passed.
  await f.ims.worker.drain();
  expect((await f.store.journal.get(op!.id))!.attempts).toBe(1);
  advance(2001);
  await f.ims.worker.drain();
  expect((await f.store.journal.get(op!.id))!.attempts).toBe(2);

  // Meanwhile the record's next operation must wait: undelete answers 409 naming the failure.
  const busy = await f.ims.deletedRecipes.undelete(recipe.data.id, { operation: "undelete" }).catch((e) => e as ImsError);
  expect(busy).toBeInstanceOf(ImsError);
  expect((busy as ImsError).kind).toBe("conflict");
  expect((busy as ImsError).detail).toContain("last error: S3 at http://s3 is unavailable");

  up();
  advance(4001);
  await f.ims.worker.drain();
  expect(await f.store.journal.get(op!.id)).toMatchObject({ state: "done", nextStep: 2, attempts: 2 });
  expect(await f.exists("s3://ims/deleted/recipes/r.tgz")).toBe(true);
  expect(await f.exists("s3://ims/recipes/r.tgz")).toBe(false);
  expect(logs.some((l) => l.msg === "artifact operation done" && l.fields?.operation === op!.id)).toBe(true);
});

test("the backoff doubles from 2 s and is capped at 5 minutes", async () => {
  const { f, logs, advance } = await flaky();
  const recipe = await f.ims.recipes.create({
    name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: "s3://ims/recipes/r.tgz", type: "s3" },
  });
  await f.ims.recipes.delete(recipe.data.id, { mode: "soft" });
  for (let i = 0; i < 10; i++) {
    await f.ims.worker.drain();
    advance(300_001);
  }
  const waits = logs.filter((l) => l.msg === "artifact operation failed; will retry").map((l) => l.fields?.retry_in_ms);
  expect(waits).toEqual([2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000]);
});

test("each step carried out is reported with its kind, its duration and whether it failed", async () => {
  const steps: [string, boolean][] = [];
  const { f, advance, up } = await flaky((kind, seconds, failed) => {
    expect(seconds).toBeGreaterThanOrEqual(0);
    steps.push([kind, failed]);
  });
  const recipe = await f.ims.recipes.create({
    name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: "s3://ims/recipes/r.tgz", type: "s3" },
  });
  await f.ims.recipes.delete(recipe.data.id, { mode: "soft" });
  await f.ims.worker.drain();
  up();
  advance(2001);
  await f.ims.worker.drain();
  expect(steps).toEqual([["copy", true], ["copy", false], ["remove", false]]);
});
