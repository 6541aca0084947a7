/**
 * The service process with IMS_AUTH_JWKS_URL set, against a real JWKS server: the probes answer
 * without a token (start-up readiness is one), the API needs one, roles are applied.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jwksServer, sign, signingKey, withRoles, type JwksServer, type SigningKey } from "@ims/http/test-support";
import { startService, type ServiceProcess } from "../test-support/processes.ts";

const dir = mkdtempSync(join(tmpdir(), "ims-auth-e2e-"));
let jwks: JwksServer;
let key: SigningKey;
let service: ServiceProcess;
beforeAll(async () => {
  key = await signingKey("RS256", "site-key");
  jwks = jwksServer([key]);
  service = await startService({ DATABASE_URL: `sqlite:${join(dir, "ims.sqlite")}`, IMS_ARTIFACTS_DIR: join(dir, "artifacts"), IMS_AUTH_JWKS_URL: jwks.url });
});
afterAll(async () => {
  await service?.stop();
  jwks.stop();
  rmSync(dir, { recursive: true, force: true });
});

const call = async (method: string, path: string, roles?: string[]) => {
  const headers: Record<string, string> = roles ? { authorization: `Bearer ${await sign(key, withRoles(...roles))}` } : {};
  return fetch(`${service.base}${path}`, { method, headers });
};

test("probes and /version need no token; the API answers 401 without one, 200 with one", async () => {
  for (const path of ["/healthz/live", "/healthz/ready", "/version"]) expect((await call("GET", path)).status).toBe(200);
  const anonymous = await call("GET", "/v3/images");
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="ims"');
  expect((await call("GET", "/v3/images", ["monitor-ro"])).status).toBe(200);
  expect((await call("DELETE", "/v3/images", ["monitor-ro"])).status).toBe(403);
  expect((await call("DELETE", "/v3/images", ["admin"])).status).toBe(204);
});
