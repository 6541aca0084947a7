import { afterAll, afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Cluster } from "../../src/cluster.ts";
import { ImsError } from "../../src/errors.ts";
import { openKubernetesCluster } from "./index.ts";
import { NS, PLURAL, imsObjects, recordingSleep, withoutServerFields } from "./test-fixtures.ts";
import { SOURCE_TTL_MS } from "./secret-source.ts";
import { FakeKube, writeKubeconfig } from "./test-server.ts";

const tmp = mkdtempSync(join(tmpdir(), "ims-kube-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const TOKEN = "test-token-123";
let kube: FakeKube;
let cluster: Cluster;
let sleeps: ReturnType<typeof recordingSleep>;
let logs: string[];

function open(extra: Partial<Parameters<typeof openKubernetesCluster>[0]> = {}): Cluster {
  const { yaml } = writeKubeconfig(tmp, { server: kube.url, token: TOKEN });
  return openKubernetesCluster({ kubeconfigYaml: yaml, sleep: sleeps.sleep, log: (m) => logs.push(m), ...extra });
}

async function imsError(p: Promise<unknown>): Promise<ImsError> {
  const e = await p.then(() => undefined, (x) => x);
  expect(e).toBeInstanceOf(ImsError);
  return e as ImsError;
}

beforeEach(() => {
  kube = new FakeKube({ token: TOKEN });
  sleeps = recordingSleep();
  logs = [];
  cluster = open();
});
afterEach(() => kube.stop());

describe("create", () => {
  test("creates all six kinds in order, stored exactly as sent", async () => {
    const objects = imsObjects("a1");
    await cluster.create(NS, objects);
    const posts = kube.requests.filter((r) => r.method === "POST");
    expect(posts.map((r) => r.path)).toEqual([
      `/api/v1/namespaces/${NS}/configmaps`,
      `/api/v1/namespaces/${NS}/services`,
      `/apis/batch/v1/namespaces/${NS}/jobs`,
      `/api/v1/namespaces/${NS}/persistentvolumeclaims`,
      `/apis/networking.istio.io/v1beta1/namespaces/${NS}/destinationrules`,
      `/api/v1/namespaces/${NS}/secrets`,
    ]);
    for (const o of objects) {
      const stored = kube.get(PLURAL[o.kind], NS, o.metadata.name);
      expect(stored?.metadata.uid).toBeString();
      // Nothing dropped or renamed by the client's model serializer on the way.
      expect(withoutServerFields(stored!)).toEqual(o);
    }
    expect(logs).toEqual([]);
  });

  test("bearer token is sent on every request", async () => {
    await cluster.create(NS, imsObjects("t1").slice(0, 2));
    expect(kube.requests.length).toBe(2);
    for (const r of kube.requests) expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  test("a wrong token is a 401, reported as internal", async () => {
    kube.stop();
    kube = new FakeKube({ token: "other" });
    const e = await imsError(open().create(NS, imsObjects("t2").slice(0, 1)));
    expect(e.kind).toBe("internal");
    expect(e.detail).toContain("401");
  });

  test("409 AlreadyExists on a second create surfaces as ImsError naming the object", async () => {
    const [cm] = imsObjects("dup");
    await cluster.create(NS, [cm]);
    const e = await imsError(cluster.create(NS, [cm]));
    expect(e.kind).toBe("internal");
    expect(e.detail).toContain(`ConfigMap 'cray-ims-dup-configmap'`);
    expect(e.detail).toContain(`configmaps "cray-ims-dup-configmap" already exists`);
    expect(e.detail).toContain("409 AlreadyExists");
    expect(sleeps.calls).toEqual([]); // not a timeout: no retry
  });

  test("stops at the first failure: later objects are not created", async () => {
    kube.inject({ method: "POST", path: "/services", status: 500, reason: "InternalError", message: "boom" });
    const e = await imsError(cluster.create(NS, imsObjects("stop")));
    expect(e.detail).toContain("boom");
    expect(kube.requests.filter((r) => r.method === "POST").length).toBe(2);
  });

  test("timeouts are retried with sleeps 1,2,3 s, then succeed", async () => {
    kube.inject({ method: "POST", path: "/jobs", status: 504, reason: "Timeout", message: "Timeout: request did not complete within requested timeout", times: 2 });
    kube.inject({ method: "POST", path: "/jobs", status: 500, reason: "ServerTimeout", message: "The POST operation against jobs.batch could not be completed at this time" });
    const objects = imsObjects("retry");
    await cluster.create(NS, objects);
    expect(sleeps.calls).toEqual([1000, 2000, 3000]);
    expect(kube.get("jobs", NS, "cray-ims-retry-create")).toBeDefined();
  });

  test("only the reason counts: a validation error about timeoutSeconds is not retried", async () => {
    kube.inject({ method: "POST", path: "/jobs", status: 422, reason: "Invalid", message: "spec.activeDeadlineSeconds: Invalid value: timeout too short" });
    const e = await imsError(cluster.create(NS, imsObjects("inv").filter((o) => o.kind === "Job")));
    expect(e.detail).toContain("422 Invalid");
    expect(sleeps.calls).toEqual([]);
  });

  test("a fourth timeout gives up as internal", async () => {
    kube.inject({ method: "POST", path: "/configmaps", status: 504, reason: "Timeout", message: "Timeout", times: 4 });
    const e = await imsError(cluster.create(NS, imsObjects("giveup").slice(0, 1)));
    expect(e.kind).toBe("internal");
    expect(sleeps.calls).toEqual([1000, 2000, 3000]);
    expect(kube.requests.length).toBe(4);
  });

  test("a client-side deadline is a timeout; if the slow attempt landed, 409 on retry counts as created", async () => {
    const waited: number[] = [];
    // The retry must come after the slow first attempt finally lands, as it would with 1 s sleeps.
    cluster = open({ requestTimeoutMs: 100, sleep: async (ms) => {
      waited.push(ms);
      await Bun.sleep(400);
    } });
    kube.inject({ method: "POST", path: "/configmaps", delayMs: 250 }); // handled after the client gave up
    await cluster.create(NS, imsObjects("slow").slice(0, 1));
    expect(waited).toEqual([1000]);
    expect(kube.get("configmaps", NS, "cray-ims-slow-configmap")).toBeDefined();
    expect(logs.some((l) => l.includes("already exists after a timed-out attempt"))).toBe(true);
  });

  test("connection refused is unavailable", async () => {
    const url = kube.url;
    kube.stop();
    const { yaml } = writeKubeconfig(tmp, { server: url });
    const e = await imsError(openKubernetesCluster({ kubeconfigYaml: yaml }).create(NS, imsObjects("down").slice(0, 1)));
    expect(e.kind).toBe("unavailable");
    expect(e.detail).toContain("ECONNREFUSED");
    kube = new FakeKube(); // for afterEach
  });

  test("unsupported kinds are refused before any request", async () => {
    const e = await imsError(cluster.create(NS, [{ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" } }]));
    expect(e.detail).toContain("unsupported kind apps/v1/Deployment");
    expect(kube.requests).toEqual([]);
  });

  test("fields the client's models do not know are reported (they cannot be sent)", async () => {
    const [cm] = imsObjects("typo");
    await cluster.create(NS, [{ ...cm, dat: { a: "b" } }]);
    expect(logs.join("\n")).toContain("fields unknown to the client are not sent: dat");
  });
});

describe("remove", () => {
  const refs = (id: string) => [
    { kind: "PersistentVolumeClaim", name: `cray-ims-${id}-job-claim` },
    { kind: "Service", name: `cray-ims-${id}-service` },
    { kind: "Job", name: `cray-ims-${id}-create` },
    { kind: "ConfigMap", name: `cray-ims-${id}-configmap` },
    { kind: "Secret", name: `cray-ims-${id}-signing-keys` },
    { kind: "DestinationRule", name: `cray-ims-${id}-service` },
  ];

  test("deletes every kind with Background propagation, and is idempotent", async () => {
    await cluster.create(NS, imsObjects("rm"));
    expect(await cluster.remove(NS, refs("rm"))).toEqual([]);
    const deletes = kube.requests.filter((r) => r.method === "DELETE");
    expect(deletes.length).toBe(6);
    for (const d of deletes) expect(d.query.propagationPolicy).toBe("Background");
    for (const o of imsObjects("rm")) expect(kube.get(PLURAL[o.kind], NS, o.metadata.name)).toBeUndefined();
    expect(await cluster.remove(NS, refs("rm"))).toEqual([]); // all 404 now: still success
  });

  test("skips empty names", async () => {
    expect(await cluster.remove(NS, [{ kind: "Secret", name: "" }])).toEqual([]);
    expect(kube.requests).toEqual([]);
  });

  test("reports one message per other failure and carries on", async () => {
    await cluster.create(NS, imsObjects("rf"));
    kube.inject({ method: "DELETE", path: "/services/", status: 500, reason: "InternalError", message: "etcd unhappy" });
    kube.inject({ method: "DELETE", path: "/jobs/", status: 403, reason: "Forbidden", message: "jobs.batch is forbidden" });
    const failures = await cluster.remove(NS, refs("rf"));
    expect(failures).toEqual([
      `Failed to delete Service 'cray-ims-rf-service' in namespace '${NS}': etcd unhappy (500 InternalError)`,
      `Failed to delete Job 'cray-ims-rf-create' in namespace '${NS}': jobs.batch is forbidden (403 Forbidden)`,
    ]);
    expect(kube.get("configmaps", NS, "cray-ims-rf-configmap")).toBeUndefined();
    expect(kube.get("services", NS, "cray-ims-rf-service")).toBeDefined();
  });

  test("an unreachable API is a failure message, not a throw", async () => {
    kube.stop();
    const failures = await cluster.remove(NS, [{ kind: "Service", name: "s" }]);
    expect(failures.length).toBe(1);
    expect(failures[0]).toContain("ECONNREFUSED");
    kube = new FakeKube();
  });
});

describe("copySecret", () => {
  test("copies data and type under fresh metadata", async () => {
    kube.seed("services", {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "hpe-signing-key", labels: { a: "b" }, annotations: { x: "y" }, ownerReferences: [] },
      type: "Opaque",
      data: { "private.key": Buffer.from("secret").toString("base64") },
    });
    const ok = await cluster.copySecret({ namespace: "services", name: "hpe-signing-key" }, { namespace: NS, name: "cray-ims-c1-signing-keys" });
    expect(ok).toBe(true);
    const post = kube.requests.find((r) => r.method === "POST");
    expect(post?.path).toBe(`/api/v1/namespaces/${NS}/secrets`);
    expect(post?.body).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "cray-ims-c1-signing-keys", namespace: NS },
      type: "Opaque",
      data: { "private.key": Buffer.from("secret").toString("base64") },
    });
  });

  test("false when the source is missing", async () => {
    expect(await cluster.copySecret({ namespace: "services", name: "nope" }, { namespace: NS, name: "x" })).toBe(false);
  });

  test("copies made close together share one read of the source; a later one reads it again", async () => {
    let now = 0;
    cluster = open({ now: () => now });
    kube.seed("services", { apiVersion: "v1", kind: "Secret", metadata: { name: "hpe-signing-key" }, data: { k: btoa("v1") } });
    const copy = (n: number) => cluster.copySecret({ namespace: "services", name: "hpe-signing-key" }, { namespace: NS, name: `cray-ims-j${n}-signing-keys` });
    expect(await Promise.all([1, 2, 3].map(copy))).toEqual([true, true, true]);
    now += SOURCE_TTL_MS - 1;
    expect(await copy(4)).toBe(true);
    const reads = () => kube.requests.filter((r) => r.method === "GET" && r.path.endsWith("/secrets/hpe-signing-key")).length;
    expect(reads()).toBe(1);
    expect(kube.get("secrets", NS, "cray-ims-j4-signing-keys")?.data).toEqual({ k: btoa("v1") });
    // Rotated: copies after the reuse window carry the new key.
    kube.deleteObject("secrets", "services", "hpe-signing-key");
    kube.seed("services", { apiVersion: "v1", kind: "Secret", metadata: { name: "hpe-signing-key" }, data: { k: btoa("v2") } });
    now += 1;
    expect(await copy(5)).toBe(true);
    expect(reads()).toBe(2);
    expect(kube.get("secrets", NS, "cray-ims-j5-signing-keys")?.data).toEqual({ k: btoa("v2") });
  });

  test("a failed read is not reused", async () => {
    kube.inject({ method: "GET", path: "/secrets/", status: 500, reason: "InternalError", message: "etcd hiccup" });
    kube.seed("services", { apiVersion: "v1", kind: "Secret", metadata: { name: "k" }, data: { k: btoa("v") } });
    await imsError(cluster.copySecret({ namespace: "services", name: "k" }, { namespace: NS, name: "x" }));
    expect(await cluster.copySecret({ namespace: "services", name: "k" }, { namespace: NS, name: "x" })).toBe(true);
  });

  test("other read failures throw ImsError", async () => {
    kube.inject({ method: "GET", path: "/secrets/", status: 403, reason: "Forbidden", message: "secrets is forbidden" });
    const e = await imsError(cluster.copySecret({ namespace: "services", name: "k" }, { namespace: NS, name: "x" }));
    expect(e.detail).toContain("secrets is forbidden");
  });
});
