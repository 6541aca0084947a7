/**
 * Listening and draining. Elysia's own listen() hands its routes to Bun's native router, which
 * is markedly faster than one catch-all fetch handler; draining uses the server's count of
 * in-flight requests: stop accepting, wait for them (bounded), then close whatever is left.
 */
import type { Server } from "bun";

export interface Listener {
  listen(options: { hostname: string; port: number }): unknown;
  server: Server<unknown> | null;
}

export interface Listening {
  port: number;
  /** Requests being answered now. */
  inFlight(): number;
  /** Stops accepting; resolves true when in-flight requests finished within timeoutMs. */
  close(timeoutMs: number): Promise<boolean>;
}

export function listen(app: Listener, opts: { host: string; port: number }): Listening {
  app.listen({ hostname: opts.host, port: opts.port });
  const server = app.server!;
  return {
    port: server.port ?? opts.port,
    inFlight: () => server.pendingRequests,
    async close(timeoutMs) {
      void server.stop(false);
      const deadline = Date.now() + timeoutMs;
      while (server.pendingRequests > 0 && Date.now() < deadline) await Bun.sleep(10);
      const finished = server.pendingRequests === 0;
      await server.stop(true);
      return finished;
    },
  };
}
