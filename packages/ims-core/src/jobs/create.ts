/**
 * Job creation (jobs.md §2). Everything that can be refused is checked before anything is
 * written; the record is inserted (the remote node reservation) in one transaction with the
 * node choice, the rendering and the Idempotency-Key result; the Kubernetes objects are created
 * after commit, and if that fails the record and the key's result are taken back together.
 */
import { ImsError } from "../errors.ts";
import { JOB } from "../texts.ts";
import { sortKeys } from "../canonical.ts";
import { commit } from "../resources/common.ts";
import { commitCreate, idempotentCreate } from "../resources/idempotency.ts";
import { removeObjects } from "./cleanup.ts";
import { requireCluster, requireRenderer, type JobsDeps } from "./deps.ts";
import { activeJobsPerNode, chooseNode, NODE_LOCK, probeNodes } from "./nodes.ts";
import { checkCreate, renderJob } from "./prepare.ts";
import { secretName } from "./record.ts";
import type { Cluster, KubeObject } from "../cluster.ts";
import type { Stored } from "../ports.ts";
import type { Job } from "../records.ts";
import type { IdempotencyOptions } from "../service-types.ts";

export function createJob(deps: JobsDeps, body: unknown, idem?: IdempotencyOptions): Promise<Stored<Job>> {
  return idempotentCreate(deps.ctx, idem, () => createOnce(deps, body, idem));
}

async function createOnce(deps: JobsDeps, body: unknown, idem: IdempotencyOptions | undefined): Promise<Stored<Job>> {
  const { ctx } = deps;
  const checked = await checkCreate(deps, body);
  const cluster = requireCluster(deps);
  const renderer = requireRenderer(deps);
  const probes = await probeNodes(ctx);
  const id = ctx.ids.uuid();

  let objects: KubeObject[] = [];
  const stored = await commitCreate<Job>(ctx, idem, async (tx) => {
    await tx.lock(NODE_LOCK);
    const registered = new Set((await tx.list("remote_build_nodes")).map((n) => n.data.xname));
    const active = activeJobsPerNode((await tx.list("jobs")).map((j) => j.data));
    const remoteNode = chooseNode(probes, active, checked.source.arch, registered);
    const rendered = renderJob(deps, renderer, checked, id, remoteNode); // bad input fails here, before any write
    objects = rendered.objects;
    await tx.insert("jobs", id, rendered.record);
    return { data: rendered.record, version: 1 };
  });
  // Another id: the key's first attempt answered; its objects are that attempt's business.
  if (stored.data.id !== id) return stored;

  const record = stored.data;
  await createObjects(deps, cluster, record, objects, idem);
  ctx.log.info("job created", { id, job_type: record.job_type, remote_build_node: record.remote_build_node });
  return copySigningKeys(deps, cluster, record, idem);
}

const refsOf = (objects: KubeObject[]) => objects.map((o) => ({ kind: o.kind, name: o.metadata.name }));

/**
 * On failure: delete whatever landed, drop the record (the reservation) and the key's result
 * in one transaction, answer 500. A retry with the key then tries again instead of replaying a
 * job that no longer exists.
 */
async function createObjects(deps: JobsDeps, cluster: Cluster, record: Job, objects: KubeObject[], idem?: IdempotencyOptions): Promise<void> {
  const ns = record.kubernetes_namespace!;
  let current: KubeObject | undefined;
  try {
    // One by one, so a failure names the resource as upstream does.
    for (current of objects) await cluster.create(ns, [current]);
  } catch (e) {
    const cause = e instanceof ImsError ? e.detail : (e as Error).message;
    const leftovers = await removeObjects(cluster, ns, refsOf(objects).reverse());
    await commit(deps.ctx, async (tx) => {
      await tx.remove("jobs", record.id);
      if (idem) await tx.removeIdempotent(idem.key); // stored with this record: nobody else holds the key
    });
    deps.ctx.log.error("job objects could not be created; job dropped", { id: record.id, error: cause, leftovers });
    throw new ImsError("internal", JOB.createFailed(RESOURCE_NAMES[current!.kind] ?? current!.kind), leftovers.length ? leftovers : undefined);
  }
}

/** How upstream names each kind in its "error creating the kubernetes … resources" answer. */
const RESOURCE_NAMES: Record<string, string> = {
  ConfigMap: "configmap",
  Service: "service",
  Job: "job",
  PersistentVolumeClaim: "pvc",
  DestinationRule: "DestinationRule",
};

/**
 * The signing keys are optional: a failed copy is logged and the record says null. The key's
 * stored result follows, so a retry sees what the first caller saw.
 */
async function copySigningKeys(deps: JobsDeps, cluster: Cluster, record: Job, idem?: IdempotencyOptions): Promise<Stored<Job>> {
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
    const result = { data, version: version ?? cur.version + 1 };
    const first = idem ? await tx.getIdempotent(idem.key) : undefined;
    if (idem && first) await tx.putIdempotent(idem.key, { ...first, body: JSON.stringify(result) });
    return result;
  });
}
