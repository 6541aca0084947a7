/**
 * A client that sends its whole body before it reads (as Python's http.client and urllib do)
 * still gets the 413 problem, over a real socket; far beyond the discard limit the connection
 * is closed instead, and the server goes on serving.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { rig, type Rig } from "../test-support/app.ts";
import { sendWhole as send } from "../test-support/socket.ts";
import { DISCARD_LIMIT_BYTES } from "./body.ts";

let r: Rig;
let port: number;
beforeAll(async () => {
  r = await rig({ maxBodyBytes: 1024 * 1024 });
  r.app.listen({ hostname: "127.0.0.1", port: 0 });
  port = r.app.server!.port!;
});
afterAll(async () => {
  await r.app.stop(true);
  await r.close();
});

const sendWhole = (headers: string, body: Uint8Array) => send(port, headers, body);

const body = (bytes: number) => new Uint8Array(bytes).fill(0x61);

test.each([2, 20, 60])("a %i MiB body sent whole gets its 413 problem", async (mib) => {
  const { reply, error } = await sendWhole(`Content-Length: ${mib * 1024 * 1024}\r\n`, body(mib * 1024 * 1024));
  expect(error).toBeUndefined();
  expect(reply).toStartWith("HTTP/1.1 413");
  expect(reply).toContain("The request body exceeds the limit of 1048576 bytes.");
});

test("a chunked body that grows past the limit gets its 413 too", async () => {
  const chunk = body(1024 * 1024);
  const frame = (c: Uint8Array) => Buffer.concat([Buffer.from(`${c.byteLength.toString(16)}\r\n`), c, Buffer.from("\r\n")]);
  const payload = Buffer.concat([...Array.from({ length: 16 }, () => frame(chunk)), Buffer.from("0\r\n\r\n")]);
  const { reply } = await sendWhole("Transfer-Encoding: chunked\r\n", payload);
  expect(reply).toStartWith("HTTP/1.1 413");
});

test("far beyond the discard limit the connection is cut, and the next request is served", async () => {
  const declared = DISCARD_LIMIT_BYTES * 4;
  const { reply, error } = await sendWhole(`Content-Length: ${declared}\r\n`, body(DISCARD_LIMIT_BYTES + 8 * 1024 * 1024));
  expect(reply === "" || reply.startsWith("HTTP/1.1 413") || error !== undefined).toBe(true);
  expect((await fetch(`http://127.0.0.1:${port}/v3/public-keys`)).status).toBe(200);
});
