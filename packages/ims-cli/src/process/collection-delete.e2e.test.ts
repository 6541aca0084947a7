/**
 * A collection delete through the real process on SQLite: other requests are answered while it
 * runs (it goes in short batches, the event loop turning between them), and the write-ahead log
 * stays bounded during it and is emptied by a clean shutdown.
 */
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "@ims/core/sqlite";
import { startService } from "../test-support/processes.ts";

const KEYS = 20_000;
const dir = mkdtempSync(join(tmpdir(), "ims-collection-delete-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const walBytes = (file: string) => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);

test(`a v2 delete of ${KEYS} keys: other requests are answered meanwhile; the log stays bounded`, async () => {
  const file = join(dir, "ims.sqlite");
  const store = await openSqliteStore({ filename: file });
  await store.transaction(async (tx) => {
    for (let i = 0; i < KEYS; i++) {
      const id = `key-${i}`;
      await tx.insert("public_keys", id, { created: "2024-01-01T00:00:00", id, name: id, public_key: "ssh-ed25519 AAAA" });
    }
  });
  await store.close();
  const service = await startService({ DATABASE_URL: `sqlite:${file}`, IMS_ARTIFACTS_DIR: join(dir, "artifacts") });
  try {
    let deleted = false;
    const deletion = fetch(`${service.base}/v2/public-keys`, { method: "DELETE" }).then((r) => ((deleted = true), r.status));
    // Requests sent after the delete, each answered while it still runs.
    let answeredDuring = 0;
    let largestLog = 0;
    while (!deleted) {
      const res = await fetch(`${service.base}/v3/public-keys/key-${KEYS - 1}`);
      await res.arrayBuffer();
      if (!deleted) answeredDuring++;
      largestLog = Math.max(largestLog, walBytes(file));
    }
    expect(await deletion).toBe(204);
    expect(answeredDuring).toBeGreaterThan(3);
    expect(await (await fetch(`${service.base}/v3/public-keys`)).json()).toEqual([]);
    expect(largestLog).toBeLessThan(64 * 2 ** 20);
  } finally {
    await service.stop();
  }
  expect(walBytes(file)).toBe(0);
}, 120_000);
