/**
 * Process metrics: prom-client's defaults, less the ones that read zero or wrong under Bun
 * (V8 heap spaces, active handles/requests/resources, process_heap_bytes, which there is the
 * virtual size, and nodejs_version_info, which names the Node version Bun emulates).
 */
import { collectDefaultMetrics, type Registry } from "prom-client";

const WRONG_UNDER_BUN = [
  "nodejs_heap_space_size_total_bytes",
  "nodejs_heap_space_size_used_bytes",
  "nodejs_heap_space_size_available_bytes",
  "nodejs_active_handles",
  "nodejs_active_handles_total",
  "nodejs_active_requests",
  "nodejs_active_requests_total",
  "nodejs_active_resources",
  "nodejs_active_resources_total",
  "process_heap_bytes",
  "nodejs_version_info",
];

export function processMetricsUnderBun(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of WRONG_UNDER_BUN) if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
}
