/**
 * Traces over OTLP/HTTP with the OpenTelemetry JS SDK, loaded (dynamic import) only when an OTLP
 * endpoint is configured: without one no SDK code runs and nothing is wrapped. A request span
 * continues the caller's W3C `traceparent`; work behind it (store transactions and reads,
 * artifact calls, Kubernetes requests, template rendering) becomes its child spans through the
 * AsyncLocalStorage context. Spans are batched; shutdown flushes them.
 */
import type { Attributes, Span, Tracer } from "@opentelemetry/api";
import type { RequestObserver } from "@ims/http";
import type { TracingSettings } from "../config/index.ts";

export interface Tracing {
  /** Runs `fn` in a child span of the current context; a throw marks the span as an error. */
  span<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T>;
  /** The same for synchronous work (template rendering). */
  spanSync<T>(name: string, attributes: Attributes, fn: () => T): T;
  /** A client span around an outgoing HTTP request: its status becomes an attribute. */
  client(name: string, attributes: Attributes, send: () => Promise<Response>): Promise<Response>;
  /** The app observer's `around`: the SERVER span of one routed request. */
  around: NonNullable<RequestObserver["around"]>;
  /** Exports what is still buffered and stops. */
  shutdown(): Promise<void>;
}

export async function openTracing(settings: Readonly<TracingSettings>, version: string): Promise<Tracing> {
  const [api, { TracerProvider, BatchSpanProcessor }, { resourceFromAttributes }, { AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, exporterModule] =
    await Promise.all([
      import("@opentelemetry/api"),
      import("@opentelemetry/sdk-trace"),
      import("@opentelemetry/resources"),
      import("@opentelemetry/context-async-hooks"),
      import("@opentelemetry/core"),
      settings.protocol === "http/json" ? import("@opentelemetry/exporter-trace-otlp-http") : import("@opentelemetry/exporter-trace-otlp-proto"),
    ]);
  const { SpanKind, SpanStatusCode, context, propagation, trace, ROOT_CONTEXT } = api;
  const exporter = new exporterModule.OTLPTraceExporter({ url: settings.url, headers: { ...settings.headers } });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": settings.serviceName, "service.version": version }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const tracer: Tracer = provider.getTracer("ims", version);

  const failed = (span: Span, e: unknown) => {
    span.recordException(e instanceof Error ? e : String(e));
    span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
  };
  const headerGetter = { keys: (h: Headers) => [...h.keys()], get: (h: Headers, key: string) => h.get(key) ?? undefined };

  return {
    span: (name, attributes, fn) =>
      tracer.startActiveSpan(name, { attributes }, async (span) => {
        try {
          return await fn();
        } catch (e) {
          failed(span, e);
          throw e;
        } finally {
          span.end();
        }
      }),
    spanSync: (name, attributes, fn) =>
      tracer.startActiveSpan(name, { attributes }, (span) => {
        try {
          return fn();
        } catch (e) {
          failed(span, e);
          throw e;
        } finally {
          span.end();
        }
      }),
    client: (name, attributes, send) =>
      tracer.startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
        try {
          const response = await send();
          span.setAttribute("http.response.status_code", response.status);
          if (response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
          return response;
        } catch (e) {
          failed(span, e);
          throw e;
        } finally {
          span.end();
        }
      }),
    around(request, route, requestId, handle) {
      const parent = propagation.extract(ROOT_CONTEXT, request.headers, headerGetter);
      const attributes = { "http.request.method": request.method, "http.route": route, "url.path": new URL(request.url).pathname, "ims.request_id": requestId };
      return tracer.startActiveSpan(`${request.method} ${route}`, { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
        try {
          const response = await handle();
          span.setAttribute("http.response.status_code", response.status);
          if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          return response;
        } finally {
          span.end();
        }
      });
    },
    shutdown: () => provider.shutdown(),
  };
}
