/**
 * Off means free: with IMS_METRICS=off and no OTLP endpoint nothing is wrapped and no observer
 * is given to the app; the OpenTelemetry SDK is only ever imported dynamically, when tracing is on.
 */
import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openMemoryStore } from "@ims/core/memory";
import { openLocalArtifacts } from "@ims/core/local-artifacts";
import { openTelemetry } from "./telemetry.ts";

test("metrics off and no tracing: every port is used as it is", async () => {
  const t = await openTelemetry({ metrics: false, tracing: undefined }, "v");
  const store = openMemoryStore();
  const dir = mkdtempSync(join(tmpdir(), "ims-telemetry-"));
  const artifacts = await openLocalArtifacts({ dir });
  const renderer = { render: () => [], check: async () => ({ errors: {}, warnings: [] }) };
  expect(t.records(store, "sqlite")).toBe(store);
  expect(t.artifacts(artifacts, "local")).toBe(artifacts);
  expect(t.renderer(renderer)).toBe(renderer);
  expect([t.observer, t.metrics, t.kubernetes, t.onStep]).toEqual([undefined, undefined, undefined, undefined]);
  rmSync(dir, { recursive: true, force: true });
});

test("metrics on, no tracing: reads stay the store's own functions (the hot path is not wrapped)", async () => {
  const t = await openTelemetry({ metrics: true, tracing: undefined }, "v");
  const store = openMemoryStore();
  const measured = t.records(store, "sqlite");
  expect(measured.getJson).toBe(store.getJson);
  expect(measured.get).toBe(store.get);
  expect(measured.transaction).not.toBe(store.transaction);
  expect(t.observer?.answered).toBeFunction();
  expect(t.observer?.around).toBeUndefined();
});

test("no module imports the OpenTelemetry SDK statically (only types, and tracing.ts's dynamic import)", () => {
  const src = join(import.meta.dir, "..");
  const files = readdirSync(src, { recursive: true }).map(String).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  for (const file of files) {
    const text = readFileSync(join(src, file), "utf8");
    const staticImports = [...text.matchAll(/^import (?!type )[^;]*from "(@opentelemetry\/[^"]+)"/gm)].map((m) => m[1]);
    expect({ file, staticImports }).toEqual({ file, staticImports: [] });
  }
});
