// Strict verification of a user pool's RS256 JSON Web Tokens with node:crypto: compact JWS form only, each segment in
// canonical base64url (no padding, no other alphabet, unused bits zero) and its JSON in valid UTF-8, header `alg`
// exactly "RS256" (never "none", HMAC or another algorithm), no `crit` extensions, a signature by the pool's key named
// by `kid` (./jwks.ts), then the claims: a JSON object with the expected issuer (and audience, when given), a numeric
// finite `exp` in the future, and finite `nbf` / `iat` when present, `nbf` not in the future (no clock tolerance: an
// `exp` equal to now has expired, an `nbf` equal to now is valid; `iat` is not compared with the clock). The claims are
// read only after the signature checks out. It replaces jose here because a guarded route bundles and loads it at each
// simulator start: jose's 46 modules cost about 50 ms of bundling per handler and its first WebCrypto verification
// about 30 ms.
// test/unit/jwt-differential.test.ts checks that it refuses every token of its corpus that jose's `jwtVerify` refuses.
import { verify } from "node:crypto";
import type { KeySet } from "./jwks";

/** The claims of a verified token. */
export interface JwtClaims {
  readonly [claim: string]: unknown;
  readonly iss?: string;
  readonly sub?: string;
  readonly aud?: string | string[];
  readonly exp?: number;
  readonly nbf?: number;
  readonly iat?: number;
}

/** Why a token was refused: `ERR_JWT_EXPIRED` only for a well-signed token past its `exp`. */
export class JwtError extends Error {
  constructor(readonly code: "ERR_JWT_EXPIRED" | "ERR_JWT_INVALID", message: string) {
    super(message);
    this.name = "JwtError";
  }
}

/** What the token must carry besides a valid signature. */
export interface JwtExpectations {
  readonly issuer: string;
  /** The app client id, for ID tokens (`aud`); access tokens carry `client_id` instead and are checked by scope. */
  readonly audience?: string;
}

const COMPACT_JWS = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

function invalid(message: string): JwtError {
  return new JwtError("ERR_JWT_INVALID", message);
}

/** Decodes UTF-8 and refuses malformed bytes (as jose does) and a byte order mark (JSON text has none, RFC 8259). */
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The bytes of a base64url segment (the characters are checked by COMPACT_JWS). Only its canonical form is taken:
 * Node's decoder would also take a dangling sixth bit group or nonzero unused bits, so two strings could name the same
 * bytes.
 */
function bytesOf(segment: string, what: string): Buffer {
  const bytes = Buffer.from(segment, "base64url");
  if (bytes.toString("base64url") !== segment) throw invalid(`the ${what} is not canonical base64url`);
  return bytes;
}

/** The JSON object in a base64url segment, or an error. */
function jsonObjectOf(segment: string, what: string): Record<string, unknown> {
  const bytes = bytesOf(segment, what);
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(bytes));
  } catch {
    throw invalid(`the ${what} is not JSON`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw invalid(`the ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** Verifies `token` (see the header); resolves with its claims, rejects with a `JwtError` or the key set's error. */
export async function verifyRs256Jwt(token: string, keys: KeySet, expected: JwtExpectations, nowSeconds = Math.floor(Date.now() / 1000)): Promise<JwtClaims> {
  const parts = COMPACT_JWS.exec(token);
  if (!parts) throw invalid("not a compact JWS");
  const [, encodedHeader, encodedPayload, encodedSignature] = parts as unknown as [string, string, string, string];
  const header = jsonObjectOf(encodedHeader, "protected header");
  if (header.alg !== "RS256") throw invalid(`alg ${JSON.stringify(header.alg)} is not RS256`);
  if (header.crit !== undefined) throw invalid("crit header parameters are not supported");
  if (header.b64 !== undefined && header.b64 !== true) throw invalid("unencoded payloads are not supported");
  if (typeof header.kid !== "string") throw invalid("the header names no kid");
  const key = await keys(header.kid);
  const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`, "ascii");
  if (!verify("sha256", signed, key, bytesOf(encodedSignature, "signature"))) throw invalid("signature verification failed");

  const claims = jsonObjectOf(encodedPayload, "payload");
  if (claims.iss !== expected.issuer) throw invalid("unexpected iss");
  if (expected.audience !== undefined) {
    const aud = claims.aud;
    const matches = typeof aud === "string" ? aud === expected.audience : Array.isArray(aud) && aud.includes(expected.audience);
    if (!matches) throw invalid("unexpected aud");
  }
  for (const claim of ["exp", "nbf", "iat"] as const) {
    if (claims[claim] !== undefined && (typeof claims[claim] !== "number" || !Number.isFinite(claims[claim]))) throw invalid(`${claim} is not a number`);
  }
  if (claims.exp === undefined) throw invalid("the token has no exp");
  if (claims.nbf !== undefined && (claims.nbf as number) > nowSeconds) throw invalid("the token is not valid yet (nbf)");
  if ((claims.exp as number) <= nowSeconds) throw new JwtError("ERR_JWT_EXPIRED", "the token has expired");
  return claims as JwtClaims;
}
