/**
 * Metrics and traces (README "Metrics, API reference and traces"): metrics are on unless
 * IMS_METRICS=off; traces are exported over OTLP/HTTP only when an OTLP endpoint is set, with
 * the standard OpenTelemetry variable names. No message quotes a header value (it may be a token).
 */
import type { EnvReader } from "./env-reader.ts";

export type OtlpProtocol = "http/protobuf" | "http/json";

export interface TracingSettings {
  /** Where spans are POSTed: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, else OTEL_EXPORTER_OTLP_ENDPOINT + "/v1/traces". */
  url: string;
  protocol: OtlpProtocol;
  /** OTEL_EXPORTER_OTLP_HEADERS, decoded. */
  headers: Record<string, string>;
  serviceName: string;
}

export interface ObservabilitySettings {
  /** IMS_METRICS: keep metrics and serve /metrics. */
  metrics: boolean;
  /** Undefined when no OTLP endpoint is set: no tracing, no SDK loaded. */
  tracing: Readonly<TracingSettings> | undefined;
}

const ON = new Set(["on", "true", "yes", "1"]);
const OFF = new Set(["off", "false", "no", "0"]);

export function readObservabilitySettings(r: EnvReader): ObservabilitySettings {
  const rawMetrics = r.text("IMS_METRICS").toLowerCase();
  if (!ON.has(rawMetrics) && !OFF.has(rawMetrics)) r.problem(`IMS_METRICS must be on or off, got ${JSON.stringify(rawMetrics)}`);
  const metrics = !OFF.has(rawMetrics);

  const protocol = r.text("OTEL_EXPORTER_OTLP_PROTOCOL");
  if (protocol !== "http/protobuf" && protocol !== "http/json") {
    r.problem(`OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf or http/json (gRPC is not supported), got ${JSON.stringify(protocol)}`);
  }
  const headers = parseHeaders(r);
  const serviceName = r.text("OTEL_SERVICE_NAME");
  const url = tracesUrl(r);
  const tracing = url === undefined ? undefined : Object.freeze({ url, protocol: protocol as OtlpProtocol, headers, serviceName });
  return { metrics, tracing };
}

function tracesUrl(r: EnvReader): string | undefined {
  const traces = r.raw("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  const base = r.raw("OTEL_EXPORTER_OTLP_ENDPOINT");
  const name = traces !== undefined ? "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" : "OTEL_EXPORTER_OTLP_ENDPOINT";
  const given = traces ?? base;
  if (given === undefined) return undefined;
  if (!/^https?:\/\/[^/\s]+/i.test(given)) {
    r.problem(`${name} must be an http:// or https:// URL, got ${JSON.stringify(given)}`);
    return undefined;
  }
  // The signal path is appended to the base endpoint only (as the OpenTelemetry specification says).
  return traces ?? `${given.replace(/\/+$/, "")}/v1/traces`;
}

/** `key=value,key2=value2`, values percent-encoded (W3C baggage style, as the specification says). */
function parseHeaders(r: EnvReader): Record<string, string> {
  const raw = r.raw("OTEL_EXPORTER_OTLP_HEADERS");
  const headers: Record<string, string> = {};
  if (raw === undefined) return headers;
  for (const part of raw.split(",")) {
    const eq = part.indexOf("=");
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    let value: string | undefined;
    try {
      value = eq > 0 ? decodeURIComponent(part.slice(eq + 1).trim()) : undefined;
    } catch {}
    if (!key || value === undefined || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) {
      // Only the key: the value may be a credential.
      r.problem(`OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs separated by commas (bad entry${key ? ` for ${JSON.stringify(key)}` : ""})`);
      continue;
    }
    headers[key] = value;
  }
  return headers;
}
