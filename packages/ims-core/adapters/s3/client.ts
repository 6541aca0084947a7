/**
 * SDK clients for the two credential sets. Settings verified against local S3 servers:
 * path-style addressing, and checksums only when an operation requires them (with the SDK
 * default a streamed body was stored with its chunk framing).
 */
import { S3Client } from "@aws-sdk/client-s3";
import { readFileSync } from "node:fs";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { ImsError } from "../../src/errors.ts";
import { type CopyLimits, copyLimits, type S3ArtifactsConfig } from "./config.ts";

/** Everything the operations need: the clients, where they point, and the copy limits. */
export interface S3Context {
  ims: S3Client;
  /** Present when STS credentials are configured. */
  sts?: S3Client;
  endpoint: string;
  limits: CopyLimits;
}

export function makeContext(config: S3ArtifactsConfig): S3Context {
  const endpoint = checkEndpoint(config.endpoint);
  const ims = makeClient(config, config, config.sslValidate);
  const sts = config.sts && makeClient(config, config.sts, config.sts.sslValidate);
  return { ims, sts, endpoint, limits: copyLimits(config) };
}

function makeClient(
  config: S3ArtifactsConfig,
  credentials: { accessKeyId: string; secretAccessKey: string },
  sslValidate: boolean | string,
): S3Client {
  return new S3Client({
    endpoint: config.endpoint,
    region: config.region ?? "us-east-1",
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    forcePathStyle: true,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: config.maxAttempts ?? 3,
    // Options, not a handler instance: the SDK builds its Node handler (no extra dependency).
    requestHandler: {
      connectionTimeout: config.connectTimeoutMs,
      // An idle limit, not a total one: a 512 MiB part copy may legitimately take minutes.
      socketTimeout: config.readTimeoutMs,
      httpAgent: new HttpAgent({ keepAlive: true }),
      httpsAgent: httpsAgent(sslValidate),
    },
  });
}

/** Verified under Bun 1.4: node:https agent options (rejectUnauthorized, ca) are honoured. */
function httpsAgent(sslValidate: boolean | string): HttpsAgent {
  if (sslValidate === false) return new HttpsAgent({ keepAlive: true, rejectUnauthorized: false });
  if (sslValidate === true) return new HttpsAgent({ keepAlive: true });
  try {
    return new HttpsAgent({ keepAlive: true, ca: readFileSync(sslValidate) });
  } catch (e) {
    throw new ImsError("unavailable", `S3 CA bundle ${JSON.stringify(sslValidate)} cannot be read: ${(e as Error).message}`);
  }
}

function checkEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ImsError("unavailable", `S3 endpoint ${JSON.stringify(endpoint)} is not a URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ImsError("unavailable", `S3 endpoint ${JSON.stringify(endpoint)} must be http or https.`);
  }
  return endpoint;
}
