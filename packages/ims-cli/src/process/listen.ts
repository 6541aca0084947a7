/**
 * Listening and draining. Elysia's own listen() hands its routes to Bun's native router, which
 * is markedly faster than one catch-all fetch handler; draining uses the server's count of
 * in-flight requests: stop accepting, wait for them (bounded), then close whatever is left.
 */
import type { Server } from "bun";

export interface Listener {
  listen(options: { hostname: string; port: number; reusePort: boolean }): unknown;
  server: Server<unknown> | null;
}

export interface Listening {
  port: number;
  /** Requests being answered now. */
  inFlight(): number;
  /** Stops accepting; resolves true when in-flight requests finished within timeoutMs. */
  close(timeoutMs: number): Promise<boolean>;
}

/** A port or address the process cannot listen on: a start-up failure, reported in one line. */
export class ListenError extends Error {
  override name = "ListenError";
}

export function listen(app: Listener, opts: { host: string; port: number }): Listening {
  try {
    // Elysia turns reusePort on: a second IMS on the same port would then share it with the
    // first (the kernel splitting connections between two databases) instead of failing.
    app.listen({ hostname: opts.host, port: opts.port, reusePort: false });
  } catch (e) {
    throw listenError(e, opts);
  }
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

/**
 * Fails now, before any store is opened, when the address cannot be listened on (a port held by
 * another process): a second service must not touch its database at all. listen() still refuses
 * if the port is taken in between.
 */
export function checkCanListen(opts: { host: string; port: number }): void {
  if (opts.port === 0) return;
  try {
    Bun.serve({ hostname: opts.host, port: opts.port, reusePort: false, fetch: () => new Response() }).stop(true);
  } catch (e) {
    throw listenError(e, opts);
  }
}

function listenError(e: unknown, opts: { host: string; port: number }): ListenError {
  const code = (e as { code?: string }).code;
  if (code === "EADDRINUSE") return new ListenError(`port ${opts.port} is already in use`);
  if (code === "EACCES") return new ListenError(`port ${opts.port} needs privileges this process lacks (PORT)`);
  if (code === "EADDRNOTAVAIL" || code === "EINVAL" || code === "ENOTFOUND") {
    return new ListenError(`cannot listen on HOST ${JSON.stringify(opts.host)}: not an address of this machine`);
  }
  return new ListenError(`cannot listen on ${opts.host}:${opts.port}: ${(e as Error).message}`);
}
