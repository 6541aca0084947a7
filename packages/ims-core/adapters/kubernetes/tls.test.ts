import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JobEvent } from "../../src/cluster.ts";
import { ImsError } from "../../src/errors.ts";
import { fromInClusterEnv, openKubernetesCluster } from "./index.ts";
import { NS, imsObjects } from "./test-fixtures.ts";
import { FakeKube, makeTestPki, writeKubeconfig, type TestPki } from "./test-server.ts";

let pki: TestPki;
let kube: FakeKube | undefined;
const tmp = mkdtempSync(join(tmpdir(), "ims-kube-"));
const dir = () => mkdtempSync(join(tmp, "d-"));

beforeAll(async () => {
  pki = await makeTestPki();
});
afterAll(() => {
  rmSync(pki.dir, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});
afterEach(() => {
  kube?.stop();
  kube = undefined;
});

const configMap = () => imsObjects("tls").slice(0, 1);

async function failure(p: Promise<unknown>): Promise<ImsError> {
  const e = await p.then(() => undefined, (x) => x);
  expect(e).toBeInstanceOf(ImsError);
  return e as ImsError;
}

describe("HTTPS with a private CA", () => {
  test("works with certificate-authority-data and a bearer token", async () => {
    kube = new FakeKube({ tls: { cert: pki.serverCert, key: pki.serverKey }, token: "tok" });
    const { yaml } = writeKubeconfig(dir(), { server: kube.url, ca: pki.ca, token: "tok" });
    await openKubernetesCluster({ kubeconfigYaml: yaml }).create(NS, configMap());
    expect(kube.get("configmaps", NS, "cray-ims-tls-configmap")).toBeDefined();
  });

  test("works with CA, client certificate and key given as files relative to the kubeconfig", async () => {
    kube = new FakeKube({ tls: { cert: pki.serverCert, key: pki.serverKey, clientCa: pki.ca } });
    const { yaml } = writeKubeconfig(pki.dir, { server: kube.url, caFile: "ca.crt", clientCertFile: "client.crt", clientKeyFile: "client.key" });
    await openKubernetesCluster({ kubeconfigYaml: yaml, kubeconfigDir: pki.dir }).create(NS, configMap());
    expect(kube.get("configmaps", NS, "cray-ims-tls-configmap")).toBeDefined();
  });

  test("a wrong CA fails fast and clearly as unavailable", async () => {
    kube = new FakeKube({ tls: { cert: pki.serverCert, key: pki.serverKey } });
    const { yaml } = writeKubeconfig(dir(), { server: kube.url, ca: pki.otherCa });
    const started = Date.now();
    const e = await failure(openKubernetesCluster({ kubeconfigYaml: yaml, sleep: async () => {} }).create(NS, configMap()));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(e.kind).toBe("unavailable");
    expect(e.detail).toMatch(/certificate/i);
    expect(e.detail).toContain("ConfigMap 'cray-ims-tls-configmap'");
    expect(kube.requests).toEqual([]);
  });

  test("insecure-skip-tls-verify accepts the unknown CA", async () => {
    kube = new FakeKube({ tls: { cert: pki.serverCert, key: pki.serverKey } });
    const { yaml } = writeKubeconfig(dir(), { server: kube.url, insecure: true });
    await openKubernetesCluster({ kubeconfigYaml: yaml }).create(NS, configMap());
  });

  test("control: the client's own HTTP library loses the CA under Bun (why transport.ts exists)", async () => {
    kube = new FakeKube({ tls: { cert: pki.serverCert, key: pki.serverKey } });
    const kc = new KubeConfig();
    kc.loadFromString(writeKubeconfig(dir(), { server: kube.url, ca: pki.ca }).yaml);
    const err = await kc.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace: NS }).then(() => undefined, (e) => e);
    expect(String(err?.code ?? err)).toMatch(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY/);
  });
});

describe("client certificate auth", () => {
  const withClientAuth = () => new FakeKube({ tls: { cert: pki.serverCert, key: pki.serverKey, clientCa: pki.ca } });

  test("create and watch work with client-certificate-data/client-key-data", async () => {
    kube = withClientAuth();
    const { yaml } = writeKubeconfig(dir(), { server: kube.url, ca: pki.ca, clientCert: pki.clientCert, clientKey: pki.clientKey });
    const cluster = openKubernetesCluster({ kubeconfigYaml: yaml });
    const abort = new AbortController();
    const events: JobEvent[] = [];
    const running = cluster.watchJobs(NS, (e) => events.push(e), abort.signal);
    await cluster.create(NS, imsObjects("cc").filter((o) => o.kind === "Job"));
    for (let i = 0; i < 300 && events.length === 0; i++) await Bun.sleep(10);
    abort.abort();
    await running;
    expect(events).toEqual([{ type: "ADDED", name: "cray-ims-cc-create", failed: false, succeeded: false }]);
  });

  test("without a client certificate the handshake is refused: unavailable, no hang", async () => {
    kube = withClientAuth();
    const { yaml } = writeKubeconfig(dir(), { server: kube.url, ca: pki.ca });
    const e = await failure(openKubernetesCluster({ kubeconfigYaml: yaml }).create(NS, configMap()));
    expect(e.kind).toBe("unavailable");
    expect(kube.requests).toEqual([]);
  });
});

describe("in-cluster", () => {
  test("uses the service account token and CA from the mounted directory", async () => {
    kube = new FakeKube({ tls: { cert: pki.serverCert, key: pki.serverKey }, token: "sa-token" });
    const sa = dir();
    writeFileSync(join(sa, "token"), "sa-token\n");
    writeFileSync(join(sa, "ca.crt"), pki.ca);
    const env = { KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: new URL(kube.url).port };
    const cluster = openKubernetesCluster({ ...fromInClusterEnv(env), serviceAccountDir: sa });
    await cluster.create(NS, configMap());
    expect(kube.requests[0].headers.authorization).toBe("Bearer sa-token");
  });

  test("fromInClusterEnv reads only the object it is given", () => {
    expect(fromInClusterEnv({ KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" })).toEqual({
      inCluster: true,
      serviceHost: "10.0.0.1",
      servicePort: "443",
    });
    expect(() => fromInClusterEnv({})).toThrow(/KUBERNETES_SERVICE_HOST/);
  });
});

describe("kubeconfig", () => {
  test("token from tokenFile", async () => {
    kube = new FakeKube({ token: "from-file" });
    const d = dir();
    mkdirSync(join(d, "sub"));
    writeFileSync(join(d, "sub", "tok"), "from-file");
    const { yaml } = writeKubeconfig(d, { server: kube.url, tokenFile: "sub/tok" });
    await openKubernetesCluster({ kubeconfigYaml: yaml, kubeconfigDir: d }).create(NS, configMap());
    expect(kube.requests[0].headers.authorization).toBe("Bearer from-file");
  });

  test("auth it cannot honour is refused at open, not ignored", () => {
    const yaml = Bun.YAML.stringify({
      clusters: [{ name: "c", cluster: { server: "https://k" } }],
      users: [{ name: "u", user: { exec: { command: "aws" } } }],
      contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
      "current-context": "x",
    });
    expect(() => openKubernetesCluster({ kubeconfigYaml: yaml })).toThrow(/exec/);
    expect(() => openKubernetesCluster({ kubeconfigYaml: yaml, context: "nope" })).toThrow(/no context named 'nope'/);
    expect(() => openKubernetesCluster({})).toThrow(/kubeconfigYaml or inCluster/);
  });
});
