/** The fake's own wire behaviour, checked raw so adapter tests can trust it. */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { FakeKube } from "./test-server.ts";

let kube: FakeKube;
beforeEach(() => (kube = new FakeKube()));
afterEach(() => kube.stop());

const cm = (name: string, labels?: Record<string, string>) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels }, data: { a: "b" } });
const call = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(kube.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { "content-type": "application/json" } });
  return { status: r.status, body: (await r.json()) as any };
};

/** Reads `n` newline-delimited events from a watch response. */
async function readEvents(resp: Response, n: number): Promise<any[]> {
  const reader = resp.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (text.split("\n").length <= n) {
    const { done, value } = await reader.read();
    if (done) break;
    text += value;
  }
  await reader.cancel();
  return text.trim().split("\n").slice(0, n).map((l) => JSON.parse(l));
}

describe("fake Kubernetes API", () => {
  test("create answers 201 with server fields; a second create is a 409 Status", async () => {
    const created = await call("POST", "/api/v1/namespaces/ims/configmaps", cm("x"));
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({ name: "x", namespace: "ims", resourceVersion: "101" });
    expect(created.body.metadata.uid).toBeString();
    expect(created.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const again = await call("POST", "/api/v1/namespaces/ims/configmaps", cm("x"));
    expect(again).toEqual({
      status: 409,
      body: {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: 'configmaps "x" already exists',
        reason: "AlreadyExists",
        details: { name: "x", kind: "configmaps" },
        code: 409,
      },
    });
  });

  test("group resources are named resource.group in messages; 404 NotFound; DELETE Success Status", async () => {
    const missing = await call("GET", "/apis/batch/v1/namespaces/ims/jobs/j");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ reason: "NotFound", message: 'jobs.batch "j" not found', details: { group: "batch", kind: "jobs" } });
    await call("POST", "/api/v1/namespaces/ims/configmaps", cm("x"));
    const deleted = await call("DELETE", "/api/v1/namespaces/ims/configmaps/x?propagationPolicy=Background");
    expect(deleted.body).toMatchObject({ kind: "Status", status: "Success", details: { name: "x", kind: "configmaps" } });
    expect((await call("DELETE", "/api/v1/namespaces/ims/configmaps/x")).status).toBe(404);
  });

  test("rejects bodies a real server would: wrong kind, namespace mismatch, no name", async () => {
    expect((await call("POST", "/apis/batch/v1/namespaces/ims/jobs", cm("x"))).status).toBe(400);
    expect((await call("POST", "/api/v1/namespaces/ims/configmaps", { ...cm("x"), metadata: { name: "x", namespace: "other" } })).status).toBe(400);
    const invalid = await call("POST", "/api/v1/namespaces/ims/configmaps", { ...cm(""), metadata: {} });
    expect(invalid.body).toMatchObject({ code: 422, reason: "Invalid" });
    expect((await call("GET", "/api/v1/namespaces/ims/pods")).body.reason).toBe("NotFound");
  });

  test("lists filter by label selector and omit kind/apiVersion on built-in items", async () => {
    await call("POST", "/api/v1/namespaces/ims/configmaps", cm("a", { app: "x" }));
    await call("POST", "/api/v1/namespaces/ims/configmaps", cm("b", { app: "y" }));
    await call("POST", "/api/v1/namespaces/other/configmaps", cm("c", { app: "x" }));
    const list = await call("GET", "/api/v1/namespaces/ims/configmaps?labelSelector=app%3Dx");
    expect(list.body.kind).toBe("ConfigMapList");
    expect(list.body.metadata.resourceVersion).toBe(kube.resourceVersion);
    expect(list.body.items.map((i: any) => i.metadata.name)).toEqual(["a"]);
    expect(list.body.items[0].kind).toBeUndefined();
    expect((await call("GET", "/api/v1/namespaces/ims/configmaps?labelSelector=app!%3Dx")).body.items.length).toBe(1);
    expect((await call("GET", "/api/v1/namespaces/ims/configmaps?labelSelector=app%20in%20(x)")).status).toBe(400);
  });

  test("watch replays events after a version, then streams live ones", async () => {
    await call("POST", "/api/v1/namespaces/ims/configmaps", cm("a"));
    const from = kube.resourceVersion;
    await call("POST", "/api/v1/namespaces/ims/configmaps", cm("b"));
    const resp = await fetch(`${kube.url}/api/v1/namespaces/ims/configmaps?watch=true&resourceVersion=${from}`);
    kube.deleteObject("configmaps", "ims", "a");
    const events = await readEvents(resp, 2);
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([["ADDED", "b"], ["DELETED", "a"]]);
    expect(events[0].object.kind).toBe("ConfigMap");
  });

  test("a compacted version gets an ERROR event with 410, or HTTP 410", async () => {
    await call("POST", "/api/v1/namespaces/ims/configmaps", cm("a"));
    kube.compact();
    const resp = await fetch(`${kube.url}/api/v1/namespaces/ims/configmaps?watch=true&resourceVersion=100`);
    expect(resp.status).toBe(200);
    const [event] = await readEvents(resp, 1);
    expect(event).toMatchObject({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } });
    kube.goneAs = "status";
    expect((await call("GET", "/api/v1/namespaces/ims/configmaps?watch=true&resourceVersion=100")).status).toBe(410);
  });

  test("records requests, and faults apply the set number of times", async () => {
    kube.inject({ method: "GET", path: "/secrets/s", status: 504, reason: "Timeout", message: "slow", times: 2 });
    expect((await call("GET", "/api/v1/namespaces/ims/secrets/s")).status).toBe(504);
    expect((await call("GET", "/api/v1/namespaces/ims/secrets/s")).status).toBe(504);
    expect((await call("GET", "/api/v1/namespaces/ims/secrets/s")).status).toBe(404);
    expect(kube.requests.map((r) => r.path)).toEqual(Array(3).fill("/api/v1/namespaces/ims/secrets/s"));
  });
});
