/** sslValidate against s3rver over HTTPS with a throwaway self-signed certificate. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { imsErrorOf } from "../artifact-contract.ts";
import { parseSslValidate } from "./config.ts";
import { openS3Artifacts } from "./index.ts";
import { startS3Server, type S3Server } from "./test-server.ts";

const openssl = Bun.which("openssl");
const ref = { bucket: "ims", key: "tls/check" };

describe.skipIf(!openssl)("TLS verification (sslValidate)", () => {
  let dir: string;
  let server: S3Server;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ims-s3-tls-"));
    const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
    const made = Bun.spawnSync([openssl!, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
      "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stderr: "pipe" });
    if (made.exitCode !== 0) throw new Error(`openssl failed: ${made.stderr}`);
    server = await startS3Server({ buckets: ["ims"], tls: { key, cert } });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const open = (sslValidate: boolean | string) =>
    openS3Artifacts({ ...server, sslValidate, connectTimeoutMs: 2000, readTimeoutMs: 5000, maxAttempts: 1 });

  test("false: no verification, the self-signed server is accepted", async () => {
    const store = await open(false);
    expect(server.endpoint).toStartWith("https://");
    await store.write(ref, "over tls", "text/plain");
    expect((await store.head(ref))?.size).toBe(8);
    store.close();
  });

  test("a CA bundle path that holds the certificate: accepted", async () => {
    const store = await open(join(dir, "cert.pem"));
    expect((await store.head(ref))?.size).toBe(8);
    store.close();
  });

  test("true (system CAs): the self-signed certificate is refused as unavailable", async () => {
    const store = await open(true);
    const err = await imsErrorOf(() => store.head(ref));
    expect(err.kind).toBe("unavailable");
    expect(err.detail).toMatch(/self.signed/i);
    store.close();
  });

  test("an unreadable CA bundle fails at open", async () => {
    const err = await imsErrorOf(() => open(join(dir, "missing.pem")));
    expect(err.kind).toBe("unavailable");
    expect(err.detail).toContain("missing.pem");
  });
});

test("parseSslValidate reads S3_SSL_VALIDATE as upstream does", () => {
  for (const off of [undefined, "", "False", "off", "NO", "f", "0"]) expect(parseSslValidate(off)).toBe(false);
  for (const on of ["True", "on", "yes", "t", "1"]) expect(parseSslValidate(on)).toBe(true);
  expect(parseSslValidate("/etc/ssl/ca.pem")).toBe("/etc/ssl/ca.pem");
});
