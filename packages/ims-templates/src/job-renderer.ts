/**
 * The core's JobRenderer port on top of renderJobObjects: objects in creation order, template
 * errors turned into the core's ImsError (bad input 400, broken template 500).
 */
import { ImsError, type JobKind as CoreJobKind, type JobRenderer, type JobSpecParams, type KubeObject } from "@ims/core";
import { TemplateError } from "./errors.ts";
import { renderJobObjects, type RenderOptions } from "./render.ts";
import type { JobKind, JobTemplateParams } from "./params.ts";

// Compile-time proof that the core's mirror of the parameters matches ours, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const paramsAgree: Same<JobSpecParams, JobTemplateParams> = true;
const keysAgree: Same<keyof JobSpecParams, keyof JobTemplateParams> = true; // optional fields too
const kindsAgree: Same<CoreJobKind, JobKind> = true;
void paramsAgree, keysAgree, kindsAgree;

export function createJobRenderer(options: RenderOptions = {}): JobRenderer {
  return {
    render(kind, params): KubeObject[] {
      try {
        const o = renderJobObjects(kind, params, options);
        return [o.configmap, o.service, o.job, o.pvc, o.destinationRule];
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        if (e.kind === "bad_input") throw new ImsError("bad_request", `The job cannot be rendered: ${e.message}`);
        throw new ImsError("internal", `The job templates are broken: ${e.message}`);
      }
    },
  };
}
