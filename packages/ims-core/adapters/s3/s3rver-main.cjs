// Node launcher for the test S3 server (see test-server.ts). It runs under Node, not Bun:
// s3rver's ListObjectsV2 continuation tokens need DES (--openssl-legacy-provider), which Bun lacks.
// Usage: node --openssl-legacy-provider s3rver-main.cjs '<json options>'
// Prints {"port":N} on stdout once listening; exits when stdin closes (the parent is gone).
// The data directory is the parent's temp dir: it is deleted when we stop.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const utils = require("@20minutes/s3rver/lib/utils");
patchWalk(); // before s3rver's store module loads and takes its own reference to walk()
const S3rver = require("@20minutes/s3rver");
const AWSAccount = require("@20minutes/s3rver/lib/models/account");
const v4 = require("@20minutes/s3rver/lib/signature/v4");

const options = JSON.parse(process.argv[2] || "{}");

// Extra key pairs (e.g. STS credentials) join the one built-in account.
for (const { accessKeyId, secretAccessKey } of options.extraKeys || []) {
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
}
// s3rver's GetObjectAcl is a stub that reports this account as owner: lets tests fake "STS".
if (options.aclOwnerId) AWSAccount.DUMMY_ACCOUNT.id = options.aclOwnerId;

const server = new S3rver({
  address: "127.0.0.1",
  port: 0, // the kernel picks a free port; we report it below
  silent: true,
  directory: options.directory,
  configureBuckets: (options.buckets || []).map((name) => ({ name })),
  ...(options.tls ? { key: fs.readFileSync(options.tls.key), cert: fs.readFileSync(options.tls.cert) } : {}),
});

// ---- Fixes for s3rver 5.0.0 bugs met with @aws-sdk/client-s3 3.11xx -----------------------

// 1. The SDK sends bucket-level requests (ListObjectsV2, ListMultipartUploads) to "/bucket/" and
//    signs that path; s3rver rebuilds it as "/bucket" and answers SignatureDoesNotMatch.
//    The raw path is remembered here and the slash put back when the signature is checked.
const RAW_PATH = "x-s3rver-launcher-raw-path";

// 2. Its XML answers escape values twice (he.escape, then fast-xml-parser 5.12's builder): a
//    listed key "a&b" came back as "a&amp;b". Every "&" in such a body comes from escaping,
//    so one level is undone on the way out.
server.middleware.unshift(async (ctx, next) => {
  ctx.req.headers[RAW_PATH] = ctx.path;
  await next();
  if (typeof ctx.body === "string" && ctx.body.startsWith("<?xml")) ctx.body = ctx.body.replaceAll("&amp;", "&");
});

// 3. It encodes query values for the signature with encodeURIComponent, leaving !'()* bare
//    where SigV4 (and the SDK) percent-encode them: a Prefix "a (1)" failed the check.
const getStringToSign = v4.getStringToSign;
v4.getStringToSign = (canonical, request) => {
  const raw = canonical.headers[RAW_PATH];
  const bucketOnly = typeof raw === "string" && /^\/[^/]+\/$/.test(raw) && `${canonical.uri}/` === raw;
  const querystring = canonical.querystring.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return getStringToSign({ ...canonical, uri: bucketOnly ? raw : canonical.uri, querystring }, request);
};

// 4. Listings follow its directory walk (strcmp of file names), not key order: "a/x" came
//    before "a-b", and the next page (which skips keys <= the last one) lost "a-b". The walk
//    below visits siblings in key order, a directory "d" counting as "d/".
function patchWalk() {
  const keyOf = (e) => (e.isDirectory() ? `${e.name}/` : e.name.replace(/\._S3rver_.*$/, ""));
  utils.walk = function* walk(dir, recurseFilter) {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    entries.sort((a, b) => Buffer.compare(Buffer.from(keyOf(a)), Buffer.from(keyOf(b))));
    for (const e of entries) {
      const filePath = path.posix.join(dir, e.name);
      if (!e.isDirectory()) yield filePath;
      else if (!recurseFilter || recurseFilter(filePath)) yield* walk(filePath, recurseFilter);
    }
  };
}

server.run().then(
  (address) => process.stdout.write(`${JSON.stringify({ port: address.port })}\n`),
  (err) => {
    process.stderr.write(`s3rver failed to start: ${err && err.stack}\n`);
    process.exit(1);
  },
);

// Stopped, or orphaned (stdin closes when the parent dies, even by SIGKILL): remove our data.
const quit = () => {
  if (options.directory) fs.rmSync(options.directory, { recursive: true, force: true });
  process.exit(0);
};
process.stdin.on("end", quit);
process.stdin.resume();
process.on("SIGTERM", quit);
