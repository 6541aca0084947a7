/** IMS_AUTH_*: off unless the JWKS URL is set; lists, defaults and every mistake reported. */
import { expect, test } from "bun:test";
import { ConfigError, loadConfig } from "./index.ts";

const load = (env: Record<string, string>) => loadConfig(env, { cwd: "/srv/ims" });
const problems = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

test("off by default", () => {
  expect(load({}).auth).toBeUndefined();
});

test("the JWKS URL turns it on, with Keycloak's roles claim and CSM's role names", () => {
  expect(load({ IMS_AUTH_JWKS_URL: "https://kc/realms/shasta/protocol/openid-connect/certs" }).auth).toEqual({
    jwksUrl: "https://kc/realms/shasta/protocol/openid-connect/certs", issuers: [], audiences: [],
    rolesClaim: "realm_access.roles", readRole: "monitor-ro", adminRole: "admin",
  });
});

test("issuers and audiences are comma-separated lists; roles and the claim path can be set", () => {
  const auth = load({
    IMS_AUTH_JWKS_URL: "http://keycloak.services:8080/certs",
    IMS_AUTH_ISSUER: "https://api-gw-service-nmn.local/keycloak/realms/shasta, https://auth.cmn.site/keycloak/realms/shasta",
    IMS_AUTH_AUDIENCE: "shasta,,ims ",
    IMS_AUTH_ROLES_CLAIM: "resource_access.ims.roles",
    IMS_AUTH_READ_ROLE: "viewer", IMS_AUTH_ADMIN_ROLE: "operator", IMS_AUTH_JOB_ROLE: "ims-job",
  }).auth;
  expect(auth).toEqual({
    jwksUrl: "http://keycloak.services:8080/certs",
    issuers: ["https://api-gw-service-nmn.local/keycloak/realms/shasta", "https://auth.cmn.site/keycloak/realms/shasta"],
    audiences: ["shasta", "ims"], rolesClaim: "resource_access.ims.roles", readRole: "viewer", adminRole: "operator", jobRole: "ims-job",
  });
  expect(Object.isFrozen(auth)).toBe(true);
});

test("bad values are problems, all at once", () => {
  expect(problems({ IMS_AUTH_JWKS_URL: "keycloak/certs", IMS_AUTH_ROLES_CLAIM: "realm_access..roles", IMS_AUTH_ADMIN_ROLE: "the admin", IMS_AUTH_JOB_ROLE: "a b" })).toEqual([
    'IMS_AUTH_JOB_ROLE must be a role name without spaces, got "a b"',
    'IMS_AUTH_JWKS_URL must be an http:// or https:// URL, got "keycloak/certs"',
    'IMS_AUTH_ROLES_CLAIM must be a dot-separated claim path such as realm_access.roles, got "realm_access..roles"',
    'IMS_AUTH_ADMIN_ROLE must be a role name without spaces, got "the admin"',
  ]);
  expect(problems({ IMS_AUTH_JWKS_URL: "file:///etc/keys.json" })).toEqual(['IMS_AUTH_JWKS_URL must be an http:// or https:// URL, got "file:///etc/keys.json"']);
});

test("another IMS_AUTH_* without the JWKS URL is a problem: the operator means authentication to be on", () => {
  expect(problems({ IMS_AUTH_ISSUER: "https://kc", IMS_AUTH_ADMIN_ROLE: "root" })).toEqual([
    "IMS_AUTH_ISSUER, IMS_AUTH_ADMIN_ROLE are set but IMS_AUTH_JWKS_URL is not: authentication would be off",
  ]);
});
