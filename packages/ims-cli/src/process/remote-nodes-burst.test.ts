/**
 * Remote-node reservations stay balanced across processes: real service processes share one
 * store, one FakeKube (via KUBECONFIG), one artifact directory and a fake ssh that reports every
 * node as an idle x86_64 podman host. 30 create jobs POSTed at once over 3 nodes must land
 * 10/10/10, because each node choice counts the reservations already committed by any process.
 * PostgreSQL must be reachable: the two-process test fails, never skips, without it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeKube, writeKubeconfig } from "@ims/core/test-support";
import { writeFakeSsh } from "@ims/core/test-support";
import { createPostgresDatabase, createSqliteDatabase, type TestDatabase } from "@ims/core/test-support";
import { NS, placeArtifact, seedSigningKey } from "@ims/http/test-support";
import { startService, type ServiceProcess } from "../test-support/processes.ts";

const JOBS = 30;
const NODES = ["x3000c0s1b0n0", "x3000c0s2b0n0", "x3000c0s3b0n0"];
const RECIPE = "s3://ims/recipes/burst/recipe.tar.gz";

const dir = mkdtempSync(join(tmpdir(), "ims-burst-"));
const artifactsDir = join(dir, "artifacts");
const keyFile = join(dir, "id_ecdsa");
let sshPath: string;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  placeArtifact(artifactsDir, RECIPE, "a recipe archive");
  writeFileSync(keyFile, "a key file the fake ssh never reads\n", { mode: 0o600 });
  sshPath = await writeFakeSsh(dir, { uname: "x86_64", podman: true, jobs: 0 });
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

async function call(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, etag: res.headers.get("etag"), body: text ? JSON.parse(text) : undefined };
}

async function created(base: string, path: string, body: unknown) {
  const res = await call(base, "POST", path, body);
  if (res.status !== 201) throw new Error(`POST ${path} at ${base}: ${res.status} ${res.text}`);
  return res.body;
}

/** `n` processes on `db`, one FakeKube behind all of them (started one at a time: migrations). */
async function cluster(name: string, db: TestDatabase, n: number) {
  const kube = new FakeKube();
  seedSigningKey(kube);
  cleanups.push(() => kube.stop());
  cleanups.push(() => db.drop());
  const kubeDir = join(dir, name);
  mkdirSync(kubeDir);
  const env = {
    DATABASE_URL: db.url, KUBECONFIG: writeKubeconfig(kubeDir, { server: kube.url }).path, IMS_KUBERNETES: "auto",
    IMS_ARTIFACTS_DIR: artifactsDir, IMS_REMOTE_SSH_PATH: sshPath, IMS_REMOTE_KEY_FILE: keyFile, IMS_VERSION_FILE: join(dir, "version"),
  };
  const services: ServiceProcess[] = [];
  for (let i = 0; i < n; i++) {
    const s = await startService(env);
    cleanups.push(() => s.stop());
    services.push(s);
  }
  return { kube, services, bases: services.map((s) => s.base) };
}

const tally = (names: string[]) => Object.fromEntries(NODES.map((x) => [x, names.filter((n) => n === x).length]));

/** REMOTE_BUILD_NODE of the build container of a Kubernetes Job. */
function remoteNodeOf(job: any): string {
  const containers = [...(job.spec.template.spec.initContainers ?? []), ...job.spec.template.spec.containers];
  const values = containers.flatMap((c: any) => c.env ?? []).filter((e: any) => e.name === "REMOTE_BUILD_NODE").map((e: any) => e.value);
  expect(new Set(values).size).toBe(1);
  return values[0];
}

/** Registers the nodes, POSTs the jobs at once round-robin over `bases`, checks the spread everywhere. */
async function burst(kube: FakeKube, bases: string[]) {
  const [first] = bases as [string];
  const publicKey = (await created(first, "/v3/public-keys", { name: "me", public_key: "ssh-ed25519 AAAA me@host" })).id;
  const recipe = await created(first, "/v3/recipes", { name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: RECIPE, type: "s3" } });
  for (const xname of NODES) await created(first, "/v3/remote-build-nodes", { xname });
  // Every process probes through the fake ssh: all nodes can run x86_64 jobs and run none yet.
  for (const base of bases) {
    const status = (await call(base, "GET", "/v3/remote-build-nodes/status")).body;
    expect(status.map((s: any) => [s.xname, s.nodeArch, s.ableToRunJobs, s.numCurrentJobs])).toEqual(NODES.map((x) => [x, "x86_64", true, 0]));
  }

  const body = { job_type: "create", artifact_id: recipe.id, public_key_id: publicKey, image_root_archive_name: "out" };
  const answers = await Promise.all(Array.from({ length: JOBS }, (_, i) => call(bases[i % bases.length]!, "POST", "/v3/jobs", body)));
  expect(answers.filter((a) => a.status !== 201).map((a) => a.text)).toEqual([]);
  const jobs = answers.map((a) => a.body);
  const even = Object.fromEntries(NODES.map((x) => [x, JOBS / NODES.length]));
  expect(tally(jobs.map((j) => j.remote_build_node))).toEqual(even);

  // The cluster got one Job per record, each sent to its record's node.
  const { items: kubeJobs } = (await (await fetch(`${kube.url}/apis/batch/v1/namespaces/${NS}/jobs`)).json()) as { items: any[] };
  expect(kubeJobs.map((j: any) => j.metadata.name).sort()).toEqual(jobs.map((j) => j.kubernetes_job).sort());
  const byName = new Map(jobs.map((j) => [j.kubernetes_job, j.remote_build_node]));
  for (const k of kubeJobs) expect(remoteNodeOf(k)).toBe(byName.get(k.metadata.name));

  // Every process reads the same records: the list, and each job with its ETag.
  const lists = await Promise.all(bases.map((b) => call(b, "GET", "/v3/jobs")));
  for (const l of lists) expect(l.text).toBe(lists[0]!.text);
  expect(tally(lists[0]!.body.map((j: any) => j.remote_build_node))).toEqual(even);
  for (const job of jobs) {
    const reads = await Promise.all(bases.map((b) => call(b, "GET", `/v3/jobs/${job.id}`)));
    for (const r of reads) expect({ status: r.status, body: r.body, etag: r.etag }).toEqual({ status: 200, body: reads[0]!.body, etag: reads[0]!.etag });
    expect(reads[0]!.body).toMatchObject({ id: job.id, remote_build_node: job.remote_build_node, status: "creating" });
  }

  // The choice reads the shared store, not what this process created: once the first process
  // finishes the first node's jobs, the last process sends the next jobs there.
  const freed = jobs.filter((j) => j.remote_build_node === NODES[0]);
  for (const j of freed) expect((await call(first, "PATCH", `/v3/jobs/${j.id}`, { status: "success" })).status).toBe(200);
  const next = await Promise.all([1, 2, 3].map(() => created(bases.at(-1)!, "/v3/jobs", body)));
  expect(next.map((j) => j.remote_build_node)).toEqual([NODES[0], NODES[0], NODES[0]]);
}

describe("remote-node reservations stay balanced across processes", () => {
  test(`${JOBS} concurrent create jobs over 2 processes on one PostgreSQL database land 10/10/10`, async () => {
    const { kube, bases } = await cluster("postgres", await createPostgresDatabase("burst"), 2);
    await burst(kube, bases);
  }, 90_000);

  test(`the same burst on one process over SQLite lands 10/10/10`, async () => {
    const { kube, bases } = await cluster("sqlite", createSqliteDatabase(), 1);
    await burst(kube, bases);
  }, 90_000);
});
