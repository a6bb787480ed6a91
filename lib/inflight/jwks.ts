// A user pool's JSON Web Key Set as the token verifiers use it: fetched over node:http or node:https (not the global
// `fetch`, whose first use in a fresh process loads undici, about 80 ms: the simulator's guarded routes start a
// process per handler), then handed to jose as a local key set. Refreshed as jose's remote key sets are: when older
// than ten minutes, and when a token names a key it does not hold (at most every 30 seconds), so a rotated key is
// picked up. Verification itself (algorithms, signature, claims) stays jose's.
import * as http from "node:http";
import * as https from "node:https";
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";

/** What `jwtVerify` takes as its key: picks the key for a token's protected header. */
export type KeySet = JWTVerifyGetKey;

/** How long fetched keys are used before they are fetched again. */
const MAX_AGE_MS = 10 * 60_000;
/** Least time between two fetches caused by a key the set does not hold. */
const COOLDOWN_MS = 30_000;
/** How long a fetch may take. */
const TIMEOUT_MS = 5_000;
/** Largest JWKS document accepted (Cognito's is about 1 kB). */
const MAX_BYTES = 512 * 1024;

/** GETs `url` and parses its JSON body; rejects on a status other than 200, a timeout, or an oversized body. */
export function fetchJwks(url: string): Promise<JSONWebKeySet> {
  const client = url.startsWith("https:") ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { headers: { accept: "application/json" }, timeout: TIMEOUT_MS }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`fetching the JWKS at ${url} answered ${res.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BYTES) req.destroy(new Error(`the JWKS at ${url} is larger than ${MAX_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on("end", () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as JSONWebKeySet);
        } catch {
          reject(new Error(`the JWKS at ${url} is not JSON`));
        }
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`fetching the JWKS at ${url} timed out`)));
    req.on("error", reject);
  });
}

/**
 * The key set at `url`, fetched at its first use. jose's `createLocalJWKSet` checks the document's shape and picks
 * the key (by `kid`, `kty`, `alg` and `use`); a token whose `kid` it does not hold makes it fetch again, at most every
 * 30 seconds, and tries once more.
 */
export function cachedKeySet(url: string, fetchKeys: (url: string) => Promise<JSONWebKeySet> = fetchJwks): KeySet {
  let local: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = 0;
  let pending: Promise<void> | undefined;
  const reload = (): Promise<void> => {
    pending ??= fetchKeys(url)
      .then((jwks) => {
        local = createLocalJWKSet(jwks);
        fetchedAt = Date.now();
      })
      .finally(() => (pending = undefined));
    return pending;
  };
  return async (protectedHeader, token) => {
    if (!local || Date.now() - fetchedAt >= MAX_AGE_MS) await reload();
    try {
      return await local!(protectedHeader, token);
    } catch (err) {
      if ((err as { code?: string }).code !== "ERR_JWKS_NO_MATCHING_KEY" || Date.now() - fetchedAt < COOLDOWN_MS) throw err;
      await reload();
      return local!(protectedHeader, token);
    }
  };
}
