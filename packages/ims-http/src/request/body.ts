/**
 * Request bodies are read here, not by Elysia: we need the size limit enforced while streaming,
 * an empty body handed to the core as `undefined` (it answers MissingInput), and 400/415 problems
 * worded like upstream's.
 */
import { HttpProblem } from "../problems/problem.ts";
import { describeJsonError, locateJsonError } from "@ims/core";

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const tooLarge = (max: number) =>
  new HttpProblem(413, `The request body exceeds the limit of ${max} bytes.`);

/** application/json or any application/<x>+json, parameters (charset) ignored. */
export function isJsonContentType(header: string | null): boolean {
  if (header === null) return false;
  const media = header.split(";", 1)[0]!.trim().toLowerCase();
  return media === "application/json" || /^application\/[a-z0-9!#$&^_.-]+\+json$/.test(media);
}

/** Reads at most maxBytes; counts while reading because chunked bodies have no Content-Length. */
async function readLimited(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (request.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** The parsed JSON body, or undefined when the body is empty. */
export async function readJsonBody(request: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<unknown> {
  const bytes = await readLimited(request, maxBytes);
  if (bytes.byteLength === 0) return undefined;
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new HttpProblem(415, "Did not attempt to load JSON data because the request Content-Type was not 'application/json'.");
  }
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
