/**
 * The signing keys: rotated keys are taken without a restart, refetches are bounded in rate (by
 * count of fetches, not time), and a key server that is down or away fails closed with 503 —
 * never lets a request through — and is used again once it is back.
 */
import { afterEach, beforeAll, expect, test } from "bun:test";
import type { AuthOptions } from "./options.ts";
import { rig, type Rig } from "../test-support/app.ts";
import { captureLogger } from "../test-support/logger.ts";
import { jwksServer, sign, signingKey, withRoles, type JwksServer, type SigningKey } from "../test-support/jwks.ts";

let old: SigningKey;
let fresh: SigningKey;
let jwks: JwksServer;
let r: Rig;
beforeAll(async () => {
  [old, fresh] = await Promise.all([signingKey("RS256", "2024"), signingKey("ES256", "2025")]);
});
afterEach(async () => {
  jwks.stop();
  await r.close();
});

async function start(auth: Partial<AuthOptions>, keys: SigningKey[] = [old]) {
  jwks = jwksServer(keys);
  const { lines, logger } = captureLogger();
  r = await rig({ auth: { jwksUrl: jwks.url, ...auth }, logger });
  return () => lines.map((l) => JSON.parse(l) as { level: string; msg: string });
}
const get = async (key: SigningKey, roles = withRoles("admin")) =>
  r.call("GET", "/v3/recipes", undefined, { authorization: `Bearer ${await sign(key, roles)}` });

test("a rotated key is fetched when a token names it; the retired one is refused; no restart", async () => {
  await start({ refetchIntervalMs: 0 });
  expect((await get(old)).status).toBe(200);
  expect((await get(fresh)).status).toBe(401); // not published yet
  jwks.publish(fresh); // rotation: the new key in, the old one out
  expect((await get(fresh)).status).toBe(200);
  const retired = await get(old);
  expect(retired.status).toBe(401);
  expect(retired.body.detail).toContain('no key of the JWKS fits it (kid "2024"');
});

test("unknown key ids refetch the JWKS at most once per interval: 30 bad tokens, one fetch", async () => {
  await start({ refetchIntervalMs: 600_000 });
  expect((await get(old)).status).toBe(200);
  expect(jwks.fetches).toBe(1);
  const strangers = await Promise.all(Array.from({ length: 30 }, (_, i) => signingKey("ES256", `stranger-${i}`)));
  const answers = await Promise.all(strangers.map((k) => get(k)));
  expect(answers.map((a) => a.status)).toEqual(Array(30).fill(401));
  expect(jwks.fetches).toBe(1);
  expect((await get(old)).status).toBe(200);
  expect(jwks.fetches).toBe(1);
});

test("concurrent first requests share one fetch", async () => {
  await start({});
  const answers = await Promise.all(Array.from({ length: 20 }, () => get(old)));
  expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
  expect(jwks.fetches).toBe(1);
});

test.each([
  ["answers 500", (s: JwksServer) => s.answerWith(500)],
  ["answers 404", (s: JwksServer) => s.answerWith(404)],
  ["answers no key list", (s: JwksServer) => s.answerText('{"kty": "RSA"}')],
  ["answers no JSON", (s: JwksServer) => s.answerText("<html>maintenance</html>")],
  ["is not listening", (s: JwksServer) => s.stop()],
])("a key server that %s: 503 problem, never let through; fine again once it is back", async (_what, breakIt) => {
  const logged = await start({ refetchIntervalMs: 0 });
  breakIt(jwks);
  const down = await get(old);
  expect({ status: down.status, type: down.headers.get("content-type") }).toEqual({ status: 503, type: "application/problem+json" });
  expect(down.body.detail).toBe("The token signing keys (JWKS) cannot be fetched, so no token can be checked; retry later.");
  expect(logged().some((l) => l.level === "error" && l.msg.startsWith("JWKS cannot be fetched"))).toBe(true);
  expect((await r.call("GET", "/v3/recipes")).status).toBe(401); // no token is still simply refused
  expect((await r.call("GET", "/healthz/ready")).status).toBe(200);
  jwks.answerWith(200);
  jwks.answerText(undefined);
  jwks.restart();
  expect((await get(old)).status).toBe(200);
});

test("after a failed fetch, none again within the interval: the key server is not hammered", async () => {
  await start({ refetchIntervalMs: 600_000 });
  jwks.answerWith(502);
  const answers = await Promise.all(Array.from({ length: 10 }, () => get(old)));
  expect(answers.map((a) => a.status)).toEqual(Array(10).fill(503));
  expect((await get(old)).status).toBe(503);
  expect(jwks.fetches).toBe(1);
});

test("keys past their age are fetched again before use; if that fails, 503 even for a key known before", async () => {
  await start({ maxKeyAgeMs: 0, refetchIntervalMs: 0 });
  expect((await get(old)).status).toBe(200);
  expect((await get(old)).status).toBe(200);
  expect(jwks.fetches).toBe(2);
  jwks.stop();
  expect((await get(old)).status).toBe(503);
});

test("known keys keep working while the key server is away, within their age", async () => {
  await start({ refetchIntervalMs: 600_000 });
  expect((await get(old)).status).toBe(200);
  jwks.stop();
  expect((await get(old)).status).toBe(200);
  expect((await get(fresh)).status).toBe(401); // an unknown key is not waited for within the interval
});
