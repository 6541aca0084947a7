/**
 * Which credentials copy an object. Upstream: objects whose ACL owner ID is exactly "STS" (left
 * by jobs using STS credentials) are copied with the STS credentials; everything else, and
 * every delete, with the IMS ones. If the ACL cannot be read, IMS credentials are tried.
 */
import { GetObjectAclCommand, type S3Client } from "@aws-sdk/client-s3";
import type { ObjectRef } from "../../src/ports.ts";
import type { S3Context } from "./client.ts";
import type { Credentials } from "./errors.ts";

export const STS_OWNER_ID = "STS";

export interface Copier {
  client: S3Client;
  as: Credentials;
}

export async function copierFor(ctx: S3Context, source: ObjectRef): Promise<Copier> {
  const ims: Copier = { client: ctx.ims, as: "IMS" };
  if (!ctx.sts) return ims; // no STS credentials configured: no need to ask
  const owner = await ownerOf(ctx, source);
  return owner === STS_OWNER_ID ? { client: ctx.sts, as: "STS" } : ims;
}

/** The ACL owner ID, read with the IMS credentials; undefined if the ACL cannot be read. */
export async function ownerOf(ctx: S3Context, ref: ObjectRef): Promise<string | undefined> {
  try {
    const acl = await ctx.ims.send(new GetObjectAclCommand({ Bucket: ref.bucket, Key: ref.key }));
    return acl.Owner?.ID;
  } catch {
    return undefined;
  }
}
