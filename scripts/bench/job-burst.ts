/**
 * A burst of job creates against the faithful Kubernetes API server (FakeKube, in this process):
 * 100 POST /v3/jobs at once, the time until the last 201, and which Kubernetes calls each job
 * made (none it does not need).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeKube, writeKubeconfig } from "@ims/core/test-support";
import { placeArtifact, seedSigningKey } from "@ims/http/test-support";
import type { BenchDatabase } from "./backends.ts";
import type { Server } from "./processes.ts";

export const BURST_JOBS = 100;

export interface BurstResult {
  created: number;
  statuses: Record<number, number>;
  lastMs: number;
  /** "POST configmaps" -> calls per job, watches left out. */
  callsPerJob: Record<string, number>;
  totalPerJob: number;
}

const post = (base: string, path: string, body: unknown) =>
  fetch(base + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export async function jobBurst(
  db: BenchDatabase,
  startService: (env: Record<string, string>) => Promise<Server>,
  stopService: (s: Server) => Promise<void>,
): Promise<BurstResult> {
  const dir = mkdtempSync(join(tmpdir(), "ims-bench-jobs-"));
  const kube = new FakeKube();
  seedSigningKey(kube);
  const { path: kubeconfig } = writeKubeconfig(dir, { server: kube.url });
  const artifacts = join(dir, "artifacts");
  placeArtifact(artifacts, "s3://ims/recipes/bench/recipe.tar.gz", "a recipe archive");
  let service: Server | undefined;
  try {
    service = await startService({ KUBECONFIG: kubeconfig, IMS_KUBERNETES: "auto", IMS_ARTIFACTS_DIR: artifacts });
    const base = service.base;
    const idOf = async (res: Promise<Response>) => ((await (await res).json()) as { id: string }).id;
    const key = await idOf(post(base, "/v3/public-keys", { name: "k", public_key: "ssh-ed25519 AAAA k@host" }));
    const recipe = await idOf(
      post(base, "/v3/recipes", { name: "r", recipe_type: "kiwi-ng", linux_distribution: "sles15", link: { path: "s3://ims/recipes/bench/recipe.tar.gz", type: "s3" } }),
    );
    const job = { job_type: "create", artifact_id: recipe, public_key_id: key, image_root_archive_name: "out" };
    // One job first (connections, JIT), not counted.
    await (await post(base, "/v3/jobs", job)).arrayBuffer();
    const from = kube.requests.length;
    const t = performance.now();
    let lastMs = 0;
    const statuses: Record<number, number> = {};
    await Promise.all(
      Array.from({ length: BURST_JOBS }, async () => {
        const res = await post(base, "/v3/jobs", job);
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status === 201) lastMs = performance.now() - t;
      }),
    );
    const calls: Record<string, number> = {};
    for (const r of kube.requests.slice(from)) {
      if (r.query.watch) continue;
      const m = /\/namespaces\/[^/]+\/([^/]+)(\/[^/]+)?$/.exec(r.path);
      const what = `${r.method} ${m ? m[1] + (m[2] ? "/{name}" : "") : r.path}`;
      calls[what] = (calls[what] ?? 0) + 1;
    }
    const created = statuses[201] ?? 0;
    const callsPerJob = Object.fromEntries(Object.entries(calls).map(([k, n]) => [k, n / Math.max(1, created)]));
    return { created, statuses, lastMs, callsPerJob, totalPerJob: Object.values(callsPerJob).reduce((s, n) => s + n, 0) };
  } finally {
    if (service) await stopService(service);
    kube.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printBurst(r: BurstResult): void {
  const statuses = Object.entries(r.statuses).map(([s, n]) => `${n}x ${s}`).join(", ");
  console.log(`  ${BURST_JOBS} concurrent POST /v3/jobs: ${statuses}; last 201 after ${r.lastMs.toFixed(0)} ms`);
  console.log(`    Kubernetes calls per job: ${r.totalPerJob.toFixed(2)} (${Object.entries(r.callsPerJob).map(([k, n]) => `${k} ${n.toFixed(2)}`).join(", ")})`);
}
