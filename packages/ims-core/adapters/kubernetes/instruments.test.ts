/** The adapter's hooks see every API request (by verb and resource) and each reconnect of the job watch. */
import { afterAll, afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openKubernetesCluster, type WatchRestart } from "./index.ts";
import { imsObjects, NS, recordingSleep } from "./test-fixtures.ts";
import { FakeKube, writeKubeconfig } from "./test-server.ts";

const tmp = mkdtempSync(join(tmpdir(), "ims-kube-instruments-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let kube: FakeKube;
beforeEach(() => (kube = new FakeKube()));
afterEach(() => kube.stop());

async function until(what: string, ok: () => boolean): Promise<void> {
  const end = Date.now() + 3000;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}

function openWith(calls: string[], restarts: WatchRestart[]) {
  return openKubernetesCluster({
    kubeconfigYaml: writeKubeconfig(tmp, { server: kube.url }).yaml,
    sleep: recordingSleep().sleep,
    log: () => {},
    instruments: {
      async request(call, send) {
        const response = await send();
        calls.push(`${call.verb} ${call.resource} ${response.status}`);
        return response;
      },
      watchRestart: (reason) => restarts.push(reason),
    },
  });
}

test("every API request goes through the request hook, named by verb and resource", async () => {
  const calls: string[] = [];
  const cluster = openWith(calls, []);
  const objects = imsObjects("1c9b8d4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f");
  await cluster.create(NS, objects);
  expect(await cluster.remove(NS, objects.map((o) => ({ kind: o.kind, name: o.metadata.name })))).toEqual([]);
  const kinds = objects.map((o) => ({ ConfigMap: "configmaps", Service: "services", Job: "jobs", PersistentVolumeClaim: "persistentvolumeclaims", DestinationRule: "destinationrules", Secret: "secrets" })[o.kind]);
  expect(calls).toEqual([...kinds.map((k) => `CREATE ${k} 201`), ...kinds.map((k) => `DELETE ${k} 200`)]);
});

test("the job watch reports each reconnect: the stream ended, its version expired, or the request failed", async () => {
  const calls: string[] = [];
  const restarts: WatchRestart[] = [];
  const cluster = openWith(calls, restarts);
  const abort = new AbortController();
  const running = cluster.watchJobs(NS, () => {}, abort.signal);
  await until("the watch", () => kube.openWatches === 1);
  expect(restarts).toEqual([]);
  kube.endWatches();
  await until("a reconnect", () => kube.openWatches === 1 && restarts.length === 1);
  // Hold the reconnect back while history is compacted past our version: the watch gets 410 Gone.
  kube.inject({ method: "GET", path: "/jobs", delayMs: 100 });
  kube.endWatches();
  kube.seed(NS, imsObjects("2c9b8d4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f").find((o) => o.kind === "Job")!);
  kube.compact();
  await until("a relist and a new watch", () => kube.openWatches === 1 && restarts.length === 3);
  kube.inject({ method: "GET", path: "/jobs", status: 503, reason: "ServiceUnavailable", message: "down", times: 1 });
  kube.endWatches();
  await until("a reconnect after the failure", () => kube.openWatches === 1 && restarts.length === 5);
  abort.abort();
  await running;
  expect(restarts).toEqual(["closed", "closed", "expired", "closed", "error"]);
  expect(calls.slice(0, 2)).toEqual(["LIST jobs 200", "WATCH jobs 200"]);
  expect(calls).toContain("WATCH jobs 503");
});
