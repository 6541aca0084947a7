/**
 * A job creation that stops short of doing anything: the same checks in the same order (and so
 * the same 4xx), the same rendering with the same templates, then a check of the objects against
 * the Kubernetes schemas. No record, no remote build node reserved, no call to the cluster (none
 * need be configured). The remote build node shown is the one a create would choose now.
 */
import { ImsError } from "../errors.ts";
import { requireRenderer, type JobsDeps } from "./deps.ts";
import { activeJobsPerNode, chooseNode, probeNodes } from "./nodes.ts";
import { checkCreate, renderJob } from "./prepare.ts";
import type { JobDryRun } from "../service-types.ts";

export async function dryRunJob(deps: JobsDeps, body: unknown): Promise<JobDryRun> {
  const { ctx } = deps;
  const checked = await checkCreate(deps, body);
  const renderer = requireRenderer(deps);
  const probes = await probeNodes(ctx);
  const [nodes, jobs] = await Promise.all([ctx.store.list("remote_build_nodes"), ctx.store.list("jobs")]);
  const registered = new Set(nodes.map((n) => n.data.xname));
  const remoteNode = chooseNode(probes, activeJobsPerNode(jobs.map((j) => j.data)), checked.source.arch, registered);
  const { record, objects } = renderJob(deps, renderer, checked, ctx.ids.uuid(), remoteNode);
  const { errors, warnings } = await renderer.check(objects);
  if (Object.keys(errors).length) {
    throw new ImsError("internal", "The job templates render objects Kubernetes would refuse; errors names each object and field.", errors);
  }
  return { job: record, objects, warnings };
}
