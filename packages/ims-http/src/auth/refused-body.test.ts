/**
 * A client that sends its whole body before it reads (Python's http.client, urllib) gets its
 * 401 or 403 over a real socket, not a broken pipe: a refused request's body is read and dropped
 * up to the body limit (MAX_BODY_BYTES), no further.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { rig, type Rig } from "../test-support/app.ts";
import { sendWhole as send } from "../test-support/socket.ts";
import { jwksServer, sign, signingKey, withRoles, type JwksServer } from "../test-support/jwks.ts";

const LIMIT = 4 * 1024 * 1024;
let r: Rig;
let jwks: JwksServer;
let port: number;
let reader: string;
beforeAll(async () => {
  const key = await signingKey("ES256", "k");
  jwks = jwksServer([key]);
  reader = await sign(key, withRoles("monitor-ro"));
  r = await rig({ maxBodyBytes: LIMIT, auth: { jwksUrl: jwks.url } });
  r.app.listen({ hostname: "127.0.0.1", port: 0 });
  port = r.app.server!.port!;
});
afterAll(async () => {
  await r.app.stop(true);
  await r.close();
  jwks.stop();
});

const sendWhole = (headers: string, body: Uint8Array) => send(port, `Content-Length: ${body.byteLength}\r\n${headers}`, body);

const body = new Uint8Array(LIMIT).fill(0x61); // as large as the service takes

test("no token, a body at the limit sent whole: the 401 arrives", async () => {
  const { reply, error } = await sendWhole("", body);
  expect(error).toBeUndefined();
  expect(reply).toStartWith("HTTP/1.1 401");
  expect(reply).toContain("Authentication is required");
});

test("read-only token, a body at the limit sent whole: the 403 arrives", async () => {
  const { reply, error } = await sendWhole(`Authorization: Bearer ${reader}\r\n`, body);
  expect(error).toBeUndefined();
  expect(reply).toStartWith("HTTP/1.1 403");
});

test("a refused body over the limit is not read: the connection is cut, and the next request is served", async () => {
  const { reply, error } = await sendWhole("", new Uint8Array(10 * LIMIT));
  expect(reply === "" || reply.startsWith("HTTP/1.1 401") || error !== undefined).toBe(true);
  expect((await fetch(`http://127.0.0.1:${port}/healthz/live`)).status).toBe(200);
});
