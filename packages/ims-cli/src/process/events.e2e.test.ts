/**
 * /v3/events through real processes. Two replicas on one PostgreSQL database: a change made
 * through one reaches a subscriber of the other (the commit NOTIFYs), and Last-Event-ID from one
 * resumes on the other. On SQLite: a quiet stream outlives the server's idle timeout, and a
 * shutdown ends open streams instead of waiting for them.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPostgresDatabase, createSqliteDatabase, type TestDatabase } from "@ims/core/test-support";
import { sseReader } from "@ims/http/test-support";
import { startService, type ServiceProcess } from "../test-support/processes.ts";

const dir = mkdtempSync(join(tmpdir(), "ims-events-e2e-"));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

async function service(db: TestDatabase, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const s = await startService({ DATABASE_URL: db.url, IMS_ARTIFACTS_DIR: join(dir, "artifacts"), ...env });
  cleanups.push(() => s.stop());
  return s;
}

async function subscribe(base: string, path = "/v3/events", headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { headers });
  expect(res.status).toBe(200);
  const sse = sseReader(res.body!);
  expect(await sse.block()).toBe(": ims events");
  return sse;
}

const post = (base: string, path: string, body: unknown) =>
  fetch(base + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ id: string }>);

describe("events across processes", () => {
  test("PostgreSQL: a change committed through one replica reaches the other's subscribers; resuming works on either", async () => {
    const db = await createPostgresDatabase("events");
    cleanups.push(() => db.drop());
    const a = await service(db);
    const b = await service(db);
    const onB = await subscribe(b.base, "/v3/events?collection=images");
    const image = await post(a.base, "/v3/images", { name: "one" });
    const patched = await fetch(`${a.base}/v3/images/${image.id}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ arch: "aarch64" }) });
    expect(patched.status).toBe(200);
    const created = await onB.event();
    const updated = await onB.event();
    expect([created!.json, updated!.json]).toMatchObject([
      { collection: "images", id: image.id, change: "created", version: 1 },
      { collection: "images", id: image.id, change: "updated", version: 2, record: { arch: "aarch64" } },
    ]);
    // What B said after `created` is what A replays after it.
    const onA = await subscribe(a.base, "/v3/events?collection=images", { "last-event-id": created!.id! });
    expect(await onA.event()).toEqual(updated);
  }, 60_000);

  test("SQLite: a quiet stream stays open past the server's idle timeout; shutdown ends it and the process exits 0", async () => {
    const db = createSqliteDatabase();
    cleanups.push(() => db.drop());
    const s = await service(db, { IMS_EVENTS_HEARTBEAT_SECONDS: "60" });
    const stream = await subscribe(s.base);
    await Bun.sleep(11_000); // Bun.serve's default idle timeout is 10 s
    const key = await post(s.base, "/v3/public-keys", { name: "late", public_key: "ssh-ed25519 AAAA" });
    expect((await stream.event())!.json).toMatchObject({ collection: "public-keys", id: key.id, change: "created" });
    await s.stop();
    expect(await stream.event()).toBeUndefined();
    expect(s.exitCode()).toBe(0);
  }, 60_000);
});
