/** What the job use cases need beyond the core context: the cluster, the renderer, settings. */
import { ImsError } from "../errors.ts";
import type { Cluster } from "../cluster.ts";
import type { Ctx } from "../context.ts";
import type { JobsConfig } from "./config.ts";
import type { JobRenderer } from "./params.ts";

export interface JobsDeps {
  ctx: Ctx;
  /** Absent: no Kubernetes configured; creating jobs answers 503. */
  cluster?: Cluster;
  /** Absent: no job templates configured; creating jobs answers 503. */
  renderer?: JobRenderer;
  config: Readonly<JobsConfig>;
}

export function requireCluster(deps: JobsDeps): Cluster {
  if (!deps.cluster) throw new ImsError("unavailable", "No Kubernetes cluster is configured: IMS cannot run jobs.");
  return deps.cluster;
}

export function requireRenderer(deps: JobsDeps): JobRenderer {
  if (!deps.renderer) throw new ImsError("unavailable", "No job templates are configured: IMS cannot run jobs.");
  return deps.renderer;
}
