/**
 * Renders the five per-job Kubernetes objects (jobs.md §5) from the templates.
 */
import { TemplateError, templateFault } from "./errors.ts";
import { compileTemplate } from "./compile.ts";
import { parseSingleObject, type Expected, type KubeObject } from "./check.ts";
import { OBJECT_NAMES, loadTemplate, type ObjectName } from "./files.ts";
import type { JobKind, JobTemplateParams, JobTemplateView } from "./params.ts";
import { buildView } from "./validate.ts";

export interface RenderOptions {
  /** Operator template root with the built-in layout; missing files fall back to the built-ins. */
  templateDir?: string;
}

export type JobObjects = Record<ObjectName, KubeObject>;

const JOB_KINDS: ReadonlySet<string> = new Set(["create-kiwi-ng", "create-packer", "customize"]);

/** What each template must produce; names are fixed because the job record stores them. */
export function expectedObjects(kind: JobKind, id: string, namespace: string): Record<ObjectName, Expected> {
  const prefix = `cray-ims-${id}`;
  const service = `${prefix}-service`;
  const jobSuffix = kind === "customize" ? "customize" : "create";
  return {
    configmap: { apiVersion: "v1", kind: "ConfigMap", name: `${prefix}-configmap`, namespace },
    service: { apiVersion: "v1", kind: "Service", name: service, namespace },
    job: { apiVersion: "batch/v1", kind: "Job", name: `${prefix}-${jobSuffix}`, namespace },
    pvc: { apiVersion: "v1", kind: "PersistentVolumeClaim", name: `${prefix}-job-claim`, namespace },
    destinationRule: { apiVersion: "networking.istio.io/v1beta1", kind: "DestinationRule", name: service, namespace },
  };
}

function renderOne(kind: JobKind, object: ObjectName, view: JobTemplateView, expected: Expected, dir?: string): KubeObject {
  const { file, source } = loadTemplate(kind, object, dir);
  const template = compileTemplate(source, file);
  let text: string;
  try {
    text = template(view);
  } catch (e) {
    // Parameters were checked already: a failure here is a missing field or a misused helper.
    if (e instanceof TemplateError) throw e;
    throw templateFault(file, `cannot render: ${(e as Error).message}`, e);
  }
  return parseSingleObject(text, expected, file);
}

/**
 * Throws TemplateError: "bad_input" for unusable parameter values, "template" for a
 * template that fails or renders anything but the one expected object.
 */
export function renderJobObjects(kind: JobKind, params: JobTemplateParams, options: RenderOptions = {}): JobObjects {
  if (!JOB_KINDS.has(kind)) throw new TemplateError("bad_input", `unknown job kind ${JSON.stringify(kind)}`, { field: "kind" });
  const view = buildView(kind, params);
  const expected = expectedObjects(kind, view.id, view.namespace);
  const out = {} as JobObjects;
  for (const object of OBJECT_NAMES) out[object] = renderOne(kind, object, view, expected[object], options.templateDir);
  return out;
}
