/**
 * createIms: wires the ports into the operations of the service. This is the core's front
 * door for the HTTP layer, the CLI, and any TypeScript tool that embeds IMS.
 */
import { DEFAULT_CORE_CONFIG, silentLogger, type CoreConfig, type Ctx, type Logger } from "./context.ts";
import { notFound } from "./errors.ts";
import { systemEpochMicros } from "./time.ts";
import { createWorker, type ArtifactWorker, type WorkerOptions } from "./operations/worker.ts";
import { noKeyProbe, type NodeProbe } from "./remote-nodes/probe.ts";
import { remoteBuildNodes } from "./remote-nodes/resource.ts";
import { deletedResource } from "./resources/lifecycle.ts";
import { listCache } from "./resources/list-cache.ts";
import { imageKind, images } from "./resources/images.ts";
import { publicKeyKind, publicKeys } from "./resources/public-keys.ts";
import { recipeKind, recipes } from "./resources/recipes.ts";
import { jobs } from "./jobs/resource.ts";
import { jobsConfig, type JobsConfig } from "./jobs/config.ts";
import type { JobRenderer } from "./jobs/params.ts";
import type { Cluster } from "./cluster.ts";
import type { ArtifactStore, Clock, IdGenerator, RecordStore } from "./ports.ts";
import type { ImsService } from "./service-types.ts";
import { createEvents } from "./events/events.ts";
import type { FeedOptions } from "./events/feed.ts";

export interface ImsDeps {
  store: RecordStore;
  artifacts: ArtifactStore;
  clock?: Clock;
  ids?: IdGenerator;
  config?: Partial<CoreConfig>;
  log?: Logger;
  probe?: NodeProbe;
  /** Identifies this process in operation leases. */
  workerId?: string;
  /**
   * Artifact worker timing: lease (how long a crashed process's work stays claimed), poll
   * interval, and retention (how often to prune, how long done operations and idempotency results live).
   */
  worker?: Pick<WorkerOptions, "leaseMs" | "pollMs" | "pruneIntervalMs" | "operationRetentionMs" | "idempotencyTtlMs" | "changeRetentionMs" | "onStep">;
  /** The event stream's reading of the change log (how often it polls, how many changes it keeps in memory). */
  events?: FeedOptions;
  /** Kubernetes; absent = no cluster (job creation answers 503). */
  cluster?: Cluster;
  /** Job templates; absent = job creation answers 503. */
  renderer?: JobRenderer;
  jobs?: Partial<JobsConfig>;
}

export interface Ims extends ImsService {
  readonly worker: ArtifactWorker;
  readonly ctx: Ctx;
  readonly jobsConfig: Readonly<JobsConfig>;
}

export const systemClock: Clock = { now: () => new Date(), epochMicros: systemEpochMicros };
export const randomIds: IdGenerator = { uuid: () => crypto.randomUUID() };

export function createIms(deps: ImsDeps): Ims {
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? silentLogger;
  const worker = createWorker({
    store: deps.store,
    artifacts: deps.artifacts,
    clock,
    log,
    workerId: deps.workerId ?? crypto.randomUUID(),
    ...deps.worker,
  });
  const ctx: Ctx = {
    store: deps.store,
    artifacts: deps.artifacts,
    clock,
    ids: deps.ids ?? randomIds,
    config: Object.freeze({ ...DEFAULT_CORE_CONFIG, ...deps.config }),
    log,
    probe: deps.probe ?? noKeyProbe,
    lists: listCache(deps.store),
    kick: () => worker.kick(),
    runOperation: (id) => worker.run(id),
  };
  const jobSettings = jobsConfig(deps.jobs);
  return {
    ctx,
    worker,
    jobsConfig: jobSettings,
    publicKeys: publicKeys(ctx),
    deletedPublicKeys: deletedResource(ctx, publicKeyKind),
    recipes: recipes(ctx),
    deletedRecipes: deletedResource(ctx, recipeKind),
    images: images(ctx),
    deletedImages: deletedResource(ctx, imageKind),
    remoteBuildNodes: remoteBuildNodes(ctx),
    jobs: jobs({ ctx, cluster: deps.cluster, renderer: deps.renderer, config: jobSettings }),
    events: createEvents(deps.store.changes, log, deps.events),
    operations: {
      list: (filter) => deps.store.journal.list(filter),
      async get(id) {
        const op = await deps.store.journal.get(id);
        if (!op) throw notFound();
        return op;
      },
    },
  };
}
