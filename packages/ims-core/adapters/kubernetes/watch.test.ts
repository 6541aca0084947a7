import { afterAll, afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Cluster, JobEvent } from "../../src/cluster.ts";
import { openKubernetesCluster } from "./index.ts";
import { NS, recordingSleep } from "./test-fixtures.ts";
import { FakeKube, writeKubeconfig } from "./test-server.ts";

const tmp = mkdtempSync(join(tmpdir(), "ims-kube-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let kube: FakeKube;
let cluster: Cluster;
let sleeps: ReturnType<typeof recordingSleep>;
let abort: AbortController;
let events: JobEvent[];
let running: Promise<void> | undefined;

const job = (name: string, ims = true) => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name, labels: ims ? { "app.kubernetes.io/name": "ims-job" } : { app: "other" } },
  spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "i" }] } } },
});

async function until(what: string, ok: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events)}`);
    await Bun.sleep(5);
  }
}

const watchRequests = () => kube.requests.filter((r) => r.query.watch === "true");
const ev = (type: JobEvent["type"], name: string, failed = false, succeeded = false): JobEvent => ({ type, name, failed, succeeded });

function start(): void {
  running = cluster.watchJobs(NS, (e) => events.push(e), abort.signal);
}

beforeEach(() => {
  kube = new FakeKube();
  sleeps = recordingSleep();
  abort = new AbortController();
  events = [];
  running = undefined;
  const { yaml } = writeKubeconfig(tmp, { server: kube.url });
  cluster = openKubernetesCluster({ kubeconfigYaml: yaml, sleep: sleeps.sleep, log: () => {} });
});

afterEach(async () => {
  abort.abort();
  await running;
  kube.stop();
});

describe("watchJobs", () => {
  test("lists with the IMS selector, then watches from the list's resourceVersion", async () => {
    kube.seed(NS, job("cray-ims-old-create"));
    kube.seed(NS, job("not-ims", false));
    start();
    await until("the watch", () => kube.openWatches === 1);
    const [list, watch] = kube.requests;
    expect(list.query).toEqual({ labelSelector: "app.kubernetes.io/name=ims-job" });
    expect(watch.query.labelSelector).toBe("app.kubernetes.io/name=ims-job");
    expect(watch.query.resourceVersion).toBe(kube.resourceVersion);
    expect(events).toEqual([ev("ADDED", "cray-ims-old-create")]); // existing Jobs come from the list
  });

  test("delivers ADDED, MODIFIED (failed/succeeded) and DELETED", async () => {
    start();
    await until("the watch", () => kube.openWatches === 1);
    kube.seed(NS, job("cray-ims-a-create"));
    kube.seed(NS, job("not-ims", false));
    kube.seed(NS, job("cray-ims-b-create"));
    kube.setJobStatus(NS, "cray-ims-a-create", { failed: 1 });
    kube.setJobStatus(NS, "cray-ims-b-create", { succeeded: 1 });
    kube.deleteObject("jobs", NS, "cray-ims-a-create");
    await until("five events", () => events.length === 5);
    expect(events).toEqual([
      ev("ADDED", "cray-ims-a-create"),
      ev("ADDED", "cray-ims-b-create"),
      ev("MODIFIED", "cray-ims-a-create", true),
      ev("MODIFIED", "cray-ims-b-create", false, true),
      ev("DELETED", "cray-ims-a-create", true),
    ]);
  });

  for (const goneAs of ["event", "status"] as const) {
    test(`after 410 Gone (${goneAs === "event" ? "ERROR event" : "HTTP status"}) it relists and loses nothing`, async () => {
      kube.goneAs = goneAs;
      kube.seed(NS, job("cray-ims-a-create"));
      kube.seed(NS, job("cray-ims-b-create"));
      start();
      await until("the watch", () => kube.openWatches === 1);
      // Hold the reconnect back while things change and history is compacted past our version.
      kube.inject({ method: "GET", path: "/jobs", delayMs: 150 });
      kube.endWatches();
      await until("the reconnect", () => watchRequests().length === 2);
      kube.setJobStatus(NS, "cray-ims-a-create", { failed: 1 });
      kube.deleteObject("jobs", NS, "cray-ims-b-create");
      kube.seed(NS, job("cray-ims-c-create"));
      kube.compact();
      await until("the relist", () => kube.requests.filter((r) => !r.query.watch).length === 2);
      await until("a new watch", () => kube.openWatches === 1);
      kube.setJobStatus(NS, "cray-ims-c-create", { succeeded: 1 });
      await until("all events", () => events.length === 6);
      expect(events).toEqual([
        ev("ADDED", "cray-ims-a-create"),
        ev("ADDED", "cray-ims-b-create"),
        ev("MODIFIED", "cray-ims-a-create", true), // from the relist diff
        ev("ADDED", "cray-ims-c-create"),
        ev("DELETED", "cray-ims-b-create"),
        ev("MODIFIED", "cray-ims-c-create", false, true), // live again
      ]);
      expect(watchRequests().at(-1)!.query.resourceVersion).toBe(String(Number(kube.resourceVersion) - 1));
    });
  }

  test("reconnects when the stream ends and resumes from the last version without repeats", async () => {
    start();
    await until("the watch", () => kube.openWatches === 1);
    kube.seed(NS, job("cray-ims-a-create"));
    await until("ADDED", () => events.length === 1);
    const seen = kube.resourceVersion;
    kube.inject({ method: "GET", path: "/jobs", delayMs: 100 });
    kube.endWatches();
    kube.setJobStatus(NS, "cray-ims-a-create", { failed: 1 }); // while disconnected
    await until("MODIFIED", () => events.length === 2);
    expect(watchRequests().at(-1)!.query.resourceVersion).toBe(seen);
    expect(kube.requests.filter((r) => !r.query.watch).length).toBe(1); // no relist needed
    expect(events).toEqual([ev("ADDED", "cray-ims-a-create"), ev("MODIFIED", "cray-ims-a-create", true)]);
  });

  test("backs off while the API fails, then recovers", async () => {
    kube.inject({ method: "GET", path: "/jobs", status: 503, reason: "ServiceUnavailable", message: "down", times: 4 });
    start();
    await until("the watch", () => kube.openWatches === 1);
    expect(sleeps.calls).toEqual([1000, 2000, 4000]); // first retry at once, then 1,2,4 s
    kube.seed(NS, job("cray-ims-a-create"));
    await until("ADDED", () => events.length === 1);
  });

  test("a throwing handler does not stop the watch", async () => {
    running = cluster.watchJobs(
      NS,
      (e) => {
        events.push(e);
        if (events.length === 1) throw new Error("handler bug");
      },
      abort.signal,
    );
    await until("the watch", () => kube.openWatches === 1);
    kube.seed(NS, job("cray-ims-a-create"));
    kube.seed(NS, job("cray-ims-b-create"));
    await until("both events", () => events.length === 2);
    expect(watchRequests().length).toBe(1);
  });

  test("stops when aborted, closing the stream", async () => {
    start();
    await until("the watch", () => kube.openWatches === 1);
    abort.abort();
    await running;
    await until("the server to see the close", () => kube.openWatches === 0);
  });

  test("stops when aborted during a backoff", async () => {
    kube.inject({ method: "GET", path: "/jobs", status: 500, times: 1000 });
    cluster = openKubernetesCluster({
      kubeconfigYaml: writeKubeconfig(tmp, { server: kube.url }).yaml,
      sleep: () => new Promise(() => {}), // a backoff that never ends by itself
      log: () => {},
    });
    start();
    await until("a backoff", () => kube.requests.length >= 2);
    abort.abort();
    await running;
  });
});
