/**
 * The job part of the configuration (spec jobs.md §1) and which Kubernetes cluster runs the
 * jobs. Problems join the caller's list so one start-up failure names them all.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { dkmsFlag, jobsConfig, DEFAULT_JOBS_CONFIG as D, type JobsConfig } from "@ims/core";
import { fromInClusterEnv } from "@ims/core/kubernetes";
import { readJobImages, readSigningKeySecret } from "./config-job-images.ts";

type Get = (name: string) => string | undefined;
type Int = (name: string, fallback: number, min: number, max: number) => number;

/** Where jobs run: a kubeconfig file, the pod's service account, or nowhere (job creation 503). */
export type KubernetesSelection =
  | { mode: "none"; why: string }
  | { mode: "kubeconfig"; path: string; dir: string; yaml: string }
  | { mode: "in-cluster"; serviceHost: string; servicePort: string };

export interface JobSettings {
  jobs: Readonly<JobsConfig>;
  kubernetes: Readonly<KubernetesSelection>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const HOST_PART = /^[A-Za-z0-9]([-A-Za-z0-9.]{0,251}[A-Za-z0-9])?$/;
const HOUR_MS = 60 * 60 * 1000;

export function readJobSettings(get: Get, int: Int, problems: string[], cwd: string): JobSettings {
  const matching = (name: string, fallback: string, pattern: RegExp, what: string) => {
    const value = get(name) ?? fallback;
    if (!pattern.test(value)) problems.push(`${name} must be ${what}, got ${JSON.stringify(value)}`);
    return value;
  };

  const jobs = jobsConfig({
    namespace: matching("DEFAULT_IMS_JOB_NAMESPACE", D.namespace, DNS_LABEL, "a Kubernetes namespace name"),
    accessPool: matching("JOB_CUSTOMER_ACCESS_NETWORK_ACCESS_POOL", D.accessPool, /^\S+$/, "an address pool name"),
    // Both end up in the job's external host name <id>.ims.<subnet>.<domain>.
    subnetName: matching("JOB_CUSTOMER_ACCESS_SUBNET_NAME", D.subnetName, HOST_PART, "a host name part"),
    networkDomain: matching("JOB_CUSTOMER_ACCESS_NETWORK_DOMAIN", D.networkDomain, HOST_PART, "a DNS domain"),
    apiGatewayHostname: matching("API_GATEWAY_HOSTNAME", D.apiGatewayHostname, /^\S+$/, "a host name"),
    enableDkms: dkmsFlag(get("JOB_ENABLE_DKMS") ?? "True"),
    // get() trims, as upstream does; the core applies the "must contain kata" fallback.
    kataRuntime: get("JOB_KATA_RUNTIME") ?? D.kataRuntime,
    aarch64Runtime: get("JOB_AARCH64_RUNTIME") ?? D.aarch64Runtime,
    defaultImageSize: int("DEFAULT_IMS_IMAGE_SIZE", D.defaultImageSize, 1, 1_000_000),
    defaultJobMemSize: int("DEFAULT_IMS_JOB_MEM_SIZE", D.defaultJobMemSize, 1, 1_000_000),
    remoteTimeoutCount: int("DEFAULT_IMS_JOB_REMOTE_TIMEOUT_COUNT", D.remoteTimeoutCount, 1, 1_000_000),
    templateDir: templateDir(get, problems, cwd),
    images: readJobImages(get, problems),
    signingKeySecret: readSigningKeySecret(get, problems, D.signingKeySecret),
    waitingLimitMs: waitingLimit(get, problems),
  });
  return { jobs, kubernetes: Object.freeze(selectCluster(get, problems, cwd)) };
}

/** IMS_JOB_TEMPLATE_PATH: Handlebars overrides; a typo must not silently fall back to the built-ins. */
function templateDir(get: Get, problems: string[], cwd: string): string | undefined {
  const raw = get("IMS_JOB_TEMPLATE_PATH");
  if (raw === undefined) return undefined;
  const dir = resolve(cwd, raw);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    problems.push(`IMS_JOB_TEMPLATE_PATH must name an existing directory, got ${JSON.stringify(raw)}`);
  }
  return dir;
}

/** IMS_JOB_WAITING_LIMIT_HOURS (ours): fractions allowed so tests and small sites can go below an hour. */
function waitingLimit(get: Get, problems: string[]): number {
  const raw = get("IMS_JOB_WAITING_LIMIT_HOURS");
  if (raw === undefined) return D.waitingLimitMs;
  const hours = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (hours > 0 && hours <= 24 * 365) return Math.round(hours * HOUR_MS);
  problems.push(`IMS_JOB_WAITING_LIMIT_HOURS must be a number of hours above 0 and at most 8760, got ${JSON.stringify(raw)}`);
  return D.waitingLimitMs;
}

/** IMS_KUBERNETES=none wins; then KUBECONFIG; then the in-cluster service environment. */
function selectCluster(get: Get, problems: string[], cwd: string): KubernetesSelection {
  const mode = (get("IMS_KUBERNETES") ?? "auto").toLowerCase();
  if (mode === "none") return { mode: "none", why: "IMS_KUBERNETES=none" };
  if (mode !== "auto") {
    problems.push(`IMS_KUBERNETES must be auto or none, got ${JSON.stringify(get("IMS_KUBERNETES"))}`);
    return { mode: "none", why: "invalid IMS_KUBERNETES" };
  }
  const kubeconfig = get("KUBECONFIG");
  if (kubeconfig !== undefined) {
    const path = resolve(cwd, kubeconfig);
    try {
      return { mode: "kubeconfig", path, dir: dirname(path), yaml: readFileSync(path, "utf8") };
    } catch (e) {
      // kubectl's colon-separated lists are not merged here: say so rather than leave a bare ENOENT.
      const hint = kubeconfig.includes(":") ? " (one file only; lists are not supported)" : "";
      problems.push(`KUBECONFIG names a file that cannot be read${hint}: ${JSON.stringify(kubeconfig)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return { mode: "none", why: "unreadable KUBECONFIG" };
    }
  }
  if (get("KUBERNETES_SERVICE_HOST") !== undefined) {
    try {
      const { serviceHost, servicePort } = fromInClusterEnv({
        KUBERNETES_SERVICE_HOST: get("KUBERNETES_SERVICE_HOST"),
        KUBERNETES_SERVICE_PORT: get("KUBERNETES_SERVICE_PORT"),
      });
      return { mode: "in-cluster", serviceHost, servicePort: String(servicePort) };
    } catch (e) {
      problems.push(`KUBERNETES_SERVICE_HOST is set, so ${(e as Error).message}`);
      return { mode: "none", why: "incomplete in-cluster environment" };
    }
  }
  return { mode: "none", why: "neither KUBECONFIG nor KUBERNETES_SERVICE_HOST is set" };
}

/** What the start-up log says about the cluster (never a token or key). */
export function describeKubernetes(k: Readonly<KubernetesSelection>, jobs: Readonly<JobsConfig>): Record<string, unknown> {
  const where =
    k.mode === "kubeconfig" ? { kubeconfig: k.path } : k.mode === "in-cluster" ? { api_server: `${k.serviceHost}:${k.servicePort}` } : { reason: k.why };
  return { mode: k.mode, ...where, job_namespace: jobs.namespace, template_dir: jobs.templateDir ?? "built-in" };
}
