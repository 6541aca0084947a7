/**
 * Two real service processes on one PostgreSQL database (created for the run, dropped after),
 * 1,000 random concurrent operations spread over both, then the final state is checked against
 * what was acknowledged, read from each process. PostgreSQL must be reachable: fails, never skips.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPostgresDatabase, type TestDatabase } from "@ims/core/test-support";
import { startService, type ServiceProcess } from "../test-support/processes.ts";
import { call, KINDS, runWorkload, type Workload } from "../test-support/workload.ts";

const OPERATIONS = 1000;
const CONCURRENCY = 32;
const seed = Number(process.env.IMS_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));

const dir = mkdtempSync(join(tmpdir(), "ims-replicas-"));
let db: TestDatabase | undefined;
const services: ServiceProcess[] = [];

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** Every collection as each process lists it, raw. */
async function lists(base: string) {
  const paths = [...KINDS.flatMap((k) => [`/v3/${k}`, `/v3/deleted/${k}`]), "/v3/remote-build-nodes"];
  const out: Record<string, string> = {};
  for (const p of paths) {
    const res = await call(base, "GET", p);
    if (res.status !== 200) throw new Error(`GET ${p} at ${base}: ${res.status} ${res.text}`);
    out[p] = res.text;
  }
  return out;
}

/** The final state, checked against the workload's acknowledged operations. */
function problemsIn(w: Workload, listed: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const kind of KINDS) {
    const liveList: any[] = JSON.parse(listed[`/v3/${kind}`]!);
    const deadList: any[] = JSON.parse(listed[`/v3/deleted/${kind}`]!);
    const live = new Map(liveList.map((r) => [r.id, r]));
    const dead = new Map(deadList.map((r) => [r.id, r]));
    if (live.size !== liveList.length) problems.push(`${kind}: an id is listed twice among live records`);
    if (dead.size !== deadList.length) problems.push(`${kind}: an id is listed twice among deleted records`);
    for (const id of live.keys()) if (dead.has(id)) problems.push(`${kind} ${id} is both live and deleted`);
    const known = [...w.entities.values()].filter((e) => e.kind === kind);
    for (const id of [...live.keys(), ...dead.keys()]) {
      if (!w.entities.has(id)) problems.push(`${kind} ${id} exists but no create of it was acknowledged`);
    }
    for (const e of known) {
      const where = live.has(e.id) ? "live" : dead.has(e.id) ? "deleted" : "gone";
      if (where !== e.state) problems.push(`${kind} ${e.id} is ${where}, acknowledged operations say ${e.state}`);
      else if (where === "live" && !Bun.deepEquals(live.get(e.id), e.data)) problems.push(`${kind} ${e.id} live record differs from the last acknowledged write`);
      else if (where === "deleted") {
        const { deleted, ...rest } = dead.get(e.id);
        if (typeof deleted !== "string" || !Bun.deepEquals(rest, e.data)) problems.push(`${kind} ${e.id} deleted record differs from the last acknowledged write`);
      }
    }
  }
  const nodes = JSON.parse(listed["/v3/remote-build-nodes"]!).map((n: { xname: string }) => n.xname).sort();
  const expected = [...w.nodes.values()].filter((n) => n.present).map((n) => n.xname).sort();
  if (JSON.stringify(nodes) !== JSON.stringify(expected)) problems.push(`remote build nodes ${JSON.stringify(nodes)}, expected ${JSON.stringify(expected)}`);
  return problems;
}

test(`${OPERATIONS} random concurrent operations on two processes sharing PostgreSQL stay consistent (seed ${seed})`, async () => {
  db = await createPostgresDatabase("replicas");
  const env = { DATABASE_URL: db.url, IMS_ARTIFACTS_DIR: join(dir, "artifacts"), IMS_VERSION_FILE: join(dir, "version") };
  // One at a time: the first runs the migrations, the second finds them applied.
  services.push(await startService(env));
  services.push(await startService(env));
  const [a, b] = services.map((s) => s.base) as [string, string];

  const w = await runWorkload([a, b], { total: OPERATIONS, concurrency: CONCURRENCY, seed });
  const detail = () => `seed ${seed}, operations ${JSON.stringify(w.counts)}`;
  expect(w.failures, detail()).toEqual([]);

  // Both processes list exactly the same bytes, and that state is what was acknowledged.
  const [fromA, fromB] = await Promise.all([lists(a), lists(b)]);
  expect(fromB).toEqual(fromA);
  expect(problemsIn(w, fromA), detail()).toEqual([]);

  // Every live record reads the same (body and ETag) from either process.
  const live = [...w.entities.values()].filter((e) => e.state === "live");
  for (const e of live) {
    const [x, y] = await Promise.all([a, b].map((s) => call(s, "GET", `/v3/${e.kind}/${e.id}`)));
    expect({ status: y!.status, text: y!.text, etag: y!.etag }).toEqual({ status: 200, text: x!.text, etag: x!.etag });
    if (e.etag) expect(x!.etag).toBe(e.etag);
  }
  expect(live.length).toBeGreaterThan(0);

  // Both lists are cached now; a change through one process shows in the other's next list at
  // once (its list version is read from the database with every request).
  const created = await call(a, "POST", "/v3/public-keys", { name: "late", public_key: "ssh-ed25519 AAAA late@host" });
  expect(created.status).toBe(201);
  expect(JSON.parse((await call(b, "GET", "/v3/public-keys")).text).map((k: { id: string }) => k.id)).toContain(created.body.id);
  expect((await call(b, "DELETE", `/v3/public-keys/${created.body.id}`)).status).toBe(204);
  expect(JSON.parse((await call(a, "GET", "/v3/public-keys")).text).map((k: { id: string }) => k.id)).not.toContain(created.body.id);
  expect(JSON.parse((await call(a, "GET", "/v3/deleted/public-keys")).text).map((k: { id: string }) => k.id)).toContain(created.body.id);
}, 90_000);
