/**
 * The signing keys from a JWKS URL. Fetched on first use and again when they are older than
 * maxKeyAgeMs, or when a token names a key id the set lacks (rotation) — at most once per
 * refetchIntervalMs, so a stream of bad tokens cannot hammer the key server. A fetch that fails
 * fails closed: the request answers 503; imported keys are kept per key and algorithm.
 */
import { importJWK, type JWK } from "jose";
import type { Logger } from "@ims/core";
import { invalidToken, keysUnavailable } from "./failures.ts";
import type { ResolvedAuth } from "./options.ts";

/** What each accepted algorithm needs of a key (kty, and the curve for EC and OKP). */
const KEY_FOR_ALG: Readonly<Record<string, { kty: string; crv?: string }>> = {
  RS256: { kty: "RSA" }, RS384: { kty: "RSA" }, RS512: { kty: "RSA" },
  PS256: { kty: "RSA" }, PS384: { kty: "RSA" }, PS512: { kty: "RSA" },
  ES256: { kty: "EC", crv: "P-256" }, ES384: { kty: "EC", crv: "P-384" }, ES512: { kty: "EC", crv: "P-521" },
  EdDSA: { kty: "OKP", crv: "Ed25519" }, Ed25519: { kty: "OKP", crv: "Ed25519" },
};
/** Asymmetric signatures only: never `none`, never HMAC (a public key must not become a shared secret). */
export const ACCEPTED_ALGORITHMS = Object.keys(KEY_FOR_ALG);

const fits = (jwk: JWK, alg: string, kid: string | undefined) => {
  const need = KEY_FOR_ALG[alg];
  if (!need || jwk.kty !== need.kty || (need.crv && jwk.crv !== need.crv)) return false;
  if (kid !== undefined && jwk.kid !== kid) return false;
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  if (jwk.use !== undefined && jwk.use !== "sig") return false;
  return jwk.key_ops === undefined || jwk.key_ops.includes("verify");
};

export class KeySet {
  #keys: JWK[] = [];
  #fetchedAt = -Infinity;
  #attemptedAt = -Infinity;
  #failure: string | undefined;
  #loading: Promise<void> | undefined;
  /** Per key object (a new fetch makes new objects) and algorithm. */
  readonly #imported = new WeakMap<JWK, Map<string, Promise<CryptoKey | Uint8Array>>>();
  /** Fetches made (successful or not): the rate bound is visible to tests and logs. */
  fetches = 0;

  constructor(
    private readonly options: Readonly<ResolvedAuth>,
    private readonly log: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The key a token signed with `alg` under `kid` must verify with; 401 or 503 (HttpProblem) otherwise. */
  async key(alg: string, kid: string | undefined): Promise<CryptoKey | Uint8Array> {
    if (this.now() - this.#fetchedAt > this.options.maxKeyAgeMs) await this.#refresh();
    let found = this.#keys.filter((k) => fits(k, alg, kid));
    if (!found.length && this.now() - this.#attemptedAt >= this.options.refetchIntervalMs) {
      await this.#refresh(); // perhaps rotated since the last fetch
      found = this.#keys.filter((k) => fits(k, alg, kid));
    }
    if (!found.length) throw invalidToken(`no key of the JWKS fits it (kid ${kid === undefined ? "absent" : JSON.stringify(kid)}, alg ${alg}).`);
    if (found.length > 1) throw invalidToken("it names no key id (kid) and several keys of the JWKS fit it.");
    return this.#import(found[0]!, alg);
  }

  #import(jwk: JWK, alg: string): Promise<CryptoKey | Uint8Array> {
    let byAlg = this.#imported.get(jwk);
    if (!byAlg) this.#imported.set(jwk, (byAlg = new Map()));
    let key = byAlg.get(alg);
    if (!key) {
      key = importJWK(jwk, alg).catch((e) => {
        byAlg.delete(alg);
        this.log.error("a JWKS key cannot be imported", { kid: jwk.kid, alg, error: (e as Error).message });
        throw keysUnavailable();
      });
      byAlg.set(alg, key);
    }
    return key;
  }

  /** One fetch at a time; after a failure, none again within the refetch interval. */
  #refresh(): Promise<void> {
    if (this.#loading) return this.#loading;
    if (this.#failure !== undefined && this.now() - this.#attemptedAt < this.options.refetchIntervalMs) return Promise.reject(keysUnavailable());
    this.#loading = this.#load().finally(() => (this.#loading = undefined));
    return this.#loading;
  }

  async #load(): Promise<void> {
    this.#attemptedAt = this.now();
    this.fetches++;
    try {
      const res = await fetch(this.options.jwksUrl, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(this.options.fetchTimeoutMs) });
      if (!res.ok) throw new Error(`answered ${res.status}`);
      const body = (await res.json().catch(() => undefined)) as { keys?: unknown } | undefined;
      if (!Array.isArray(body?.keys)) throw new Error("answered no JSON object with a keys list");
      this.#keys = body.keys.filter((k): k is JWK => typeof k === "object" && k !== null && typeof (k as JWK).kty === "string");
      this.#fetchedAt = this.#attemptedAt;
      if (this.#failure !== undefined) this.log.info("JWKS fetched again", { url: this.options.jwksUrl, keys: this.#keys.length });
      this.#failure = undefined;
    } catch (e) {
      this.#failure = (e as Error).message;
      this.log.error("JWKS cannot be fetched: every authenticated request answers 503", { url: this.options.jwksUrl, error: this.#failure });
      throw keysUnavailable();
    }
  }
}
