/**
 * Request bodies are read here, not by Elysia: we need the size limit enforced while streaming,
 * an empty body handed to the core as `undefined` (it answers MissingInput), and 400/415 problems
 * worded like upstream's.
 */
import { HttpProblem } from "../problems/problem.ts";
import { describeJsonError, locateJsonError } from "@ims/core";

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * A too-large body is read and dropped up to this many bytes before the 413 goes out: clients
 * that send the whole body before reading (Python's http.client, urllib) would otherwise get a
 * broken pipe instead of the answer. Beyond it the connection is closed.
 */
export const DISCARD_LIMIT_BYTES = 64 * 1024 * 1024;

const tooLarge = (max: number) =>
  new HttpProblem(413, `The request body exceeds the limit of ${max} bytes.`);

/** application/json or any application/<x>+json, parameters (charset) ignored. */
export function isJsonContentType(header: string | null): boolean {
  if (header === null) return false;
  const media = header.split(";", 1)[0]!.trim().toLowerCase();
  return media === "application/json" || /^application\/[a-z0-9!#$&^_.-]+\+json$/.test(media);
}

/** Reads the rest of a too-large body without keeping it (bounded), so the 413 can be read. */
type Reader = { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> };

async function discard(reader: Reader, seen: number, limit = DISCARD_LIMIT_BYTES): Promise<void> {
  for (let total = seen; total <= limit; ) {
    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
    if (done || !value) return;
    total += value.byteLength;
  }
  await reader.cancel().catch(() => {});
}

/**
 * The body of a request refused before it was read (authentication): read and dropped up to
 * `limit` bytes, so a client that sends it whole still gets the answer; beyond, it is cut off.
 */
export async function dropBody(request: Request, limit: number): Promise<void> {
  if (request.body === null || request.bodyUsed) return;
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) return void (await request.body.cancel().catch(() => {}));
  await discard(request.body.getReader(), 0, limit);
}

/** Reads at most maxBytes; counts while reading because chunked bodies have no Content-Length. */
async function readLimited(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) {
    if (request.body && Number(declared) <= DISCARD_LIMIT_BYTES) await discard(request.body.getReader(), 0);
    throw tooLarge(maxBytes);
  }
  if (request.body === null) return new Uint8Array(0);
  // A declared length within the limit (the usual case): the runtime reads it natively, at once.
  if (declared !== null) return new Uint8Array(await request.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await discard(reader, total);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/**
 * The parsed JSON body, or undefined when the body is empty. Like Flask's get_json, a request
 * whose Content-Type is not JSON is a 415 even when it has no body at all.
 */
export async function readJsonBody(request: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<unknown> {
  const bytes = await readLimited(request, maxBytes);
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new HttpProblem(415, "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.");
  }
  if (bytes.byteLength === 0) return undefined;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpProblem(400, "Failed to decode JSON object: the body is not valid UTF-8.");
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = locateJsonError(text);
    const where = at ? describeJsonError(text, at) : e instanceof RangeError ? "nested too deeply" : String(e);
    throw new HttpProblem(400, `Failed to decode JSON object: ${where}`);
  }
}
