/**
 * The steps a job creation and its dry run share, so the dry run answers exactly what a create
 * would: the checks in upstream's order (api.md §7.1: body, source artifact, public key), then
 * the plan, the rendered objects (labelled for the watch) and the record they make.
 */
import { ImsError } from "../errors.ts";
import { JOB } from "../texts.ts";
import { isoNow } from "../time.ts";
import { parseJobCreate, type JobInput } from "./input.ts";
import { withJobLabels } from "./labels.ts";
import { jobRecord } from "./record.ts";
import { lookupSource, type JobSource } from "./source.ts";
import { planJob } from "./spec.ts";
import type { KubeObject } from "../cluster.ts";
import type { Job } from "../records.ts";
import type { JobsDeps } from "./deps.ts";
import type { JobRenderer } from "./params.ts";

export interface CheckedCreate {
  input: JobInput;
  source: JobSource;
  publicKey: string;
}

async function publicKeyText(deps: JobsDeps, id: string): Promise<string> {
  const key = await deps.ctx.store.get("public_keys", id);
  if (!key) throw new ImsError("bad_request", JOB.noPublicKey(id));
  return key.data.public_key;
}

/** 400/422 for the body, 400/422/503 for the source artifact, 400 for the public key; writes nothing. */
export async function checkCreate(deps: JobsDeps, body: unknown): Promise<CheckedCreate> {
  const input = parseJobCreate(body);
  const source = await lookupSource(deps.ctx, input.job_type, input.artifact_id);
  const publicKey = await publicKeyText(deps, input.public_key_id);
  return { input, source, publicKey };
}

export interface RenderedJob {
  record: Job;
  /** In creation order. */
  objects: KubeObject[];
}

/** Pure apart from the renderer: bad input fails here (400), before anything is written. */
export function renderJob(deps: JobsDeps, renderer: JobRenderer, checked: CheckedCreate, id: string, remoteNode: string): RenderedJob {
  const { ctx, config } = deps;
  const { input, source, publicKey } = checked;
  const plan = planJob({ id, input, source, publicKey, remoteNode, config, bucket: ctx.config.bootImagesBucket });
  const objects = withJobLabels(renderer.render(plan.kind, plan.params));
  const record = jobRecord({ id, created: isoNow(ctx.clock), input, source, plan, objects });
  return { record, objects };
}
