/** Listing by prefix, one ListObjectsV2 page (up to 1000 keys) at a time. */
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { S3Context } from "./client.ts";
import { toImsError } from "./errors.ts";
import { checkPrefix } from "./ref.ts";

export async function* list(ctx: S3Context, bucket: string, prefix: string): AsyncIterable<{ key: string; size: number }> {
  checkPrefix(bucket, prefix);
  let token: string | undefined;
  do {
    let page;
    try {
      page = await ctx.ims.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    } catch (e) {
      throw toImsError(e, ctx.endpoint, JSON.stringify(`s3://${bucket}/${prefix}`));
    }
    for (const o of page.Contents ?? []) {
      if (o.Key !== undefined) yield { key: o.Key, size: o.Size ?? 0 };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}
