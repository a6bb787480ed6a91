// A user pool's JSON Web Key Set as the token verifiers use it (./jwt.ts): fetched over node:http or node:https (not
// the global `fetch`, whose first use in a fresh process loads undici, about 80 ms: the simulator starts a process per
// guarded handler), its RSA signature keys imported with node:crypto. Refreshed as jose's remote key sets are: when
// older than ten minutes, and when a token names a key the set does not hold (at most every 30 seconds), so that a
// rotated key is picked up and forged `kid`s cause no stream of fetches.
import { createPublicKey, type KeyObject } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";

/** A JWKS entry, as Cognito publishes it (`kty`, `kid`, `use`, `alg`, `n`, `e`). */
export interface Jwk {
  readonly kty?: unknown;
  readonly kid?: unknown;
  readonly use?: unknown;
  readonly alg?: unknown;
  readonly key_ops?: unknown;
  readonly n?: unknown;
  readonly e?: unknown;
}

/** A JSON Web Key Set document. */
export interface Jwks {
  readonly keys: readonly Jwk[];
}

/** Finds the RS256 verification key named `kid`; rejects with code `ERR_JWKS_NO_MATCHING_KEY` when there is none. */
export type KeySet = (kid: string) => Promise<KeyObject>;

/** How long fetched keys are used before they are fetched again. */
const MAX_AGE_MS = 10 * 60_000;
/** Least time between two fetches caused by a key the set does not hold. */
const COOLDOWN_MS = 30_000;
/** How long a fetch may take. */
const TIMEOUT_MS = 5_000;
/** Largest JWKS document accepted (Cognito's is about 1 kB). */
const MAX_BYTES = 512 * 1024;
/** Smallest RSA modulus accepted, in bits (as jose and AWS require for RS256). */
const MIN_MODULUS_BITS = 2048;

/** An error with a code, as the verifiers classify them. */
export class KeySetError extends Error {
  constructor(readonly code: "ERR_JWKS_NO_MATCHING_KEY" | "ERR_JWKS_INVALID", message: string) {
    super(message);
    this.name = "KeySetError";
  }
}

/** GETs `url` and parses its JSON body; rejects on a status other than 200, a timeout, or an oversized body. */
export function fetchJwks(url: string): Promise<Jwks> {
  const client = url.startsWith("https:") ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { headers: { accept: "application/json" }, timeout: TIMEOUT_MS }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new KeySetError("ERR_JWKS_INVALID", `fetching the JWKS at ${url} answered ${res.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BYTES) req.destroy(new KeySetError("ERR_JWKS_INVALID", `the JWKS at ${url} is larger than ${MAX_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on("end", () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Jwks);
        } catch {
          reject(new KeySetError("ERR_JWKS_INVALID", `the JWKS at ${url} is not JSON`));
        }
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new KeySetError("ERR_JWKS_INVALID", `fetching the JWKS at ${url} timed out`)));
    req.on("error", reject);
  });
}

/** The RSA public key of `jwk` when it may verify RS256 signatures (RSA, for signatures, RS256 or no alg, 2048+ bits). */
function rs256KeyOf(jwk: Jwk): KeyObject | undefined {
  if (jwk.kty !== "RSA" || typeof jwk.n !== "string" || typeof jwk.e !== "string") return undefined;
  if (jwk.use !== undefined && jwk.use !== "sig") return undefined;
  if (jwk.alg !== undefined && jwk.alg !== "RS256") return undefined;
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes("verify"))) return undefined;
  try {
    const key = createPublicKey({ key: { kty: "RSA", n: jwk.n, e: jwk.e }, format: "jwk" });
    return (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_MODULUS_BITS ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The RS256 keys of a JWKS document by `kid`. A `kid` that two usable keys share maps to nothing: which one signed
 * is then unknowable, so its tokens are refused.
 */
export function rs256Keys(jwks: unknown): Map<string, KeyObject | undefined> {
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new KeySetError("ERR_JWKS_INVALID", "the JWKS has no keys array");
  const byKid = new Map<string, KeyObject | undefined>();
  for (const jwk of keys as Jwk[]) {
    if (!jwk || typeof jwk !== "object" || typeof jwk.kid !== "string") continue;
    const key = rs256KeyOf(jwk);
    if (!key) continue;
    byKid.set(jwk.kid, byKid.has(jwk.kid) ? undefined : key);
  }
  return byKid;
}

/** The key set at `url`, fetched at its first use and refreshed as the header says. */
export function cachedKeySet(url: string, fetchKeys: (url: string) => Promise<Jwks> = fetchJwks): KeySet {
  let keys: Map<string, KeyObject | undefined> | undefined;
  let fetchedAt = 0;
  let pending: Promise<void> | undefined;
  const reload = (): Promise<void> => {
    pending ??= fetchKeys(url)
      .then((jwks) => {
        keys = rs256Keys(jwks);
        fetchedAt = Date.now();
      })
      .finally(() => (pending = undefined));
    return pending;
  };
  const find = (kid: string): KeyObject => {
    const key = keys?.get(kid);
    if (!key) throw new KeySetError("ERR_JWKS_NO_MATCHING_KEY", `no RS256 key with kid ${JSON.stringify(kid)} in the JWKS`);
    return key;
  };
  return async (kid) => {
    if (!keys || Date.now() - fetchedAt >= MAX_AGE_MS) await reload();
    if (keys!.get(kid) || keys!.has(kid) || Date.now() - fetchedAt < COOLDOWN_MS) return find(kid);
    await reload();
    return find(kid);
  };
}
