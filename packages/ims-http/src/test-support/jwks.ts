/**
 * A real JWKS server on loopback (Bun.serve) and signing keys for auth tests: publish keys,
 * rotate them, take the server down (5xx) or away (connection refused), count its fetches, and
 * sign tokens with any key and any claims. Test-only.
 */
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from "jose";

export interface SigningKey {
  kid: string;
  alg: "RS256" | "ES256";
  privateKey: CryptoKey;
  jwk: JWK;
}

export async function signingKey(alg: SigningKey["alg"], kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, use: "sig", alg } };
}

export const ISSUER = "https://auth.test/realms/shasta";
export const AUDIENCE = "shasta";

/** A token signed with `key`: an hour of validity, the test issuer and audience, then `claims` over them. */
export function sign(key: SigningKey, claims: JWTPayload = {}, header: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 3600, ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT", ...header })
    .sign(key.privateKey);
}

/** Keycloak's shape: realm_access.roles. */
export const withRoles = (...roles: string[]): JWTPayload => ({ realm_access: { roles } });

export function jwksServer(initial: SigningKey[] = []) {
  let published = initial.map((k) => k.jwk);
  let status = 200;
  let body: string | undefined;
  let fetches = 0;
  const answer = () => {
    fetches++;
    if (status !== 200) return new Response("unavailable", { status });
    return body === undefined ? Response.json({ keys: published }) : new Response(body, { headers: { "content-type": "application/json" } });
  };
  let server: ReturnType<typeof Bun.serve> | undefined = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: answer });
  const port = server.port;
  return {
    url: `http://127.0.0.1:${port}/realms/shasta/protocol/openid-connect/certs`,
    /** Replaces the published keys (a rotation). */
    publish: (...keys: SigningKey[]) => void (published = keys.map((k) => k.jwk)),
    /** Answers this status instead of the keys (200: the keys again). */
    answerWith: (s: number) => void (status = s),
    /** Answers 200 with this text instead of the keys (undefined: the keys again). */
    answerText: (text: string | undefined) => void (body = text),
    get fetches() {
      return fetches;
    },
    /** Stops listening: fetches are refused. */
    stop: () => {
      server?.stop(true);
      server = undefined;
    },
    /** Listens again on the same port (when stopped). */
    restart: () => void (server ??= Bun.serve({ hostname: "127.0.0.1", port, fetch: answer })),
  };
}

export type JwksServer = ReturnType<typeof jwksServer>;
