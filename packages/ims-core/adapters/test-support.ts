/**
 * Test support for other packages' suites (`@ims/core/test-support`): real servers and stores to
 * test against, and the legacy data fixtures. Not part of the library's API.
 */
export * from "./test-databases.ts";
export { FakeKube, makeTestPki, writeKubeconfig, type TestPki } from "./kubernetes/test-server.ts";
export { startS3Server, type S3Server, type S3ServerOptions } from "./s3/test-server.ts";
export { sharedRgw, startRgw, type RgwServer } from "./s3/rgw-server.ts";
export { openTestS3, s3Config, s3Flavours, sdkClient, withSts, type S3Flavour, type S3Keys, type TestS3 } from "./s3/test-s3.ts";
export { writeFakeSsh } from "./ssh-probe/test-fake-ssh.ts";
export { IDS, expectedRecords, legacyFiles, legacyRecords } from "../src/migrate/test-fixtures.ts";
