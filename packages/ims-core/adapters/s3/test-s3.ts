/**
 * The S3 servers the suites run against, behind one shape: @20minutes/s3rver (a fresh Node
 * process per suite) and Ceph RGW, what CSM runs (one cluster per test process, shared; each
 * suite gets its buckets emptied). IMS_TEST_S3=s3rver or =rgw limits a run to one of them.
 */
import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { S3ArtifactsConfig } from "./config.ts";
import { sharedRgw, type S3Keys } from "./rgw-server.ts";
import { startS3Server, type S3ServerOptions } from "./test-server.ts";

export type { S3Keys };
export type S3Flavour = "s3rver" | "rgw";

export interface TestS3 extends S3Keys {
  flavour: S3Flavour;
  endpoint: string;
  /** A second user. On RGW the STS user, owner of what it uploads; on s3rver a second key of its one account. */
  sts: S3Keys;
  /** An SDK client signing as IMS (default) or STS, set up as the adapter sets up its own. */
  client(as?: "ims" | "sts"): S3Client;
  /** Unfinished multipart uploads in a bucket: upload id, target key, parts received. */
  uploads(bucket: string): Promise<{ id: string; key: string; parts: number }[]>;
  /** s3rver: stops it; RGW: leaves the shared cluster running (the next suite empties the buckets). */
  stop(): Promise<void>;
}

export const STS_TEST_KEYS: S3Keys = { accessKeyId: "STSKEY", secretAccessKey: "STSSECRET" };

/** The flavours this run covers: both unless IMS_TEST_S3 names one. */
export function s3Flavours(): S3Flavour[] {
  const only = process.env.IMS_TEST_S3;
  if (!only) return ["s3rver", "rgw"];
  if (only !== "s3rver" && only !== "rgw") throw new Error(`IMS_TEST_S3 must be "s3rver" or "rgw", not ${JSON.stringify(only)}`);
  return [only];
}

export function sdkClient(endpoint: string, keys: S3Keys): S3Client {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey },
    forcePathStyle: true,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/** Adapter settings for a test server: IMS credentials, no STS unless `extra` adds them. */
export const s3Config = (server: TestS3, extra: Partial<S3ArtifactsConfig> = {}): S3ArtifactsConfig => ({
  endpoint: server.endpoint,
  accessKeyId: server.accessKeyId,
  secretAccessKey: server.secretAccessKey,
  sslValidate: false,
  connectTimeoutMs: 2000,
  readTimeoutMs: 20_000,
  ...extra,
});

/** `extra.sts` as the adapter wants it: the server's STS user. */
export const withSts = (server: TestS3, keys: S3Keys = server.sts): Partial<S3ArtifactsConfig> => ({ sts: { ...keys, sslValidate: false } });

/**
 * A server with exactly these buckets, empty (RGW: other buckets may exist). `s3rver` options
 * (aclOwnerId, tls...) apply to s3rver only.
 */
export async function openTestS3(flavour: S3Flavour, buckets: string[], s3rver: Omit<S3ServerOptions, "buckets"> = {}): Promise<TestS3> {
  return flavour === "rgw" ? openRgw(buckets) : openS3rver(buckets, s3rver);
}

async function openS3rver(buckets: string[], options: Omit<S3ServerOptions, "buckets">): Promise<TestS3> {
  const server = await startS3Server({ ...options, buckets, extraKeys: [...(options.extraKeys ?? []), STS_TEST_KEYS] });
  const clients: S3Client[] = [];
  return {
    flavour: "s3rver",
    endpoint: server.endpoint,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    sts: STS_TEST_KEYS,
    client: (as = "ims") => remember(clients, sdkClient(server.endpoint, as === "sts" ? STS_TEST_KEYS : server)),
    // s3rver cannot list uploads (501): read its data directory, named on its command line.
    uploads: async (bucket) => s3rverUploads(s3rverDir(server.pid), bucket),
    async stop() {
      clients.forEach((c) => c.destroy());
      await server.stop();
    },
  };
}

async function openRgw(buckets: string[]): Promise<TestS3> {
  const rgw = await sharedRgw();
  await rgw.makeBuckets(buckets);
  const clients: S3Client[] = [];
  const client = (as: "ims" | "sts" = "ims") => remember(clients, sdkClient(rgw.endpoint, as === "sts" ? rgw.sts : rgw.ims));
  const admin = client();
  const sts = client("sts");
  for (const bucket of buckets) await empty(admin, sts, bucket);
  return {
    flavour: "rgw",
    endpoint: rgw.endpoint,
    ...rgw.ims,
    sts: rgw.sts,
    client,
    uploads: (bucket) => rgwUploads(admin, sts, bucket),
    async stop() {
      clients.forEach((c) => c.destroy());
    },
  };
}

const remember = (clients: S3Client[], c: S3Client) => (clients.push(c), c);

/** Removes every object and unfinished upload (the bucket owner may delete what STS put). */
async function empty(sdk: S3Client, sts: S3Client, bucket: string): Promise<void> {
  for (const u of await rgwUploads(sdk, sts, bucket)) {
    await sdk.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.key, UploadId: u.id }));
  }
  let token: string | undefined;
  do {
    const page = await sdk.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    const objects = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
    if (objects.length) {
      const out = await sdk.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
      if (out.Errors?.length) throw new Error(`cannot empty bucket ${bucket}: ${JSON.stringify(out.Errors[0])}`);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** The bucket owner lists every upload, but may list the parts of its own only (RGW: AccessDenied). */
async function rgwUploads(ims: S3Client, sts: S3Client, bucket: string) {
  const out: { id: string; key: string; parts: number }[] = [];
  const listed = await ims.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  for (const u of listed.Uploads ?? []) {
    const input = { Bucket: bucket, Key: u.Key!, UploadId: u.UploadId! };
    const parts = await ims.send(new ListPartsCommand(input)).catch(() => sts.send(new ListPartsCommand(input)));
    out.push({ id: u.UploadId!, key: u.Key!, parts: parts.Parts?.length ?? 0 });
  }
  return out;
}

function s3rverDir(pid: number): string {
  const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  return (JSON.parse(argv.find((a) => a.startsWith("{"))!) as { directory: string }).directory;
}

function s3rverUploads(dir: string, bucket: string): { id: string; key: string; parts: number }[] {
  const uploadsDir = join(dir, bucket, "._S3rver_uploads");
  let ids: string[];
  try {
    ids = readdirSync(uploadsDir);
  } catch {
    return [];
  }
  return ids.map((id) => {
    const files = readdirSync(join(uploadsDir, id));
    let key = "";
    try {
      key = readFileSync(join(uploadsDir, id, "key"), "utf8");
    } catch {}
    return { id, key, parts: files.filter((f) => /^\d+$/.test(f)).length };
  });
}
