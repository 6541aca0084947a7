/**
 * Group commit under load, through the real process: 32 clients create public keys as fast as
 * they can (some of them with an Idempotency-Key reused for another body, which fails inside the
 * shared transaction), then the service is killed with SIGKILL mid-load. After a restart every
 * acknowledged key is there, exactly once, and no refused request left anything behind. On
 * SQLite and on PostgreSQL.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPostgresDatabase, createSqliteDatabase, type TestDatabase } from "@ims/core/test-support";
import { startService, type ServiceProcess } from "../test-support/processes.ts";

const CLIENTS = 32;
/** Kill once this many creates were acknowledged (the load is still running then). */
const ACKED_BEFORE_KILL = 600;

const dir = mkdtempSync(join(tmpdir(), "ims-group-commit-"));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

interface Load {
  acked: Set<string>;
  /** Names of keys whose create was refused (422): none of them may exist. */
  refused: Set<string>;
  /** Statuses other than 201/422 seen before the kill. */
  unexpected: string[];
}

/** Clients POST until the service dies; every 8th request reuses a key of another body (422). */
function load(base: string, killed: () => boolean): { done: Promise<void>; state: Load } {
  const state: Load = { acked: new Set(), refused: new Set(), unexpected: [] };
  let n = 0;
  const client = async (c: number) => {
    await fetch(`${base}/v3/public-keys`, { method: "POST", headers: { "content-type": "application/json", "idempotency-key": `taken-${c}` }, body: JSON.stringify({ name: `first-${c}`, public_key: "ssh-ed25519 AAAA x" }) });
    while (!killed()) {
      const i = n++;
      const reuse = i % 8 === 0;
      const name = `key-${i}`;
      const headers: Record<string, string> = { "content-type": "application/json", ...(reuse ? { "idempotency-key": `taken-${c}` } : {}) };
      try {
        const res = await fetch(`${base}/v3/public-keys`, { method: "POST", headers, body: JSON.stringify({ name, public_key: "ssh-ed25519 AAAA x" }) });
        const body = (await res.json()) as { id?: string };
        if (res.status === 201) state.acked.add(body.id!);
        else if (res.status === 422 && reuse) state.refused.add(name);
        else if (!killed()) state.unexpected.push(`${name}: ${res.status}`);
      } catch {
        if (!killed()) state.unexpected.push(`${name}: no answer`);
        return;
      }
    }
  };
  return { state, done: Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c))).then(() => {}) };
}

async function run(db: TestDatabase) {
  const env = { DATABASE_URL: db.url, IMS_ARTIFACTS_DIR: join(dir, "artifacts"), IMS_VERSION_FILE: join(dir, "version") };
  let service: ServiceProcess = await startService(env);
  cleanups.push(() => service.stop());
  let dead = false;
  const { state, done } = load(service.base, () => dead);
  while (state.acked.size < ACKED_BEFORE_KILL && !state.unexpected.length) await Bun.sleep(2);
  dead = true;
  await service.kill();
  await done;
  expect(state.unexpected).toEqual([]);
  expect(state.refused.size).toBeGreaterThan(0);

  service = await startService(env);
  const keys = (await (await fetch(`${service.base}/v3/public-keys`)).json()) as { id: string; name: string }[];
  const ids = new Set(keys.map((k) => k.id));
  expect(ids.size).toBe(keys.length);
  const lost = [...state.acked].filter((id) => !ids.has(id));
  expect(lost).toEqual([]);
  expect(keys.filter((k) => state.refused.has(k.name))).toEqual([]);
  await service.stop();
}

describe("group commit: a crash under load loses no acknowledged create", () => {
  test("SQLite", async () => {
    const db = createSqliteDatabase();
    cleanups.push(() => db.drop());
    await run(db);
  }, 60_000);

  test("PostgreSQL", async () => {
    const db = await createPostgresDatabase("crash");
    cleanups.push(() => db.drop());
    await run(db);
  }, 60_000);
});
