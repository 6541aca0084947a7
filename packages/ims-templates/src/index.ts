/** Public API of @ims/templates: render the per-job Kubernetes objects safely. */
export { renderJobObjects, expectedObjects, type JobObjects, type RenderOptions } from "./render.ts";
export type { KubeObject } from "./check.ts";
export { TemplateError, type TemplateErrorKind } from "./errors.ts";
export {
  DEFAULT_JOB_IMAGES,
  JOB_TEMPLATE_DEFAULTS,
  type ContainerImage,
  type JobArch,
  type JobImages,
  type JobKind,
  type JobTemplateParams,
  type PullPolicy,
  type TemplateDictionaryEntry,
} from "./params.ts";
export { OBJECT_NAMES, builtinTemplate, templateRelativePath, type ObjectName } from "./files.ts";
export { createJobRenderer } from "./job-renderer.ts";
export { checkObjects } from "./k8s-check.ts";
