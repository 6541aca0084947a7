/**
 * The core's JobRenderer port on top of renderJobObjects: objects in creation order, template
 * errors turned into the core's ImsError (bad input 400, broken template 500), and the dry
 * run's check of the objects against the Kubernetes schemas.
 */
import { ImsError, type JobRenderer, type KubeObject } from "@ims/core";
import { TemplateError } from "./errors.ts";
import { checkObjects } from "./k8s-check.ts";
import { renderJobObjects, type RenderOptions } from "./render.ts";

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
    check: checkObjects,
  };
}
