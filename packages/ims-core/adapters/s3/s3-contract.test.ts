/** The shared contract against a real S3 server (s3rver in a Node process). */
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CONTRACT_BUCKETS, runArtifactContract } from "../artifact-contract.ts";
import { openS3Artifacts } from "./index.ts";
import { startS3Server } from "./test-server.ts";

runArtifactContract(
  "S3 (s3rver)",
  async () => {
    const server = await startS3Server({ buckets: [...CONTRACT_BUCKETS] });
    const store = await openS3Artifacts({ ...server, sslValidate: false, connectTimeoutMs: 2000, readTimeoutMs: 10_000 });
    sdk = new S3Client({
      endpoint: server.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      forcePathStyle: true,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    return {
      store,
      async cleanup() {
        store.close();
        sdk.destroy();
        await server.stop();
      },
    };
  },
  {
    listKeys: 1005, // ListObjectsV2 pages hold 1000 keys: cross a page boundary
    atomicWrites: false, // s3rver writes files in place; real S3 is atomic
    // As a job pod uploads an artifact: straight through the SDK, with x-amz-meta-md5sum.
    writeWithMetadata: async (ref, body, metadata) =>
      void (await sdk.send(new PutObjectCommand({ Bucket: ref.bucket, Key: ref.key, Body: body, Metadata: metadata }))),
  },
);

let sdk: S3Client;
