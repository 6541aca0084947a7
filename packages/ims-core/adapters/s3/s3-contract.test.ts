/** The shared contract against real S3 servers: s3rver (a Node process) and Ceph RGW. */
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { CONTRACT_BUCKETS, runArtifactContract } from "../artifact-contract.ts";
import { openS3Artifacts } from "./index.ts";
import { openTestS3, s3Config, s3Flavours } from "./test-s3.ts";

for (const flavour of s3Flavours()) {
  let sdk: S3Client;
  runArtifactContract(
    `S3 (${flavour})`,
    async () => {
      const server = await openTestS3(flavour, [...CONTRACT_BUCKETS]);
      const store = await openS3Artifacts(s3Config(server));
      sdk = server.client();
      return {
        store,
        async cleanup() {
          store.close();
          await server.stop();
        },
      };
    },
    {
      listKeys: 1005, // ListObjectsV2 pages hold 1000 keys: cross a page boundary
      atomicWrites: flavour !== "s3rver", // s3rver writes files in place; real S3 and RGW are atomic
      // As a job pod uploads an artifact: straight through the SDK, with x-amz-meta-md5sum.
      writeWithMetadata: async (ref, body, metadata) =>
        void (await sdk.send(new PutObjectCommand({ Bucket: ref.bucket, Key: ref.key, Body: body, Metadata: metadata }))),
    },
  );
}
