/**
 * Container images of the job pods and the signing-key Secret (upstream sets both through Helm
 * values). Each image variable is `repository:tag`; unset ones keep the templates' defaults.
 */
import { DEFAULT_JOBS_CONFIG, type ContainerImage, type JobImages, type JobsConfig, type PullPolicy } from "@ims/core";
import type { EnvReader } from "./env-reader.ts";

export const IMAGE_VARIABLES: Record<keyof JobImages, string> = {
  utils: "IMS_JOB_IMAGE_UTILS",
  sshd: "IMS_JOB_IMAGE_SSHD",
  kiwi_ng_builder: "IMS_JOB_IMAGE_KIWI_NG",
  kiwi_ng_aarch64_builder: "IMS_JOB_IMAGE_KIWI_NG_AARCH64",
  packer_builder: "IMS_JOB_IMAGE_PACKER",
};

const POLICIES: readonly PullPolicy[] = ["Always", "IfNotPresent", "Never"];
// registry[:port]/path/name:tag — the tag is whatever follows the last ":" after the last "/".
const IMAGE = /^(?<repository>[a-z0-9][\w.\-/:]*?[a-z0-9])(?::(?<tag>[\w][\w.-]{0,127}))$/i;

export function readJobImages(r: EnvReader): Partial<JobImages> | undefined {
  const rawPolicy = r.text("IMS_JOB_IMAGE_PULL_POLICY");
  const policy = POLICIES.find((p) => p.toLowerCase() === rawPolicy.toLowerCase());
  if (!policy) r.problem(`IMS_JOB_IMAGE_PULL_POLICY must be one of ${POLICIES.join(", ")}, got ${JSON.stringify(rawPolicy)}`);
  const images: Partial<Record<keyof JobImages, ContainerImage>> = {};
  for (const [field, name] of Object.entries(IMAGE_VARIABLES) as [keyof JobImages, string][]) {
    const raw = r.raw(name);
    if (raw === undefined) continue;
    const m = IMAGE.exec(raw);
    if (!m?.groups || m.groups.repository!.endsWith("/")) {
      r.problem(`${name} must be an image reference repository:tag, got ${JSON.stringify(raw)}`);
      continue;
    }
    images[field] = { repository: m.groups.repository!, tag: m.groups.tag!, pull_policy: policy ?? "IfNotPresent" };
  }
  return Object.keys(images).length ? images : undefined;
}

/** IMS_JOB_SIGNING_KEY_SECRET: `namespace/name` of the Secret copied into every job. */
export function readSigningKeySecret(r: EnvReader): JobsConfig["signingKeySecret"] {
  const raw = r.raw("IMS_JOB_SIGNING_KEY_SECRET");
  if (raw === undefined) return DEFAULT_JOBS_CONFIG.signingKeySecret;
  const m = /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)\/([a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?)$/.exec(raw);
  if (!m) {
    r.problem(`IMS_JOB_SIGNING_KEY_SECRET must be namespace/name, got ${JSON.stringify(raw)}`);
    return DEFAULT_JOBS_CONFIG.signingKeySecret;
  }
  return Object.freeze({ namespace: m[1]!, name: m[3]! });
}
