/**
 * S3 down or misbehaving must surface as ImsError "unavailable" within the configured timeouts,
 * never as a hang: a stopped server, a server that never answers, 5xx answers, an unknown host.
 */
import { afterAll, expect, test } from "bun:test";
import { imsErrorOf } from "../artifact-contract.ts";
import type { S3ArtifactsConfig } from "./config.ts";
import { openS3Artifacts, type S3ArtifactStore } from "./index.ts";
import { startS3Server } from "./test-server.ts";

const ref = { bucket: "ims", key: "recipes/r.tgz" };
const fast = (endpoint: string): S3ArtifactsConfig => ({
  endpoint,
  accessKeyId: "S3RVER",
  secretAccessKey: "S3RVER",
  sslValidate: false,
  connectTimeoutMs: 300,
  readTimeoutMs: 300,
  maxAttempts: 2,
});

/** Every call that talks to S3, with what each should fail like. */
const calls = (store: S3ArtifactStore): [string, () => Promise<unknown>][] => [
  ["head", () => store.head(ref)],
  ["read", () => store.read(ref, 100)],
  ["write", () => store.write(ref, "x", "text/plain")],
  ["copy", () => store.copy(ref, { ...ref, key: "deleted/recipes/r.tgz" })],
  ["remove", () => store.remove(ref)],
  ["list", async () => { for await (const _ of store.list("ims", "")); }],
  ["abortUploads", () => store.abortUploads(ref)],
];

async function expectUnavailable(store: S3ArtifactStore, endpoint: string, reason: RegExp, withinMs: number) {
  for (const [call, run] of calls(store)) {
    const started = performance.now();
    const err = await imsErrorOf(run);
    const ms = performance.now() - started;
    expect({ call, kind: err.kind }).toEqual({ call, kind: "unavailable" });
    expect(err.detail).toStartWith(`S3 at ${endpoint} is unavailable: `);
    expect(err.detail).toMatch(reason);
    expect({ call, fast: ms < withinMs }).toEqual({ call, fast: true });
  }
}

const stubs: { stop(force?: boolean): unknown }[] = [];
afterAll(() => stubs.forEach((s) => s.stop(true)));

test("a stopped S3 server: connection refused, unavailable at once", async () => {
  const server = await startS3Server({ buckets: ["ims"] });
  const store = await openS3Artifacts(fast(server.endpoint));
  await store.write(ref, "x", "text/plain"); // it was up
  await server.stop();
  await expectUnavailable(store, server.endpoint, /ECONNREFUSED/, 1500);
  // Presigning is local signing: it still works while S3 is down.
  expect(await store.presign(ref, 60)).toStartWith(`${server.endpoint}/ims/recipes/r.tgz?`);
  store.close();
});

test("a server that accepts connections but never answers: read timeout, not a hang", async () => {
  const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  stubs.push(silent);
  const endpoint = `http://127.0.0.1:${silent.port}`;
  const store = await openS3Artifacts({ ...fast(endpoint), readTimeoutMs: 200, maxAttempts: 1 });
  await expectUnavailable(store, endpoint, /timed out after 200 ms/, 1000);
  store.close();
});

test("a body that stalls midway: read timeout while reading", async () => {
  const stalling = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () =>
      new Response(
        new ReadableStream({
          start: (c) => c.enqueue(new TextEncoder().encode('{"version": "1.0", ')), // ... and nothing more
        }),
        { headers: { "content-length": "1000", "content-type": "application/json" } },
      ),
  });
  stubs.push(stalling);
  const endpoint = `http://127.0.0.1:${stalling.port}`;
  const store = await openS3Artifacts({ ...fast(endpoint), readTimeoutMs: 200, maxAttempts: 1 });
  const started = performance.now();
  const err = await imsErrorOf(() => store.read(ref, 10_000));
  expect(err.kind).toBe("unavailable");
  expect(err.detail).toMatch(/timed out/);
  expect(performance.now() - started).toBeLessThan(1000);
  store.close();
});

test("5xx answers are unavailable", async () => {
  const failing = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("<Error><Code>ServiceUnavailable</Code><Message>down for maintenance</Message></Error>", { status: 503 }) });
  stubs.push(failing);
  const endpoint = `http://127.0.0.1:${failing.port}`;
  const store = await openS3Artifacts({ ...fast(endpoint), maxAttempts: 1 });
  await expectUnavailable(store, endpoint, /503/, 1500);
  store.close();
});

test("an unknown host is unavailable", async () => {
  const endpoint = "http://ims-s3.invalid:8080";
  const store = await openS3Artifacts({ ...fast(endpoint), maxAttempts: 1 });
  const err = await imsErrorOf(() => store.head(ref));
  expect(err.kind).toBe("unavailable");
  expect(err.detail).toStartWith(`S3 at ${endpoint} is unavailable: `);
  store.close();
});

test("refused credentials are unavailable, with a message that says so", async () => {
  const server = await startS3Server({ buckets: ["ims"] });
  try {
    const store = await openS3Artifacts({ ...fast(server.endpoint), secretAccessKey: "wrong" });
    const err = await imsErrorOf(() => store.head(ref));
    expect(err.kind).toBe("unavailable");
    expect(err.detail).toContain("refused the IMS credentials");
    store.close();
  } finally {
    await server.stop();
  }
});
