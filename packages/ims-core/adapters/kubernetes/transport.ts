/**
 * HTTP for the Kubernetes client, built on Bun's global fetch.
 *
 * Why: the client's default library calls undici's fetch with an https.Agent/dispatcher that
 * carries the cluster CA and client certificate; under Bun that import is Bun's own fetch, which
 * ignores the dispatcher, so a private-CA cluster fails with SELF_SIGNED_CERT_IN_CHAIN and client
 * certificates are never sent. Bun's fetch takes the same material through its `tls` option.
 */
import {
  ApiException,
  ResponseContext,
  ServerConfiguration,
  createConfiguration,
  wrapHttpLibrary,
  type Configuration,
  type RequestContext,
} from "@kubernetes/client-node";
import { describeCall, type KubernetesInstruments } from "./calls.ts";
import type { Connection } from "./kubeconfig.ts";

export interface FetchOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Whole-request deadline; null for long-lived watches (they have their own inactivity timer). */
  timeoutMs?: number | null;
}

export interface Transport {
  server: string;
  /** fetch against `server` with the connection's TLS material and bearer token. */
  fetch(url: string, options?: FetchOptions): Promise<Response>;
  /** A client Configuration whose requests all go through `fetch`. */
  configuration: Configuration;
}

export function makeTransport(conn: Connection, defaultTimeoutMs = 30_000, instruments?: KubernetesInstruments): Transport {
  const https = conn.server.startsWith("https:");
  const tls = {
    ...(conn.tls.ca ? { ca: conn.tls.ca } : {}),
    ...(conn.tls.cert ? { cert: conn.tls.cert, key: conn.tls.key } : {}),
    ...(conn.tls.serverName ? { serverName: conn.tls.serverName } : {}),
    rejectUnauthorized: conn.tls.rejectUnauthorized,
  };

  async function doFetch(url: string, options: FetchOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    const token = await conn.token?.();
    if (token) headers.Authorization = `Bearer ${token}`;
    const timeoutMs = options.timeoutMs === undefined ? defaultTimeoutMs : options.timeoutMs;
    const signals = [options.signal, timeoutMs === null ? undefined : AbortSignal.timeout(timeoutMs)];
    const active = signals.filter((s): s is AbortSignal => s !== undefined);
    const method = options.method ?? "GET";
    const send = () =>
      fetch(url, {
        method,
        headers,
        body: options.body,
        signal: active.length ? AbortSignal.any(active) : undefined,
        redirect: "manual", // a redirect from an API server is a misconfiguration, not something to follow
        ...(https ? { tls } : {}),
      });
    return instruments?.request ? instruments.request(describeCall(method, url), send) : send();
  }

  const httpApi = wrapHttpLibrary({
    async send(ctx: RequestContext): Promise<ResponseContext> {
      const body = ctx.getBody();
      if (body !== undefined && typeof body !== "string") throw new Error("kubernetes transport: only JSON bodies are supported");
      const resp = await doFetch(ctx.getUrl(), {
        method: ctx.getHttpMethod(),
        headers: ctx.getHeaders(),
        body,
        signal: ctx.getSignal(),
      });
      const headers: Record<string, string> = {};
      resp.headers.forEach((value, name) => (headers[name] = value));
      // Read once: the client may ask for text, then (for errors) the body again.
      const bytes = resp.arrayBuffer().then((b) => Buffer.from(b));
      return new ResponseContext(resp.status, headers, {
        text: async () => (await bytes).toString("utf8"),
        binary: () => bytes,
        stream: () => null,
      });
    },
  });

  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(conn.server, {}),
    httpApi,
  });
  return { server: conn.server, fetch: doFetch, configuration };
}

/** The Kubernetes Status carried by a failed API call, as far as it can be read. */
export interface ApiFailure {
  code?: number;
  reason?: string;
  message: string;
}

export function apiFailure(e: unknown): ApiFailure | undefined {
  if (!(e instanceof ApiException)) return undefined;
  let status: { reason?: string; message?: string } = {};
  try {
    status = typeof e.body === "string" ? JSON.parse(e.body) : (e.body ?? {});
  } catch {
    status = { message: String(e.body).slice(0, 500) };
  }
  return { code: e.code, reason: status?.reason, message: status?.message || `HTTP ${e.code}` };
}

/**
 * "The API error says timeout" (the original tested the reason phrase): 504/408, a Status reason
 * such as Timeout or ServerTimeout, or our own deadline. Not the message: a 422 about a
 * `timeoutSeconds` field must not be retried.
 */
export function isTimeout(e: unknown): boolean {
  const failure = apiFailure(e);
  if (failure) return failure.code === 504 || failure.code === 408 || /timeout/i.test(failure.reason ?? "");
  return e instanceof Error && (e.name === "TimeoutError" || /timed? ?out/i.test(e.message));
}

/** A transport failure (refused, reset, DNS, TLS): fetch rejects with a `code` and no HTTP status. */
export function networkCode(e: unknown): string | undefined {
  if (e instanceof ApiException) return undefined;
  const code = (e as { code?: unknown })?.code;
  return typeof code === "string" ? code : undefined;
}

/** One line naming the failure, for ImsError details and clean-up messages. */
export function describe(e: unknown): string {
  const failure = apiFailure(e);
  if (failure) return `${failure.message} (${failure.code}${failure.reason ? ` ${failure.reason}` : ""})`;
  const code = networkCode(e);
  const message = e instanceof Error ? e.message : String(e);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
