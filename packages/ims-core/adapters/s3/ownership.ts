/**
 * Which credentials copy an object. Upstream: objects whose ACL owner ID is exactly "STS" (left
 * by jobs using STS credentials) are copied with the STS credentials; everything else, and
 * every delete, with the IMS ones. If the ACL cannot be read, IMS credentials are tried.
 */
import { GetObjectAclCommand, type S3Client } from "@aws-sdk/client-s3";
import type { ObjectRef } from "../../src/ports.ts";
import type { S3Context } from "./client.ts";

export const STS_OWNER_ID = "STS";

export async function copyClientFor(ctx: S3Context, source: ObjectRef): Promise<S3Client> {
  if (!ctx.sts) return ctx.ims; // no STS credentials configured: no need to ask
  try {
    const acl = await ctx.ims.send(new GetObjectAclCommand({ Bucket: source.bucket, Key: source.key }));
    return acl.Owner?.ID === STS_OWNER_ID ? ctx.sts : ctx.ims;
  } catch {
    return ctx.ims;
  }
}
