/**
 * Jobs, measured: Kubernetes API requests (count, time, and a client span each with tracing),
 * job watch reconnects, and with tracing a span per template rendering.
 */
import type { JobRenderer } from "@ims/core";
import type { KubernetesInstruments } from "@ims/core/kubernetes";
import type { ImsMetrics } from "./metrics.ts";
import type { Tracing } from "./tracing.ts";

export function kubernetesInstruments(metrics?: ImsMetrics, tracing?: Tracing): KubernetesInstruments | undefined {
  if (!metrics && !tracing) return undefined;
  return {
    async request(call, send) {
      const started = performance.now();
      const traced = tracing
        ? () => tracing.client(`kubernetes ${call.verb} ${call.resource}`, { "http.request.method": call.method, "k8s.verb": call.verb, "k8s.resource": call.resource }, send)
        : send;
      let code: number | "error" = "error";
      try {
        const response = await traced();
        code = response.status;
        return response;
      } finally {
        metrics?.kubernetesRequest(call.verb, call.resource, code, (performance.now() - started) / 1000);
      }
    },
    watchRestart: (reason) => metrics?.watchRestart(reason),
  };
}

export function instrumentRenderer(renderer: JobRenderer, tracing?: Tracing): JobRenderer {
  if (!tracing) return renderer;
  return {
    render: (kind, params) => tracing.spanSync("render job templates", { "ims.job_kind": kind }, () => renderer.render(kind, params)),
    check: (objects) => tracing.span("check job objects against the Kubernetes schemas", {}, () => renderer.check(objects)),
  };
}
