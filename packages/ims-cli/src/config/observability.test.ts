/** IMS_METRICS and the OpenTelemetry exporter variables. */
import { expect, test } from "bun:test";
import { ConfigError, loadConfig } from "./index.ts";

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    return (e as ConfigError).problems;
  }
  return [];
};

test("metrics are on unless IMS_METRICS says off; tracing is off without an OTLP endpoint", () => {
  expect(loadConfig({}).observability).toEqual({ metrics: true, tracing: undefined });
  expect(loadConfig({ IMS_METRICS: "OFF" }).observability.metrics).toBe(false);
  expect(loadConfig({ IMS_METRICS: "true" }).observability.metrics).toBe(true);
  expect(problems({ IMS_METRICS: "sometimes" })).toEqual(['IMS_METRICS must be on or off, got "sometimes"']);
});

test("the base endpoint gets /v1/traces appended; the traces endpoint is used as given", () => {
  expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" }).observability.tracing).toEqual({
    url: "http://collector:4318/v1/traces", protocol: "http/protobuf", headers: {}, serviceName: "ims",
  });
  const both = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://traces.example/otlp" };
  expect(loadConfig(both).observability.tracing?.url).toBe("https://traces.example/otlp");
  expect(problems({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toEqual(['OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL, got "collector:4318"']);
});

test("protocol, headers and service name", () => {
  const tracing = loadConfig({
    OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    OTEL_EXPORTER_OTLP_HEADERS: "Authorization=Bearer%20s3cr3t, x-tenant=csm", OTEL_SERVICE_NAME: "ims-east",
  }).observability.tracing;
  expect(tracing).toEqual({ url: "http://c:4318/v1/traces", protocol: "http/json", headers: { Authorization: "Bearer s3cr3t", "x-tenant": "csm" }, serviceName: "ims-east" });
  expect(problems({ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toEqual([
    'OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf or http/json (gRPC is not supported), got "grpc"',
  ]);
  const bad = problems({ OTEL_EXPORTER_OTLP_HEADERS: "Authorization=Bearer%zz,novalue" });
  expect(bad).toEqual([
    'OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs separated by commas (bad entry for "Authorization")',
    'OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs separated by commas (bad entry for "novalue")',
  ]);
  expect(bad.join()).not.toContain("Bearer");
});
