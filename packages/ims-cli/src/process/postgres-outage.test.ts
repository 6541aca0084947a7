/**
 * A PostgreSQL restart under load, with a real server of the test's own (the shared one is never
 * stopped): while it is down /healthz/ready answers 503 and requests get 503 problems (never a
 * 500, none hanging), and once it is back the same service process answers again and every
 * acknowledged write is there.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startService, type ServiceProcess } from "../test-support/processes.ts";
import { startThrowawayPostgres, type ThrowawayPostgres } from "../test-support/throwaway-postgres.ts";

/** Longer than any request may take, outage or not: the bound a hanging request would break. */
const REQUEST_BOUND_MS = 15_000;

let pg: ThrowawayPostgres;
let service: ServiceProcess;
beforeAll(async () => {
  pg = await startThrowawayPostgres();
  service = await startService({ DATABASE_URL: pg.url });
}, 60_000);
afterAll(async () => {
  await service?.stop();
  await pg?.destroy();
});

interface Answer {
  method: string;
  status: number;
  type: string | null;
  body: any;
}

async function call(method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(service.base + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_BOUND_MS),
  });
  const text = await res.text();
  return { method, status: res.status, type: res.headers.get("content-type"), body: text ? JSON.parse(text) : undefined };
}

/** Polls readiness until it answers `status`; gives up after `ms`. */
async function readyBecomes(status: number, ms: number): Promise<Answer> {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await call("GET", "/healthz/ready");
    if (r.status === status || Date.now() > deadline) return r;
    await Bun.sleep(50);
  }
}

test("a PostgreSQL restart under load: 503s while it is down, the same process serves again after", async () => {
  let running = true;
  const answers: Answer[] = [];
  const failures: string[] = [];
  const created: string[] = [];
  let n = 0;
  const worker = async () => {
    while (running) {
      const i = ++n;
      try {
        const a = i % 3 === 0 ? await call("POST", "/v3/public-keys", { name: `k${i}`, public_key: `ssh-ed25519 AAAA${i}` }) : await call("GET", i % 2 ? "/v3/public-keys" : "/v3/images");
        answers.push(a);
        if (a.method === "POST" && a.status === 201) created.push(a.body.id);
      } catch (e) {
        failures.push(String(e)); // a timeout (a hanging request) or a dropped connection
      }
    }
  };
  const load = Array.from({ length: 6 }, worker);

  await Bun.sleep(500);
  expect((await call("GET", "/healthz/ready")).status).toBe(200);
  await pg.stop();
  const down = await readyBecomes(503, 10_000);
  expect(down.status).toBe(503);
  expect(down.type).toBe("application/problem+json");
  expect(down.body.detail).toContain("cannot be reached");
  await Bun.sleep(1_000); // the outage, under load
  const during = answers.length;
  await pg.start();
  expect((await readyBecomes(200, 30_000)).status).toBe(200);
  await Bun.sleep(500);
  running = false;
  await Promise.all(load);

  expect(failures).toEqual([]);
  const statuses = new Set(answers.map((a) => a.status));
  expect([...statuses].filter((s) => ![200, 201, 503].includes(s))).toEqual([]); // no 500, nothing else
  expect(statuses.has(503)).toBe(true); // the load did meet the outage
  for (const a of answers.filter((x) => x.status === 503)) {
    expect(a.type).toBe("application/problem+json");
    expect(a.body).toMatchObject({ status: 503, title: "Service Unavailable" });
  }
  expect(answers.length).toBeGreaterThan(during); // answered again after the restart

  // The same process, without a restart: writes work, and every acknowledged create is there.
  expect((await call("POST", "/v3/public-keys", { name: "after", public_key: "ssh-ed25519 AAAA" })).status).toBe(201);
  const listed = new Set(((await call("GET", "/v3/public-keys")).body as { id: string }[]).map((k) => k.id));
  expect(created.filter((id) => !listed.has(id))).toEqual([]);
}, 120_000);
