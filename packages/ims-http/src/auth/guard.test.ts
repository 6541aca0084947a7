/**
 * Authentication through the real app, against a real JWKS server on loopback and tokens signed
 * here (RS256 and ES256): which tokens get in, which are refused and how (401 with a Bearer
 * challenge, 403), which routes need none, and what each role may do.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rig, type Rig } from "../test-support/app.ts";
import { AUDIENCE, ISSUER, jwksServer, sign, signingKey, withRoles, type JwksServer, type SigningKey } from "../test-support/jwks.ts";

let rsa: SigningKey;
let ec: SigningKey;
let jwks: JwksServer;
let r: Rig;
let keyId: string;

beforeAll(async () => {
  [rsa, ec] = await Promise.all([signingKey("RS256", "rsa-1"), signingKey("ES256", "ec-1")]);
  jwks = jwksServer([rsa, ec]);
  r = await rig({ auth: { jwksUrl: jwks.url, issuers: [ISSUER], audiences: [AUDIENCE, "other"], jobRole: "ims-job" } });
  keyId = (await r.ims.publicKeys.create({ name: "k", public_key: "ssh-ed25519 AAAA k@h" })).data.id;
});
afterAll(async () => {
  jwks.stop();
  await r.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const now = () => Math.floor(Date.now() / 1000);
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

/** The reply to GET /v3/public-keys with these headers. */
const list = (headers: Record<string, string>) => r.call("GET", "/v3/public-keys", undefined, headers);

async function refused401(headers: Record<string, string>, detail: string) {
  const res = await list(headers);
  expect({ status: res.status, type: res.headers.get("content-type"), detail: res.body.detail }).toEqual({
    status: 401, type: "application/problem+json", detail: expect.stringContaining(detail),
  });
  expect(res.body.title).toBe("Unauthorized");
  expect(res.headers.get("www-authenticate")).toStartWith('Bearer realm="ims"');
  return res;
}

describe("who gets in", () => {
  test("without a token: 401 with the bare Bearer challenge", async () => {
    const res = await refused401({}, "Authentication is required");
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="ims"');
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  test("health, /version and the OpenAPI document need no token", async () => {
    for (const path of ["/healthz/live", "/healthz/ready", "/version", "/openapi.json", "/openapi.yaml"]) {
      expect({ path, status: (await r.call("GET", path)).status }).toEqual({ path, status: 200 });
    }
  });

  test("RS256 and ES256 tokens with the admin role: reads and writes", async () => {
    for (const key of [rsa, ec]) {
      const token = await sign(key, withRoles("admin"));
      expect((await list(bearer(token))).status).toBe(200);
      const made = await r.call("POST", "/v3/public-keys", { name: key.alg, public_key: "ssh-ed25519 AAAA x@h" }, { ...bearer(token), "content-type": "application/json" });
      expect(made.status).toBe(201);
    }
  });

  test("a garbled Authorization header: 401 invalid_token", async () => {
    for (const header of ["Basic dXNlcjpwYXNz", "Bearer", "Bearer  ", "Bearer a b", "Token abc", "Bearer not-a-jwt", "Bearer a.b.c", "Bearer é"]) {
      const res = await list({ authorization: header });
      expect({ header, status: res.status }).toEqual({ header, status: 401 });
      expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
    }
  });

  test("expired, not yet valid, without expiry: 401 saying which", async () => {
    await refused401(bearer(await sign(rsa, { ...withRoles("admin"), exp: now() - 3600 })), "it has expired (exp)");
    await refused401(bearer(await sign(ec, { ...withRoles("admin"), nbf: now() + 3600 })), "it is not valid yet (nbf)");
    await refused401(bearer(await sign(rsa, { ...withRoles("admin"), exp: undefined })), "it has no expiry time (exp)");
    // Within the clock leeway (60 s) a token is still taken.
    expect((await list(bearer(await sign(rsa, { ...withRoles("admin"), exp: now() - 5 })))).status).toBe(200);
  });

  test("wrong issuer or audience: 401; any of the configured audiences is taken", async () => {
    await refused401(bearer(await sign(rsa, { ...withRoles("admin"), iss: "https://evil.test/realms/shasta" })), "issuer (iss)");
    await refused401(bearer(await sign(rsa, { ...withRoles("admin"), aud: "someone-else" })), "audience (aud)");
    expect((await list(bearer(await sign(ec, { ...withRoles("admin"), aud: ["x", "other"] })))).status).toBe(200);
  });

  test("wrong key, unknown key id, alg none, HMAC with the public key, tampered payload: 401", async () => {
    const impostor = await signingKey("RS256", "rsa-1"); // the published kid, another private key
    await refused401(bearer(await sign(impostor, withRoles("admin"))), "its signature does not verify");
    await refused401(bearer(await sign(await signingKey("ES256", "nobody"), withRoles("admin"))), 'no key of the JWKS fits it (kid "nobody"');

    const claims = { iss: ISSUER, aud: AUDIENCE, exp: now() + 3600, ...withRoles("admin") };
    await refused401(bearer(`${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`), "its algorithm is not accepted");
    const secret = new TextEncoder().encode(JSON.stringify(rsa.jwk));
    const hmac = await new (await import("jose")).SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: "rsa-1" }).sign(secret);
    await refused401(bearer(hmac), "its algorithm is not accepted");

    const reader = await sign(rsa, withRoles("monitor-ro"));
    const [head, , signature] = reader.split(".");
    const promoted = `${head}.${b64({ ...JSON.parse(Buffer.from(reader.split(".")[1]!, "base64url").toString()), ...withRoles("admin") })}.${signature}`;
    await refused401(bearer(promoted), "its signature does not verify");
  });
});

describe("what each role may do", () => {
  const as = async (...roles: string[]) => bearer(await sign(ec, withRoles(...roles)));
  const json = { "content-type": "application/json" };

  test("the read role reads; every write is a 403 that names the role it needs, and changes nothing", async () => {
    const h = await as("monitor-ro");
    expect((await r.call("GET", "/v3/public-keys", undefined, h)).status).toBe(200);
    expect((await r.call("GET", `/v3/public-keys/${keyId}`, undefined, h)).status).toBe(200);
    expect((await r.call("HEAD", "/v3/public-keys", undefined, h)).status).toBe(200);
    const before = await r.snapshot();
    for (const [method, path, body] of [
      ["POST", "/v3/public-keys", { name: "x", public_key: "ssh-ed25519 AAAA x@h" }],
      ["DELETE", `/v3/public-keys/${keyId}`, undefined],
      ["DELETE", "/public-keys", undefined],
      ["PATCH", `/v3/jobs/${keyId}`, { status: "error" }],
      ["POST", "/v3/jobs?dry_run=true", { job_type: "create" }],
    ] as const) {
      const res = await r.call(method, path, body, { ...h, ...json });
      expect({ method, path, status: res.status, type: res.headers.get("content-type") }).toEqual({ method, path, status: 403, type: "application/problem+json" });
      expect(res.body).toMatchObject({ title: "Forbidden", detail: `The token's roles (realm_access.roles) do not allow ${method} here: it needs admin${method === "PATCH" && path.includes("/jobs/") ? " or ims-job" : ""}.` });
      expect(res.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    }
    expect(await r.snapshot()).toBe(before);
  });

  test("the admin role may do everything", async () => {
    const h = await as("offline_access", "admin");
    const made = await r.call("POST", "/v3/public-keys", { name: "y", public_key: "ssh-ed25519 AAAA y@h" }, { ...h, ...json });
    expect(made.status).toBe(201);
    expect((await r.call("DELETE", `/v3/public-keys/${made.body.id}`, undefined, h)).status).toBe(204);
    expect((await r.call("PATCH", `/v3/jobs/${keyId}`, { status: "error" }, { ...h, ...json })).status).toBe(404);
  });

  test("the job role may PATCH a job (the pods' status reports) on every prefix, and nothing else", async () => {
    const h = await as("ims-job");
    for (const p of ["", "/v2", "/v3"]) {
      // Past the guard: the job does not exist.
      expect((await r.call("PATCH", `${p}/jobs/${keyId}`, { status: "error" }, { ...h, ...json })).status).toBe(404);
    }
    expect((await r.call("GET", `/v3/jobs/${keyId}`, undefined, h)).status).toBe(403);
    expect((await r.call("PATCH", `/v3/images/${keyId}`, { arch: "x86_64" }, { ...h, ...json })).status).toBe(403);
    expect((await r.call("POST", "/v3/jobs", { job_type: "create" }, { ...h, ...json })).status).toBe(403);
  });

  test("no role, or roles elsewhere in the token: 403", async () => {
    expect((await list(bearer(await sign(rsa, {})))).status).toBe(403);
    expect((await list(bearer(await sign(rsa, { roles: ["admin"], resource_access: { ims: { roles: ["admin"] } } })))).status).toBe(403);
    expect((await list(bearer(await sign(rsa, { realm_access: { roles: "admin" } })))).status).toBe(200);
  });
});

test("the roles claim path and role names are configurable", async () => {
  const other = await rig({ auth: { jwksUrl: jwks.url, rolesClaim: "resource_access.ims.roles", readRole: "viewer", adminRole: "operator" } });
  try {
    const token = (roles: string[]) => sign(rsa, { resource_access: { ims: { roles } } });
    expect((await other.call("GET", "/v3/images", undefined, bearer(await token(["viewer"])))).status).toBe(200);
    expect((await other.call("DELETE", "/v3/images", undefined, bearer(await token(["viewer"])))).status).toBe(403);
    expect((await other.call("DELETE", "/v3/images", undefined, bearer(await token(["operator"])))).status).toBe(204);
    expect((await other.call("GET", "/v3/images", undefined, bearer(await sign(rsa, withRoles("admin"))))).status).toBe(403);
  } finally {
    await other.close();
  }
});

test("off by default: no token needed, as upstream", async () => {
  const open = await rig();
  try {
    expect((await open.call("GET", "/v3/images")).status).toBe(200);
    expect((await open.call("DELETE", "/v3/images")).status).toBe(204);
  } finally {
    await open.close();
  }
});
