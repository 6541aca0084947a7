/**
 * Start-up failures as an operator meets them, with real processes: each is one line on stderr
 * naming what failed and which value, exit status 1, no stack trace, and nothing created.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runServiceToExit, startService } from "../test-support/processes.ts";

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
