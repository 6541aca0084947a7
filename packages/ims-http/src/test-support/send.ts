/** Test helper: one request through app.handle, with the reply read and parsed. Test-only. */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body, or undefined when empty. */
  body: any;
}

/** What a Request accepts as a body. */
export type RawBody = string | Uint8Array | ReadableStream<Uint8Array>;

/** A body given as { raw } is sent as-is; anything else is JSON-encoded. */
export type SendBody = unknown | { raw: RawBody };

export async function send(
  app: { handle(r: Request): Promise<Response> },
  method: string,
  path: string,
  body?: SendBody,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const init: RequestInit & { duplex?: string } = { method, headers: { ...headers } };
  if (body !== undefined) {
    const raw = typeof body === "object" && body !== null && "raw" in body;
    init.body = raw ? (body as { raw: RawBody }).raw : JSON.stringify(body);
    if (!raw && !("content-type" in headers)) (init.headers as Record<string, string>)["content-type"] = "application/json";
    if (init.body instanceof ReadableStream) init.duplex = "half";
  }
  const res = await app.handle(new Request(`http://localhost${path}`, init));
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}
