/**
 * Idempotency-Key on creates. The HTTP layer only checks the header (400) and names the request
 * (its fingerprint); the core stores the first result with the record and replays it, in one
 * transaction, so retries are safe across replicas.
 */
import type { CreateOptions } from "@ims/core";
import { HttpProblem } from "../problems/problem.ts";

export const IDEMPOTENCY_HEADER = "idempotency-key";
export const MAX_KEY_LENGTH = 255;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The key, undefined without the header; 400 when it is empty, too long or holds control characters. */
export function idempotencyKey(headers: Headers): string | undefined {
  const key = headers.get(IDEMPOTENCY_HEADER);
  if (key === null) return undefined;
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || CONTROL.test(key)) {
    throw new HttpProblem(400, `The Idempotency-Key header must be 1-${MAX_KEY_LENGTH} characters without control characters.`);
  }
  return key;
}

/**
 * What makes two requests "the same": method, path (with query) and a hash of the parsed body,
 * so a retry that re-serialises the same JSON differently still matches.
 */
export function fingerprint(method: string, url: string, body: unknown): string {
  const { pathname, search } = new URL(url);
  const hash = new Bun.CryptoHasher("sha256").update(JSON.stringify(body) ?? "").digest("hex");
  return `${method} ${pathname}${search} sha256:${hash}`;
}

/** The core's create options for this request: none without a key. */
export function createOptions(request: Request, key: string | undefined, body: unknown): CreateOptions {
  return key === undefined ? {} : { idempotency: { key, fingerprint: fingerprint(request.method, request.url, body) } };
}
