/**
 * Parameters of the job templates (jobs.md §4), as real values.
 * The templates decide how each value is written (e.g. `pvc_gb: 300` becomes "300Gi",
 * `enable_debug: true` becomes the env text "True").
 */

import type { JobSpecParams } from "@ims/core";
export type { JobKind, JobArch, PullPolicy, ContainerImage, JobImages, TemplateDictionaryEntry } from "@ims/core";
import type { JobImages, TemplateDictionaryEntry } from "@ims/core";

/** The parameters are defined once, in the core, which builds them as data. */
export type JobTemplateParams = JobSpecParams;

/** The values the templates see: every optional parameter filled in. */
export type JobTemplateView = Readonly<
  Omit<JobTemplateParams, "images" | "template_dictionary" | "recipe_type" | OptionalText> &
    Record<OptionalText, string> & {
      images: Readonly<JobImages>;
      template_dictionary: readonly TemplateDictionaryEntry[];
    }
>;

type OptionalText = "api_gateway_hostname" | "ca_configmap_name" | "admin_client_auth_secret_name" | "log_level";

const REGISTRY = "artifactory.algol60.net/csm-docker/stable";

/** Same images as upstream's chart values. */
export const DEFAULT_JOB_IMAGES: Readonly<JobImages> = deepFreeze({
  utils: { repository: `${REGISTRY}/cray-ims-utils`, tag: "0.0.0-imsutils", pull_policy: "IfNotPresent" },
  sshd: { repository: `${REGISTRY}/cray-ims-sshd`, tag: "0.0.0-imssshd", pull_policy: "IfNotPresent" },
  kiwi_ng_builder: {
    repository: `${REGISTRY}/cray-ims-kiwi-ng-opensuse-x86_64-builder`,
    tag: "0.0.0-imskiwi",
    pull_policy: "IfNotPresent",
  },
  // Upstream hands the same (multi-arch) builder image to aarch64 builds.
  kiwi_ng_aarch64_builder: {
    repository: `${REGISTRY}/cray-ims-kiwi-ng-opensuse-x86_64-builder`,
    tag: "0.0.0-imskiwi",
    pull_policy: "IfNotPresent",
  },
  packer_builder: {
    repository: `${REGISTRY}/cray-ims-packer-opensuse-x86_64-builder`,
    tag: "latest",
    pull_policy: "IfNotPresent",
  },
} satisfies JobImages);

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const inner of Object.values(value)) if (typeof inner === "object" && inner !== null) Object.freeze(inner);
  return Object.freeze(value);
}

/** Values used when the optional text parameters are not given (upstream chart values). */
export const JOB_TEMPLATE_DEFAULTS: Readonly<Record<OptionalText, string>> = Object.freeze({
  api_gateway_hostname: "istio-ingressgateway.istio-system.svc.cluster.local",
  ca_configmap_name: "cray-configmap-ca-public-key",
  admin_client_auth_secret_name: "admin-client-auth",
  log_level: "INFO",
});
