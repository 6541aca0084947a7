/** Scrape-time gauges read from a real (in-memory) store, and the bounded method label. */
import { expect, test } from "bun:test";
import { openMemoryStore } from "@ims/core/memory";
import { UNMATCHED_ROUTE } from "@ims/http";
import { createMetrics } from "./metrics.ts";
import { sampleOf, samplesOf } from "./test-exposition.ts";

const step = { op: "remove" as const, ref: { bucket: "b", key: "k" } };

test("the oldest pending operation's age is measured from its creation, at scrape time", async () => {
  const store = openMemoryStore();
  let now = Date.UTC(2024, 2, 1, 10, 0, 0);
  const metrics = createMetrics({ store, clock: () => now }, "1.2.3");
  await store.transaction(async (tx) => {
    await tx.enqueue({ id: "op1", action: "soft delete image", collection: "images", recordId: "r1", steps: [step], created: "2024-03-01T09:59:30" });
    await tx.enqueue({ id: "op2", action: "soft delete image", collection: "images", recordId: "r2", steps: [step], created: "2024-03-01T09:59:50" });
  });
  let text = await metrics.registry.metrics();
  expect(sampleOf(text, "ims_artifact_operations", { state: "pending" })).toBe(2);
  expect(sampleOf(text, "ims_artifact_oldest_pending_operation_age_seconds")).toBe(30);
  now += 60_000;
  await store.journal.progress("op1", { state: "done" });
  text = await metrics.registry.metrics();
  expect(sampleOf(text, "ims_artifact_oldest_pending_operation_age_seconds")).toBe(70);
  expect(samplesOf(text, "ims_artifact_operations")).toEqual([[{ state: "pending" }, 1], [{ state: "done" }, 1], [{ state: "failed" }, 0]]);
  expect(samplesOf(text, "ims_build_info")).toEqual([[{ version: "1.2.3" }, 1]]);
});

test("a method no route has is labelled 'other' (clients cannot grow the label set), routed ones as they are", async () => {
  const metrics = createMetrics({ store: openMemoryStore() }, "v");
  metrics.answered("BREW", UNMATCHED_ROUTE, 405, 0.001);
  metrics.answered("GET", UNMATCHED_ROUTE, 404, 0.001);
  metrics.answered("GET", "/v3/images/{image_id}", 200, 0.0004);
  const text = await metrics.registry.metrics();
  expect(samplesOf(text, "ims_http_request_duration_seconds_count").map(([l]) => l.method)).toEqual(["other", "GET", "GET"]);
  expect(sampleOf(text, "ims_http_request_duration_seconds_bucket", { method: "GET", route: "/v3/images/{image_id}", status: "200", le: "0.0005" })).toBe(1);
});

test("step failures count apart from the steps' durations", async () => {
  const metrics = createMetrics({}, "v");
  metrics.step("copy", "s3", 2, true);
  metrics.step("copy", "s3", 3, false);
  const text = await metrics.registry.metrics();
  expect(sampleOf(text, "ims_artifact_step_duration_seconds_count", { kind: "copy", store: "s3" })).toBe(2);
  expect(sampleOf(text, "ims_artifact_step_failures_total", { kind: "copy", store: "s3" })).toBe(1);
});
