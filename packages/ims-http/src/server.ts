/**
 * Listening and draining: Bun.serve around the app, counting in-flight requests so shutdown can
 * stop accepting, wait for them (bounded), then close whatever is left.
 */
export interface Handler {
  handle(request: Request): Promise<Response>;
}

export interface Listening {
  port: number;
  /** Stops accepting; resolves true when in-flight requests finished within timeoutMs. */
  close(timeoutMs: number): Promise<boolean>;
}

export function listen(app: Handler, opts: { host: string; port: number }): Listening {
  let inflight = 0;
  let onIdle: (() => void) | undefined;
  const server = Bun.serve({
    hostname: opts.host,
    port: opts.port,
    async fetch(request) {
      inflight++;
      try {
        return await app.handle(request);
      } finally {
        if (--inflight === 0) onIdle?.();
      }
    },
  });
  return {
    port: server.port ?? opts.port,
    async close(timeoutMs) {
      void server.stop(false);
      const drained = inflight === 0 ? Promise.resolve() : new Promise<void>((r) => (onIdle = r));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<false>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
      const finished = await Promise.race([drained.then(() => true as const), timedOut]);
      clearTimeout(timer);
      await server.stop(true);
      return finished;
    },
  };
}
