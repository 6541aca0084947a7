/**
 * Job creation (jobs.md §2). Everything that can be refused is checked before anything is
 * written; the record is inserted (the remote node reservation) in one transaction with the
 * node choice and the rendering; the Kubernetes objects are created after commit and the record
 * is taken back if that fails.
 */
import { ImsError } from "../errors.ts";
import { isoNaive } from "../time.ts";
import { sortKeys } from "../canonical.ts";
import { commit } from "../resources/common.ts";
import { removeObjects } from "./cleanup.ts";
import { requireCluster, requireRenderer, type JobsDeps } from "./deps.ts";
import { parseJobCreate } from "./input.ts";
import { activeJobsPerNode, chooseNode, NODE_LOCK, probeNodes } from "./nodes.ts";
import { withJobLabels } from "./labels.ts";
import { jobRecord, secretName } from "./record.ts";
import { lookupSource } from "./source.ts";
import { planJob } from "./spec.ts";
import type { Cluster, KubeObject } from "../cluster.ts";
import type { Stored } from "../ports.ts";
import type { Job } from "../records.ts";

async function publicKeyText(deps: JobsDeps, id: string): Promise<string> {
  const key = await deps.ctx.store.get("public_keys", id);
  if (!key) throw new ImsError("bad_request", `Public key with id '${id}' was not found.`);
  return key.data.public_key;
}

export async function createJob(deps: JobsDeps, body: unknown): Promise<Stored<Job>> {
  const { ctx, config } = deps;
  const input = parseJobCreate(body);
  const source = await lookupSource(ctx, input.job_type, input.artifact_id);
  const publicKey = await publicKeyText(deps, input.public_key_id);
  const cluster = requireCluster(deps);
  const renderer = requireRenderer(deps);
  const probes = await probeNodes(ctx);
  const id = ctx.ids.uuid();

  const { record, objects } = await commit(ctx, async (tx) => {
    await tx.lock(NODE_LOCK);
    const registered = new Set((await tx.list("remote_build_nodes")).map((n) => n.data.xname));
    const active = activeJobsPerNode((await tx.list("jobs")).map((j) => j.data));
    const remoteNode = chooseNode(probes, active, source.arch, registered);
    const plan = planJob({ id, input, source, publicKey, remoteNode, config, bucket: ctx.config.bootImagesBucket });
    const objects = withJobLabels(renderer.render(plan.kind, plan.params)); // bad input fails here, before any write
    const record = jobRecord({ id, created: isoNaive(ctx.clock.now()), input, source, plan, objects });
    await tx.insert("jobs", id, record);
    return { record, objects };
  });

  await createObjects(deps, cluster, record, objects);
  ctx.log.info("job created", { id, job_type: record.job_type, remote_build_node: record.remote_build_node });
  return copySigningKeys(deps, cluster, record);
}

const refsOf = (objects: KubeObject[]) => objects.map((o) => ({ kind: o.kind, name: o.metadata.name }));

/** On failure: delete whatever landed, drop the record (the reservation), answer 500. */
async function createObjects(deps: JobsDeps, cluster: Cluster, record: Job, objects: KubeObject[]): Promise<void> {
  const ns = record.kubernetes_namespace!;
  try {
    await cluster.create(ns, objects);
  } catch (e) {
    const cause = e instanceof ImsError ? e.detail : (e as Error).message;
    const leftovers = await removeObjects(cluster, ns, refsOf(objects).reverse());
    await commit(deps.ctx, (tx) => tx.remove("jobs", record.id));
    deps.ctx.log.error("job objects could not be created; job dropped", { id: record.id, error: cause, leftovers });
    const note = leftovers.length ? " Some objects could not be removed again (see errors)." : "";
    throw new ImsError("internal", `Creating the Kubernetes objects of job ${record.id} failed: ${cause}. The job was not created.${note}`, leftovers.length ? leftovers : undefined);
  }
}

/** The signing keys are optional: a failed copy is logged and the record says null. */
async function copySigningKeys(deps: JobsDeps, cluster: Cluster, record: Job): Promise<Stored<Job>> {
  const { ctx, config } = deps;
  const to = { namespace: record.kubernetes_namespace!, name: secretName(record.id) };
  try {
    if (await cluster.copySecret(config.signingKeySecret, to)) return { data: record, version: 1 };
    ctx.log.warn("signing key secret not found; job runs without it", { id: record.id, secret: config.signingKeySecret });
  } catch (e) {
    ctx.log.warn("signing key secret could not be copied", { id: record.id, error: (e as Error).message });
  }
  return commit(ctx, async (tx) => {
    const cur = await tx.get("jobs", record.id);
    if (!cur) return { data: { ...record, kubernetes_secret: null }, version: 1 }; // deleted meanwhile
    const data = sortKeys({ ...cur.data, kubernetes_secret: null });
    const version = await tx.update("jobs", record.id, data);
    return { data, version: version ?? cur.version + 1 };
  });
}
