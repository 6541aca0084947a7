/** What the start-up log may say about each part of the configuration: never a key, secret or password. */
import { existsSync } from "node:fs";
import type { JobsConfig } from "@ims/core";
import type { S3ArtifactsConfig } from "@ims/core/s3";
import type { KubernetesSelection } from "./jobs.ts";
import type { RemoteNodeSettings } from "./remote-nodes.ts";
import type { AuthOptions } from "@ims/http";

/** What the logs may say about the S3 settings: never keys or secrets, nor userinfo in the URL. */
export function describeS3(s3: Readonly<S3ArtifactsConfig>): Record<string, unknown> {
  return {
    endpoint: s3.endpoint.replace(/\/\/[^@/]*@/, "//***@"),
    ssl_validate: s3.sslValidate,
    sts_credentials: Boolean(s3.sts),
    connect_timeout_ms: s3.connectTimeoutMs,
    read_timeout_ms: s3.readTimeoutMs,
    multipart_threshold_bytes: s3.multipartThresholdBytes,
    multipart_part_bytes: s3.partSizeBytes,
    copy_concurrency: s3.copyConcurrency,
  };
}

/** What the start-up log says about the cluster (never a token or key). */
export function describeKubernetes(k: Readonly<KubernetesSelection>, jobs: Readonly<JobsConfig>): Record<string, unknown> {
  const where =
    k.mode === "kubeconfig" ? { kubeconfig: k.path } : k.mode === "in-cluster" ? { api_server: `${k.serviceHost}:${k.servicePort}` } : { reason: k.why };
  return { mode: k.mode, ...where, job_namespace: jobs.namespace, template_dir: jobs.templateDir ?? "built-in" };
}

/** What the start-up log says about remote node probes. */
export const describeRemoteNodes = (r: Readonly<RemoteNodeSettings>) => ({ key_file: r.keyFile, key_present: existsSync(r.keyFile), ssh: r.sshPath });

/** What the start-up log says about authentication (the JWKS URL without userinfo). */
export function describeAuth(a: Readonly<AuthOptions> | undefined): Record<string, unknown> {
  if (!a) return { mode: "off" };
  return {
    mode: "bearer JWT", jwks_url: a.jwksUrl.replace(/\/\/[^@/]*@/, "//***@"), issuers: a.issuers, audiences: a.audiences,
    roles_claim: a.rolesClaim, read_role: a.readRole, admin_role: a.adminRole, job_role: a.jobRole ?? null,
  };
}
