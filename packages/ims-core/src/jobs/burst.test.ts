/** A burst of job creations spreads evenly over the remote build nodes (the record is the reservation). */
import { afterAll, afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../../adapters/sqlite/index.ts";
import { initialStatus, type NodeProbe } from "../remote-nodes/probe.ts";
import { NS, openJobsHarness, type JobsHarness } from "./harness.test.ts";
import type { RecordStore } from "../ports.ts";

const root = mkdtempSync(join(tmpdir(), "ims-burst-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let h: JobsHarness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

/** Every node idle and eligible; answers take a little, unevenly, like SSH would. */
const idleProbe: NodeProbe = {
  async probe(xname) {
    await new Promise((r) => setTimeout(r, Math.random() * 5));
    return { ...initialStatus(xname), sshStatus: "SSH connection established.", podmanStatus: "Podman present at /usr/bin/podman", nodeArch: "x86_64", numCurrentJobs: 0, ableToRunJobs: true };
  },
};

async function burst(store?: RecordStore): Promise<Record<string, number>> {
  h = await openJobsHarness({ probe: idleProbe, ...(store ? { store } : {}) });
  const nodes = ["x3000c0s1b0n0", "x3000c0s2b0n0", "x3000c0s3b0n0"];
  for (const xname of nodes) await h.f.ims.remoteBuildNodes.create({ xname });
  const recipe = await h.recipe();
  const body = { job_type: "create", artifact_id: recipe, public_key_id: h.keyId, image_root_archive_name: "x" };
  const created = await Promise.all(Array.from({ length: 30 }, () => h!.f.ims.jobs.create(body)));
  const counts: Record<string, number> = {};
  for (const { data } of created) counts[data.remote_build_node] = (counts[data.remote_build_node] ?? 0) + 1;
  // What was stored agrees with what was answered, and every pod forwards to its node without a VM.
  const stored = await h.jobs();
  expect(stored.length).toBe(30);
  for (const job of stored) {
    const spec = h.kube.get("jobs", NS, job.kubernetes_job!)!.spec.template.spec;
    expect(spec.runtimeClassName).toBeUndefined();
    const build = spec.initContainers.find((c: { name: string }) => c.name === "build-image");
    expect(build.env).toContainEqual({ name: "REMOTE_BUILD_NODE", value: job.remote_build_node });
  }
  // A finished job frees its slot: the next job goes to that node.
  const first = stored[0]!;
  await h.f.ims.jobs.patch(first.id, { status: "success" });
  expect((await h.f.ims.jobs.create(body)).data.remote_build_node).toBe(first.remote_build_node);
  return counts;
}

test("30 concurrent creates over 3 idle nodes: 10/10/10 (memory store)", async () => {
  expect(await burst()).toEqual({ x3000c0s1b0n0: 10, x3000c0s2b0n0: 10, x3000c0s3b0n0: 10 });
});

test("30 concurrent creates over 3 idle nodes: 10/10/10 (SQLite file store)", async () => {
  const store = await openSqliteStore({ filename: join(root, "ims.db") });
  expect(await burst(store)).toEqual({ x3000c0s1b0n0: 10, x3000c0s2b0n0: 10, x3000c0s3b0n0: 10 });
});

test("no eligible node (wrong arch): the job runs in the cluster", async () => {
  h = await openJobsHarness({ probe: idleProbe });
  await h.f.ims.remoteBuildNodes.create({ xname: "x1" });
  const recipe = await h.recipe({ arch: "aarch64" });
  const { data } = await h.f.ims.jobs.create({ job_type: "create", artifact_id: recipe, public_key_id: h.keyId, image_root_archive_name: "x" });
  expect(data.remote_build_node).toBe("");
  expect(h.kube.get("jobs", NS, data.kubernetes_job!)!.spec.template.spec.runtimeClassName).toBe("kata-qemu");
});
