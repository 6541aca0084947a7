/** Whole-object reads with a size limit (manifests): refuse early, never buffer past it. */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { ImsError } from "../../src/errors.ts";
import type { ObjectRef } from "../../src/ports.ts";
import type { S3Context } from "./client.ts";
import { toImsError } from "./errors.ts";
import { checkRef, show } from "./ref.ts";

export const tooLarge = (ref: ObjectRef, size: number | string, maxBytes: number) =>
  new ImsError("bad_request", `${show(ref)} is ${size} bytes, over the size limit of ${maxBytes} bytes.`);

export async function read(ctx: S3Context, ref: ObjectRef, maxBytes: number): Promise<Uint8Array> {
  checkRef(ref);
  let body: AsyncIterable<Uint8Array> & { destroy?: () => void };
  try {
    const out = await ctx.ims.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
    body = out.Body as unknown as typeof body;
    if (out.ContentLength !== undefined && out.ContentLength > maxBytes) {
      body.destroy?.(); // drop the connection rather than download what we refuse
      throw tooLarge(ref, out.ContentLength, maxBytes);
    }
  } catch (e) {
    throw toImsError(e, ctx.endpoint, show(ref));
  }
  // The length header may be absent (chunked): count while reading too.
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        body.destroy?.();
        throw tooLarge(ref, `more than ${maxBytes}`, maxBytes);
      }
      chunks.push(chunk);
    }
  } catch (e) {
    throw toImsError(e, ctx.endpoint, show(ref));
  }
  const all = Buffer.concat(chunks);
  return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
}
