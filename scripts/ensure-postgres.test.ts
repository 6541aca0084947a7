/**
 * scripts/ensure-postgres.sh starting a throwaway cluster of its own, reporting that it did, and
 * stopping it again (what scripts/test.sh does around a test run). Only the script's own cluster
 * is used (IMS_PG_ONLY_LOCAL): the machine's shared server is never touched.
 */
import { afterAll, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SQL } from "bun";

const ROOT = join(import.meta.dir, "..");
const dir = mkdtempSync(join(tmpdir(), "ims-ensure-pg-"));
chmodSync(dir, 0o755); // the server runs as the postgres user
afterAll(async () => {
  await script(["--stop", join(dir, "pg")]).catch(() => {}); // if a check failed half-way
  rmSync(dir, { recursive: true, force: true });
});

function freePort(): number {
  const s = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}
const port = freePort();

async function script(args: string[] = []) {
  const env = { ...process.env, IMS_PG_ONLY_LOCAL: "1", IMS_PG_LOCAL_DIR: join(dir, "pg"), IMS_PG_LOCAL_PORT: String(port), ENSURE_POSTGRES_STARTED: join(dir, "started") };
  const proc = Bun.spawn(["bash", join(ROOT, "scripts/ensure-postgres.sh"), ...args], { env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

const answers = async (url: string) => {
  const sql = new SQL({ url, connectionTimeout: 3 });
  try {
    return (await sql`SELECT 1 AS one`)[0].one === 1;
  } catch {
    return false;
  } finally {
    await sql.close();
  }
};

test("starts a throwaway cluster, says so, and --stop stops it", async () => {
  const r = await script();
  expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
  const url = r.stdout.trim().split("\n").at(-1)!;
  expect(url).toBe(`postgres://postgres@127.0.0.1:${port}/test`);
  expect(readFileSync(join(dir, "started"), "utf8").trim()).toBe(join(dir, "pg"));
  expect(await answers(url)).toBe(true);

  const stop = await script(["--stop", join(dir, "pg")]);
  expect({ code: stop.code, stderr: stop.stderr }).toMatchObject({ code: 0 });
  expect(await answers(url)).toBe(false);
}, 120_000);
