/**
 * What the process (or an embedder) can plug into the app to measure it: a callback per
 * answered request (metrics), a wrapper around each routed request (traces), and the body of
 * GET /metrics. The app itself keeps no metrics and imports no telemetry library.
 */

/** The route label of a request no route matched (404, 405, OPTIONS): never the raw path. */
export const UNMATCHED_ROUTE = "unmatched";

export interface RequestObserver {
  /**
   * Once per answer: the method, the route template ("/v3/images/{image_id}", or UNMATCHED_ROUTE),
   * the status and the seconds since our code first saw the request. Runs on the hot path: keep it cheap.
   */
  answered?(method: string, route: string, status: number, seconds: number): void;
  /**
   * Runs the handling of one routed request, e.g. inside a trace span; `handle` never throws
   * (errors are already problem responses).
   */
  around?(request: Request, route: string, requestId: string, handle: () => Promise<Response>): Promise<Response>;
}

/** GET /metrics: served only when the app is given one. */
export interface MetricsSource {
  contentType: string;
  render(): Promise<string>;
}
