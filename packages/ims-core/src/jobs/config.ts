/** Job settings (spec jobs.md §1): typed values; whoever reads the environment fills them in. */
import type { JobImages } from "./params.ts";

export interface JobsConfig {
  /** DEFAULT_IMS_JOB_NAMESPACE: namespace of every per-job object. */
  namespace: string;
  /** JOB_CUSTOMER_ACCESS_NETWORK_ACCESS_POOL: MetalLB pool of the job Service. */
  accessPool: string;
  /** JOB_CUSTOMER_ACCESS_SUBNET_NAME and _NETWORK_DOMAIN: external host `<id>.ims.<subnet>.<domain>`. */
  subnetName: string;
  networkDomain: string;
  /** JOB_ENABLE_DKMS: the DKMS default of customize jobs. */
  enableDkms: boolean;
  /** JOB_KATA_RUNTIME: runtime class of DKMS jobs (anything without "kata" falls back to kata-qemu). */
  kataRuntime: string;
  /** JOB_AARCH64_RUNTIME: runtime class of aarch64 jobs, used as given. */
  aarch64Runtime: string;
  /** DEFAULT_IMS_IMAGE_SIZE / DEFAULT_IMS_JOB_MEM_SIZE, GiB. */
  defaultImageSize: number;
  defaultJobMemSize: number;
  /** DEFAULT_IMS_JOB_REMOTE_TIMEOUT_COUNT: heartbeats a remote node may miss. */
  remoteTimeoutCount: number;
  /** API_GATEWAY_HOSTNAME: what the job containers call back. */
  apiGatewayHostname: string;
  /** Container images of the job pods; missing ones fall back to the templates' defaults. */
  images?: Partial<JobImages>;
  /** Secret copied into every job as cray-ims-<id>-signing-keys. */
  signingKeySecret: { namespace: string; name: string };
  /** IMS_JOB_TEMPLATE_PATH: read by whoever builds the JobRenderer, not by the core. */
  templateDir?: string;
  /** Non-terminal jobs older than this are reported and moved to "error" by the watcher. */
  waitingLimitMs: number;
}

export const DEFAULT_JOBS_CONFIG: Readonly<JobsConfig> = Object.freeze({
  namespace: "ims",
  accessPool: "customer-management",
  subnetName: "cmn",
  networkDomain: "shasta.local",
  enableDkms: true,
  kataRuntime: "kata-qemu",
  aarch64Runtime: "kata-qemu",
  defaultImageSize: 60,
  defaultJobMemSize: 8,
  remoteTimeoutCount: 12,
  apiGatewayHostname: "api-gw-service-nmn.local",
  signingKeySecret: Object.freeze({ namespace: "services", name: "hpe-signing-key" }),
  waitingLimitMs: 24 * 60 * 60 * 1000,
});

export function jobsConfig(partial: Partial<JobsConfig> = {}): Readonly<JobsConfig> {
  return Object.freeze({ ...DEFAULT_JOBS_CONFIG, ...partial });
}

/** JOB_ENABLE_DKMS as upstream reads it: lower-cased value in {true, 1, t}. */
export const dkmsFlag = (text: string): boolean => ["true", "1", "t"].includes(text.toLowerCase());
