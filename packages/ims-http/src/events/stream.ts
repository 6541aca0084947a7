/**
 * A subscription as a `text/event-stream` body. The next event is read only when the client
 * takes the previous one (pull), so a slow client holds a position, not a queue; while nothing
 * happens a heartbeat comment goes out every `heartbeatMs`. The subscription ends when the
 * client goes away, and the stream ends when the subscription does (shutdown).
 */
import type { EventStream, ImsEvent } from "@ims/core";
import { HEARTBEAT, OPENED, sseText } from "./format.ts";

export const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no" };

export function eventStreamResponse(events: EventStream, heartbeatMs: number, gone: AbortSignal): Response {
  const encoder = new TextEncoder();
  let next: Promise<IteratorResult<ImsEvent>> | undefined;
  gone.addEventListener("abort", () => events.close(), { once: true });
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(OPENED));
    },
    async pull(controller) {
      next ??= events.next();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const beat = new Promise<"beat">((resolve) => (timer = setTimeout(resolve, heartbeatMs, "beat")));
      const got = await Promise.race([next, beat]);
      clearTimeout(timer);
      if (got === "beat") return controller.enqueue(encoder.encode(HEARTBEAT));
      next = undefined;
      if (got.done) return controller.close();
      controller.enqueue(encoder.encode(sseText(got.value)));
    },
    cancel() {
      events.close();
    },
  });
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}
