/** Job settings and the choice of Kubernetes cluster, read from the environment (jobs.md §1). */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_JOBS_CONFIG } from "@ims/core";
import { ConfigError, loadConfig } from "./index.ts";

const dir = mkdtempSync(join(tmpdir(), "ims-config-jobs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The problems a bad environment is refused with. */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, { cwd: dir });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("job settings", () => {
  test("defaults are the core's, with no template override", () => {
    const c = loadConfig({}, { cwd: dir });
    expect(c.jobs).toEqual(DEFAULT_JOBS_CONFIG);
    expect(c.jobs.templateDir).toBeUndefined();
    expect(Object.isFrozen(c.jobs)).toBe(true);
  });

  test("values from the environment", () => {
    mkdirSync(join(dir, "templates"));
    const c = loadConfig(
      {
        DEFAULT_IMS_JOB_NAMESPACE: "ims-jobs", IMS_JOB_TEMPLATE_PATH: "templates", API_GATEWAY_HOSTNAME: "istio-ingressgateway.istio-system.svc.cluster.local",
        JOB_CUSTOMER_ACCESS_NETWORK_ACCESS_POOL: "customer-access", JOB_CUSTOMER_ACCESS_SUBNET_NAME: "can",
        JOB_CUSTOMER_ACCESS_NETWORK_DOMAIN: "example.com", JOB_ENABLE_DKMS: "False", JOB_KATA_RUNTIME: " kata-clh ",
        JOB_AARCH64_RUNTIME: "runc", DEFAULT_IMS_IMAGE_SIZE: "30", DEFAULT_IMS_JOB_MEM_SIZE: "16",
        DEFAULT_IMS_JOB_REMOTE_TIMEOUT_COUNT: "20", IMS_JOB_WAITING_LIMIT_HOURS: "0.5",
      },
      { cwd: dir },
    );
    expect(c.jobs).toEqual({
      ...DEFAULT_JOBS_CONFIG,
      namespace: "ims-jobs", templateDir: join(dir, "templates"), apiGatewayHostname: "istio-ingressgateway.istio-system.svc.cluster.local",
      accessPool: "customer-access", subnetName: "can", networkDomain: "example.com", enableDkms: false, kataRuntime: "kata-clh",
      aarch64Runtime: "runc", defaultImageSize: 30, defaultJobMemSize: 16, remoteTimeoutCount: 20, waitingLimitMs: 30 * 60 * 1000,
    });
  });

  test.each([
    ["true", true], ["True", true], ["1", true], ["t", true], ["T", true],
    ["false", false], ["yes", false], ["0", false], ["on", false],
  ])("JOB_ENABLE_DKMS=%p is %p (upstream: lower-cased value in true, 1, t)", (value, expected) => {
    expect(loadConfig({ JOB_ENABLE_DKMS: value }, { cwd: dir }).jobs.enableDkms).toBe(expected);
  });

  test("every bad job value is reported at once", () => {
    writeFileSync(join(dir, "a-file"), "");
    expect(
      problems({
        DEFAULT_IMS_JOB_NAMESPACE: "Not_A_Namespace", IMS_JOB_TEMPLATE_PATH: "no-such-dir", DEFAULT_IMS_IMAGE_SIZE: "0",
        DEFAULT_IMS_JOB_MEM_SIZE: "8Gi", DEFAULT_IMS_JOB_REMOTE_TIMEOUT_COUNT: "-1", IMS_JOB_WAITING_LIMIT_HOURS: "0",
        JOB_CUSTOMER_ACCESS_SUBNET_NAME: "c m n",
      }),
    ).toEqual([
      'DEFAULT_IMS_JOB_NAMESPACE must be a Kubernetes namespace name, got "Not_A_Namespace"',
      'JOB_CUSTOMER_ACCESS_SUBNET_NAME must be a host name part, got "c m n"',
      'DEFAULT_IMS_IMAGE_SIZE must be an integer 1-1000000, got "0"',
      'DEFAULT_IMS_JOB_MEM_SIZE must be an integer 1-1000000, got "8Gi"',
      'DEFAULT_IMS_JOB_REMOTE_TIMEOUT_COUNT must be an integer 1-1000000, got "-1"',
      'IMS_JOB_TEMPLATE_PATH must name an existing directory, got "no-such-dir"',
      'IMS_JOB_WAITING_LIMIT_HOURS must be a number of hours above 0 and at most 8760, got "0"',
    ]);
    expect(problems({ IMS_JOB_TEMPLATE_PATH: "a-file" })).toEqual(['IMS_JOB_TEMPLATE_PATH must name an existing directory, got "a-file"']);
  });
});

describe("Kubernetes cluster selection", () => {
  const kubeconfig = join(dir, "kubeconfig");
  writeFileSync(kubeconfig, "apiVersion: v1\nkind: Config\n");

  test("nothing set: no cluster", () => {
    expect(loadConfig({}, { cwd: dir }).kubernetes).toEqual({ mode: "none", why: "neither KUBECONFIG nor KUBERNETES_SERVICE_HOST is set" });
  });

  test("KUBECONFIG is read at start-up (relative to the working directory) and wins over in-cluster", () => {
    const c = loadConfig({ KUBECONFIG: "kubeconfig", KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" }, { cwd: dir });
    expect(c.kubernetes).toEqual({ mode: "kubeconfig", path: kubeconfig, dir, yaml: "apiVersion: v1\nkind: Config\n" });
  });

  test("in-cluster when the pod's service environment is set", () => {
    const c = loadConfig({ KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" }, { cwd: dir });
    expect(c.kubernetes).toEqual({ mode: "in-cluster", serviceHost: "10.0.0.1", servicePort: "443" });
  });

  test("IMS_KUBERNETES=none wins over both", () => {
    const c = loadConfig({ IMS_KUBERNETES: "None", KUBECONFIG: kubeconfig, KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" }, { cwd: dir });
    expect(c.kubernetes).toEqual({ mode: "none", why: "IMS_KUBERNETES=none" });
  });

  test("an unreadable KUBECONFIG, a half in-cluster environment and an unknown mode are config errors", () => {
    expect(problems({ KUBECONFIG: "missing.yaml" })).toEqual(['KUBECONFIG names a file that cannot be read: "missing.yaml" (ENOENT)']);
    expect(problems({ KUBECONFIG: `${kubeconfig}:/etc/other` })[0]).toStartWith("KUBECONFIG names a file that cannot be read (one file only; lists are not supported)");
    expect(problems({ KUBECONFIG: dir })).toEqual([`KUBECONFIG names a file that cannot be read: ${JSON.stringify(dir)} (EISDIR)`]);
    expect(problems({ KUBERNETES_SERVICE_HOST: "10.0.0.1" })).toEqual([
      "KUBERNETES_SERVICE_HOST is set, so in-cluster config needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT",
    ]);
    expect(problems({ IMS_KUBERNETES: "maybe" })).toEqual(['IMS_KUBERNETES must be auto or none, got "maybe"']);
  });
});
