/**
 * The job part of the configuration (spec jobs.md §1) and which Kubernetes cluster runs the
 * jobs. Problems join the caller's list so one start-up failure names them all.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { dkmsFlag, jobsConfig, type JobsConfig } from "@ims/core";
import { fromInClusterEnv } from "@ims/core/kubernetes";
import type { EnvReader } from "./env-reader.ts";
import { readJobImages, readSigningKeySecret } from "./job-images.ts";

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

export function readJobSettings(r: EnvReader): JobSettings {
  const jobs = jobsConfig({
    namespace: r.matching("DEFAULT_IMS_JOB_NAMESPACE", DNS_LABEL, "a Kubernetes namespace name"),
    accessPool: r.matching("JOB_CUSTOMER_ACCESS_NETWORK_ACCESS_POOL", /^\S+$/, "an address pool name"),
    // Both end up in the job's external host name <id>.ims.<subnet>.<domain>.
    subnetName: r.matching("JOB_CUSTOMER_ACCESS_SUBNET_NAME", HOST_PART, "a host name part"),
    networkDomain: r.matching("JOB_CUSTOMER_ACCESS_NETWORK_DOMAIN", HOST_PART, "a DNS domain"),
    apiGatewayHostname: r.matching("API_GATEWAY_HOSTNAME", /^\S+$/, "a host name"),
    enableDkms: dkmsFlag(r.text("JOB_ENABLE_DKMS")),
    // Trimmed, as upstream does; the core applies the "must contain kata" fallback.
    kataRuntime: r.text("JOB_KATA_RUNTIME"),
    aarch64Runtime: r.text("JOB_AARCH64_RUNTIME"),
    defaultImageSize: r.int("DEFAULT_IMS_IMAGE_SIZE", 1, 1_000_000),
    defaultJobMemSize: r.int("DEFAULT_IMS_JOB_MEM_SIZE", 1, 1_000_000),
    remoteTimeoutCount: r.int("DEFAULT_IMS_JOB_REMOTE_TIMEOUT_COUNT", 1, 1_000_000),
    templateDir: templateDir(r),
    images: readJobImages(r),
    signingKeySecret: readSigningKeySecret(r),
    // Fractions allowed so tests and small sites can go below an hour.
    waitingLimitMs: Math.round(r.positive("IMS_JOB_WAITING_LIMIT_HOURS", 24 * 365, "hours") * HOUR_MS),
  });
  return { jobs, kubernetes: Object.freeze(selectCluster(r)) };
}

/** IMS_JOB_TEMPLATE_PATH: Handlebars overrides; a typo must not silently fall back to the built-ins. */
function templateDir(r: EnvReader): string | undefined {
  const raw = r.raw("IMS_JOB_TEMPLATE_PATH");
  if (raw === undefined) return undefined;
  const dir = resolve(r.cwd, raw);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    r.problem(`IMS_JOB_TEMPLATE_PATH must name an existing directory, got ${JSON.stringify(raw)}`);
  }
  return dir;
}

/** IMS_KUBERNETES=none wins; then KUBECONFIG; then the in-cluster service environment. */
function selectCluster(r: EnvReader): KubernetesSelection {
  const mode = r.text("IMS_KUBERNETES").toLowerCase();
  if (mode === "none") return { mode: "none", why: "IMS_KUBERNETES=none" };
  if (mode !== "auto") {
    r.problem(`IMS_KUBERNETES must be auto or none, got ${JSON.stringify(r.raw("IMS_KUBERNETES"))}`);
    return { mode: "none", why: "invalid IMS_KUBERNETES" };
  }
  const kubeconfig = r.raw("KUBECONFIG");
  if (kubeconfig !== undefined) {
    const path = resolve(r.cwd, kubeconfig);
    try {
      return { mode: "kubeconfig", path, dir: dirname(path), yaml: readFileSync(path, "utf8") };
    } catch (e) {
      // kubectl's colon-separated lists are not merged here: say so rather than leave a bare ENOENT.
      const hint = kubeconfig.includes(":") ? " (one file only; lists are not supported)" : "";
      r.problem(`KUBECONFIG names a file that cannot be read${hint}: ${JSON.stringify(kubeconfig)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return { mode: "none", why: "unreadable KUBECONFIG" };
    }
  }
  if (r.raw("KUBERNETES_SERVICE_HOST") !== undefined) {
    try {
      const { serviceHost, servicePort } = fromInClusterEnv({
        KUBERNETES_SERVICE_HOST: r.raw("KUBERNETES_SERVICE_HOST"),
        KUBERNETES_SERVICE_PORT: r.raw("KUBERNETES_SERVICE_PORT"),
      });
      return { mode: "in-cluster", serviceHost, servicePort: String(servicePort) };
    } catch (e) {
      r.problem(`KUBERNETES_SERVICE_HOST is set, so ${(e as Error).message}`);
      return { mode: "none", why: "incomplete in-cluster environment" };
    }
  }
  return { mode: "none", why: "neither KUBECONFIG nor KUBERNETES_SERVICE_HOST is set" };
}
