// Verification of a user pool's ID tokens against its JWKS (./jwt.ts on node:crypto, keys cached per JWKS URL by
// ./jwks.ts), and reading the token from a request's headers. Used inflight by `caller()` (lib/inflight/caller.ts) on
// both targets and by the simulator's route guard (lib/sim/route-guard.ts); it imports no AWS SDK and no JWT library,
// so a guarded route's bundle stays small and its first request fast.
import { cachedKeySet, type KeySet } from "./jwks";
import { verifyRs256Jwt, type JwtClaims } from "./jwt";

/** Where a backend's Cognito lives (platform/client.w `CognitoConnection`). */
export interface CognitoConnection {
  readonly endpoint: string;
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly identityPoolId: string;
  readonly headerKey: string;
  /** The DNS suffix of the pool's AWS partition (`amazonaws.com`, `amazonaws.com.cn`, ...); absent means `amazonaws.com`. */
  readonly dnsSuffix?: string;
}

const DEFAULT_DNS_SUFFIX = "amazonaws.com";

/** The verified caller of a request (platform/backend.w `Caller`). */
export interface Caller {
  readonly sub: string;
  readonly username: string;
  readonly email?: string;
  readonly groups: string[];
  readonly claims: JwtClaims;
}

/** The key of a user pool in an identity pool's `Logins` map: `cognito-idp.<region>.<dns suffix>/<pool id>`. */
export function loginsKey(region: string, userPoolId: string, dnsSuffix: string = DEFAULT_DNS_SUFFIX): string {
  return `cognito-idp.${region}.${dnsSuffix || DEFAULT_DNS_SUFFIX}/${userPoolId}`;
}

/** The issuer (`iss`) of the pool's tokens: always the AWS URL, also for the local service. */
export function issuerOf(region: string, userPoolId: string, dnsSuffix: string = DEFAULT_DNS_SUFFIX): string {
  return `https://${loginsKey(region, userPoolId, dnsSuffix)}`;
}

/** Where the pool publishes its signing keys. */
export function jwksUrlOf(conn: Pick<CognitoConnection, "endpoint" | "region" | "userPoolId" | "dnsSuffix">): string {
  const base =
    conn.endpoint !== ""
      ? conn.endpoint.replace(/\/+$/, "")
      : `https://cognito-idp.${conn.region}.${conn.dnsSuffix || DEFAULT_DNS_SUFFIX}`;
  return `${base}/${conn.userPoolId}/.well-known/jwks.json`;
}

const jwksByUrl = new Map<string, KeySet>();

/** The key set published at `url`, fetched at first use and cached (with its keys) for the life of the process. */
export function keySet(url: string): KeySet {
  let set = jwksByUrl.get(url);
  if (!set) {
    set = cachedKeySet(url);
    jwksByUrl.set(url, set);
  }
  return set;
}

/** Why an ID token was refused. `expired` lets a caller answer as API Gateway does. */
export type TokenRejection = "missing" | "expired" | "invalid";

export type TokenCheck = { ok: true; claims: JwtClaims } | { ok: false; reason: TokenRejection };

/** The token in an auth header value: raw, or after a `Bearer ` prefix (any case). */
export function tokenFromHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const token = /^bearer\s+/i.test(trimmed) ? trimmed.replace(/^bearer\s+/i, "") : trimmed;
  return token === "" ? undefined : token;
}

/** The value of header `name` in `headers`, whatever the case of either. */
export function headerValue(headers: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const exact = headers[name];
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}

/** How long a verified token is trusted without checking its signature again (API Gateway caches 300 s). */
const VERIFIED_TTL_SECONDS = 300;
const VERIFIED_MAX_ENTRIES = 1000;

interface Verified {
  claims: JwtClaims;
  /** Epoch seconds after which the entry is checked again (never after the token's `exp`). */
  until: number;
  exp: number;
}

/** Tokens that passed verification, per pool and client: a repeated token costs a map lookup. */
const verified = new Map<string, Verified>();

function remember(key: string, claims: JwtClaims, now: number): void {
  if (verified.size >= VERIFIED_MAX_ENTRIES) verified.delete(verified.keys().next().value!);
  const exp = typeof claims.exp === "number" ? claims.exp : now;
  verified.set(key, { claims, exp, until: Math.min(exp, now + VERIFIED_TTL_SECONDS) });
}

/**
 * Verifies an ID token of the pool in `conn`: RS256 signature by a key of the pool's JWKS, issuer,
 * audience (the app client), `token_use` "id" and expiry. A token verified in the last five minutes is
 * trusted again until then (or its expiry), without a new signature check.
 */
export async function verifyIdToken(conn: CognitoConnection, token: string | undefined): Promise<TokenCheck> {
  if (!token) return { ok: false, reason: "missing" };
  const now = Math.floor(Date.now() / 1000);
  const key = `${conn.userPoolId}|${conn.clientId}|${token}`;
  const hit = verified.get(key);
  if (hit) {
    if (now < hit.until) return { ok: true, claims: hit.claims };
    verified.delete(key);
    if (now >= hit.exp) return { ok: false, reason: "expired" };
  }
  try {
    const payload = await verifyRs256Jwt(token, keySet(jwksUrlOf(conn)), {
      issuer: issuerOf(conn.region, conn.userPoolId, conn.dnsSuffix),
      audience: conn.clientId,
    });
    if (payload.token_use !== "id") return { ok: false, reason: "invalid" };
    remember(key, payload, now);
    return { ok: true, claims: payload };
  } catch (err) {
    return { ok: false, reason: (err as { code?: string }).code === "ERR_JWT_EXPIRED" ? "expired" : "invalid" };
  }
}

/** The caller described by verified ID token claims. */
export function callerOf(claims: JwtClaims): Caller {
  const groups = claims["cognito:groups"];
  const email = claims.email;
  return {
    sub: String(claims.sub ?? ""),
    username: String(claims["cognito:username"] ?? claims.sub ?? ""),
    ...(typeof email === "string" ? { email } : {}),
    groups: Array.isArray(groups) ? groups.map(String) : [],
    claims,
  };
}

