// Differential test of lib/inflight/jwt.ts against jose's `jwtVerify`: a corpus of tokens (forgeries, other algorithms,
// kid tricks, JWS extensions, non-canonical encodings, odd JSON, claim edge cases, short keys, valid tokens, and
// tokens issued by the local service) goes through both, and the answers must agree on accept or refuse. jwt.ts is
// driven as production drives it: through `verifyIdToken` (issuer, audience = the app client, token_use "id") and
// `verifyScopedAccessToken` (issuer, token_use "access", a scope), fetching the pool's JWKS over HTTP. jose gets
// `algorithms: ["RS256"]`, the same issuer and audience, a remote key set at the same URL, and the same token_use /
// scope check after it. Where the two disagree, jwt.ts must be the one that refuses, and the case says why that is
// right (`stricterBecause`). The clock is frozen for both; jwt.ts documents no clock tolerance, so jose gets none.
// Prints the table of outcomes.
import { after, before, describe, it, mock } from "node:test";
import assert from "node:assert/strict";
import { constants, createHmac, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import { AdminConfirmSignUpCommand, InitiateAuthCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { issuerOf, jwksUrlOf, verifyIdToken, type CognitoConnection } from "../../lib/inflight/id-token";
import { verifyScopedAccessToken } from "../../lib/inflight/access-token";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";

/** The frozen "now" of every verification, in epoch seconds. */
const NOW = Math.floor(Date.now() / 1000);
const REGION = "us-east-1";
const CLIENT_ID = "5differentialclient0000000";
const SCOPE = "orders/read";

/** Which verification a token goes through: an ID token check, or an access token check for `SCOPE`. */
type Check = "id" | "access";
/** Which key set the token is checked against: the corpus pool's, the single-key pool's, or the local service's. */
type Pool = "corpus" | "single-key" | "service";

interface Case {
  readonly name: string;
  readonly token: () => string;
  readonly check: Check;
  readonly pool: Pool;
  readonly expect: "accept" | "refuse";
  /** Why refusing is right where jose accepts (jose's answer may then differ from ours, never the other way). */
  readonly stricterBecause?: string;
}

interface Verdict {
  readonly accepted: boolean;
  readonly detail: string;
}

// ---- keys and the JWKS documents the test server publishes ----

const rsa = (bits: number) => generateKeyPairSync("rsa", { modulusLength: bits });
const good = rsa(2048);
const second = rsa(2048);
const unpublished = rsa(2048);
const short1024 = rsa(1024);
const duplicateA = rsa(2048);
const duplicateB = rsa(2048);
const encryptionOnly = rsa(2048);
const rs512Only = rsa(2048);
const single = rsa(2048);
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });

const jwk = (key: KeyObject, members: Record<string, string>) => ({ ...key.export({ format: "jwk" }), ...members });
const CORPUS_JWKS = {
  keys: [
    jwk(good.publicKey, { kid: "good", alg: "RS256", use: "sig" }),
    jwk(second.publicKey, { kid: "second", alg: "RS256", use: "sig" }),
    jwk(short1024.publicKey, { kid: "short-1024", alg: "RS256", use: "sig" }),
    jwk(duplicateA.publicKey, { kid: "duplicate", alg: "RS256", use: "sig" }),
    jwk(duplicateB.publicKey, { kid: "duplicate", alg: "RS256", use: "sig" }),
    jwk(encryptionOnly.publicKey, { kid: "encryption", use: "enc" }),
    jwk(rs512Only.publicKey, { kid: "rs512-only", alg: "RS512", use: "sig" }),
    jwk(ec.publicKey, { kid: "ec", alg: "ES256", use: "sig" }),
  ],
};
const SINGLE_JWKS = { keys: [jwk(single.publicKey, { kid: "single", alg: "RS256", use: "sig" })] };
const CORPUS_POOL = `${REGION}_Differential`;
const SINGLE_POOL = `${REGION}_SingleKey`;

// ---- token construction ----

type Signer = (signingInput: Buffer) => Buffer;
const rs256 = (key: KeyObject): Signer => (input) => sign("sha256", input, key);
const rs512 = (key: KeyObject): Signer => (input) => sign("sha512", input, key);
const ps256 = (key: KeyObject): Signer => (input) => sign("sha256", input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
const es256 = (key: KeyObject): Signer => (input) => sign("sha256", input, { key, dsaEncoding: "ieee-p1363" });
const hs256 = (secret: string | Buffer): Signer => (input) => createHmac("sha256", secret).update(input).digest();

/** base64url of a JSON value, or of raw JSON text / bytes given as such. */
const segment = (value: unknown): string =>
  Buffer.isBuffer(value) ? value.toString("base64url") : Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

/** `header.payload.signature`, the signature made by `signer` over the two segments exactly as given. */
function compact(header: string, payload: string, signer: Signer = rs256(good.privateKey)): string {
  return `${header}.${payload}.${signer(Buffer.from(`${header}.${payload}`, "latin1")).toString("base64url")}`;
}

const corpusIssuer = issuerOf(REGION, CORPUS_POOL);
const idClaims = (overrides: Record<string, unknown> = {}, issuer = corpusIssuer): Record<string, unknown> => ({
  sub: "6b3f8f5e-0000-4000-8000-000000000001", iss: issuer, aud: CLIENT_ID, token_use: "id", "cognito:username": "alice",
  auth_time: NOW - 60, iat: NOW - 60, exp: NOW + 3600, ...overrides,
});
const accessClaims = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  sub: "6b3f8f5e-0000-4000-8000-000000000001", iss: corpusIssuer, client_id: CLIENT_ID, token_use: "access", scope: SCOPE,
  iat: NOW - 60, exp: NOW + 3600, ...overrides,
});
const header = (members: Record<string, unknown> = {}) => segment({ alg: "RS256", kid: "good", ...members });
/** An ID token of the corpus pool signed by the good key, with `overrides` on its claims. */
const idToken = (overrides: Record<string, unknown> = {}) => compact(header(), segment(idClaims(overrides)));
/** The same, with the raw JSON text of the claims (duplicate keys, odd literals). */
const idTokenFromText = (json: string) => compact(header(), segment(json));
/** `claims` as a payload segment whose length modulo 4 is `remainder` (a filler claim is grown until it is). */
function payloadWithLength(claims: Record<string, unknown>, remainder: number): string {
  for (let filler = "";; filler += "x") {
    const encoded = segment({ ...claims, filler });
    if (encoded.length % 4 === remainder) return encoded;
  }
}
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** `encoded` with its last character's unused low bit set: the same bytes in a non-canonical spelling. */
function withTrailingBitSet(encoded: string): string {
  const last = ALPHABET.indexOf(encoded.at(-1)!);
  assert.ok(encoded.length % 4 !== 0 && (last & 1) === 0, "the segment has unused bits, all zero");
  return encoded.slice(0, -1) + ALPHABET[last | 1];
}
const [validHeader, validPayload, validSignature] = idToken().split(".") as [string, string, string];

// The NumericDate claims as JSON text: JSON has no Infinity, but 1e999 parses to it.
const withRawClaim = (claim: string, literal: string) => idTokenFromText(JSON.stringify(idClaims({ [claim]: "@" })).replace('"@"', literal));
const withoutClaim = (claim: string) => {
  const claims = idClaims();
  delete claims[claim];
  return compact(header(), segment(claims));
};

const NON_FINITE = "a NumericDate is a finite number (RFC 7519 §2); an infinite one would make the token valid forever or from the start of time";
const CANONICAL = "RFC 7515 §2 spells base64url without padding, in its own alphabet, with zero unused bits; any other spelling of the same bytes is not a token Cognito issued and makes tokens malleable";

const cases: Case[] = [
  // valid tokens both must accept
  { name: "valid ID token (good key)", token: () => idToken(), check: "id", pool: "corpus", expect: "accept" },
  { name: "valid ID token (second key)", token: () => compact(header({ kid: "second" }), segment(idClaims()), rs256(second.privateKey)), check: "id", pool: "corpus", expect: "accept" },
  { name: "valid ID token with typ JWT", token: () => compact(header({ typ: "JWT" }), segment(idClaims())), check: "id", pool: "corpus", expect: "accept" },
  { name: "valid access token with the scope", token: () => compact(header(), segment(accessClaims())), check: "access", pool: "corpus", expect: "accept" },
  { name: "valid ID token (single-key pool)", token: () => compact(segment({ alg: "RS256", kid: "single" }), segment(idClaims({}, issuerOf(REGION, SINGLE_POOL))), rs256(single.privateKey)), check: "id", pool: "single-key", expect: "accept" },

  // wrong keys
  { name: "signed by an unpublished key, kid good", token: () => compact(header(), segment(idClaims()), rs256(unpublished.privateKey)), check: "id", pool: "corpus", expect: "refuse" },
  { name: "signed by the second key, kid good", token: () => compact(header(), segment(idClaims()), rs256(second.privateKey)), check: "id", pool: "corpus", expect: "refuse" },
  { name: "payload changed after signing", token: () => `${validHeader}.${segment(idClaims({ "cognito:username": "mallory" }))}.${validSignature}`, check: "id", pool: "corpus", expect: "refuse" },
  { name: "signature of another token", token: () => `${validHeader}.${validPayload}.${idToken({ exp: NOW + 7200 }).split(".")[2]}`, check: "id", pool: "corpus", expect: "refuse" },

  // algorithms
  { name: "alg none, empty signature", token: () => `${segment({ alg: "none", kid: "good" })}.${validPayload}.`, check: "id", pool: "corpus", expect: "refuse" },
  { name: "alg none, RS256 signature kept", token: () => `${segment({ alg: "none", kid: "good" })}.${validPayload}.${validSignature}`, check: "id", pool: "corpus", expect: "refuse" },
  { name: "alg None (case)", token: () => compact(segment({ alg: "None", kid: "good" }), validPayload), check: "id", pool: "corpus", expect: "refuse" },
  { name: "HS256 keyed with the public key PEM", token: () => compact(segment({ alg: "HS256", kid: "good" }), validPayload, hs256(good.publicKey.export({ type: "spki", format: "pem" }) as string)), check: "id", pool: "corpus", expect: "refuse" },
  { name: "HS256 keyed with the public key DER", token: () => compact(segment({ alg: "HS256", kid: "good" }), validPayload, hs256(good.publicKey.export({ type: "spki", format: "der" }))), check: "id", pool: "corpus", expect: "refuse" },
  { name: "RS256 header, HS256 signature keyed with the PEM", token: () => compact(validHeader, validPayload, hs256(good.publicKey.export({ type: "spki", format: "pem" }) as string)), check: "id", pool: "corpus", expect: "refuse" },
  { name: "RS512 by the good key", token: () => compact(segment({ alg: "RS512", kid: "good" }), validPayload, rs512(good.privateKey)), check: "id", pool: "corpus", expect: "refuse" },
  { name: "RS256 header, RS512 signature", token: () => compact(validHeader, validPayload, rs512(good.privateKey)), check: "id", pool: "corpus", expect: "refuse" },
  { name: "PS256 by the good key", token: () => compact(segment({ alg: "PS256", kid: "good" }), validPayload, ps256(good.privateKey)), check: "id", pool: "corpus", expect: "refuse" },
  { name: "ES256 by a published EC key", token: () => compact(segment({ alg: "ES256", kid: "ec" }), validPayload, es256(ec.privateKey)), check: "id", pool: "corpus", expect: "refuse" },
  { name: "alg missing", token: () => compact(segment({ kid: "good" }), validPayload), check: "id", pool: "corpus", expect: "refuse" },
  { name: "alg as an array", token: () => compact(segment({ alg: ["RS256"], kid: "good" }), validPayload), check: "id", pool: "corpus", expect: "refuse" },

  // kid
  { name: "kid missing (several keys)", token: () => compact(segment({ alg: "RS256" }), validPayload), check: "id", pool: "corpus", expect: "refuse" },
  {
    name: "kid missing (single-key pool)", token: () => compact(segment({ alg: "RS256" }), segment(idClaims({}, issuerOf(REGION, SINGLE_POOL))), rs256(single.privateKey)), check: "id", pool: "single-key", expect: "refuse",
    stricterBecause: "Cognito always names the key; jose then tries the pool's only key, but a pool holds two keys once it rotates, and aws-jwt-verify and API Gateway require kid too",
  },
  { name: "kid unknown", token: () => compact(header({ kid: "nope" }), validPayload), check: "id", pool: "corpus", expect: "refuse" },
  { name: "kid a number", token: () => compact(header({ kid: 1 }), validPayload), check: "id", pool: "corpus", expect: "refuse" },
  { name: "kid shared by two JWKS keys (signed by the first)", token: () => compact(header({ kid: "duplicate" }), validPayload, rs256(duplicateA.privateKey)), check: "id", pool: "corpus", expect: "refuse" },
  { name: "kid shared by two JWKS keys (signed by the second)", token: () => compact(header({ kid: "duplicate" }), validPayload, rs256(duplicateB.privateKey)), check: "id", pool: "corpus", expect: "refuse" },
  { name: "kid of a use=enc key", token: () => compact(header({ kid: "encryption" }), validPayload, rs256(encryptionOnly.privateKey)), check: "id", pool: "corpus", expect: "refuse" },
  { name: "kid of a key published for RS512 only", token: () => compact(header({ kid: "rs512-only" }), validPayload, rs256(rs512Only.privateKey)), check: "id", pool: "corpus", expect: "refuse" },
  { name: "kid of the EC key, RS256 header", token: () => compact(header({ kid: "ec" }), validPayload, es256(ec.privateKey)), check: "id", pool: "corpus", expect: "refuse" },
  { name: "1024-bit RSA key (published)", token: () => compact(header({ kid: "short-1024" }), validPayload, rs256(short1024.privateKey)), check: "id", pool: "corpus", expect: "refuse" },
  { name: "1024-bit RSA key (unpublished, kid good)", token: () => compact(header(), validPayload, rs256(short1024.privateKey)), check: "id", pool: "corpus", expect: "refuse" },

  // JWS extensions
  {
    name: "b64 false without crit", token: () => compact(header({ b64: false }), validPayload), check: "id", pool: "corpus", expect: "refuse",
    stricterBecause: "RFC 7797 §6 makes a b64 header without crit listing it invalid; jose then reads the payload as encoded, jwt.ts refuses the contradiction",
  },
  { name: "b64 false with crit [b64]", token: () => compact(header({ b64: false, crit: ["b64"] }), validPayload), check: "id", pool: "corpus", expect: "refuse" },
  { name: "b64 false, unencoded payload", token: () => compact(header({ b64: false, crit: ["b64"] }), JSON.stringify(idClaims()).replaceAll(".", "")), check: "id", pool: "corpus", expect: "refuse" },
  {
    name: "b64 true with crit [b64]", token: () => compact(header({ b64: true, crit: ["b64"] }), validPayload), check: "id", pool: "corpus", expect: "refuse",
    stricterBecause: "jwt.ts understands no JWS extension and Cognito marks none critical (RFC 7515 §4.1.11 lets a verifier refuse crit it does not process)",
  },
  { name: "crit [exp]", token: () => compact(header({ crit: ["exp"], exp: NOW + 10 }), validPayload), check: "id", pool: "corpus", expect: "refuse" },
  { name: "crit [] (empty)", token: () => compact(header({ crit: [] }), validPayload), check: "id", pool: "corpus", expect: "refuse" },
  { name: "crit naming an unknown extension", token: () => compact(header({ crit: ["urn:x"], "urn:x": 1 }), validPayload), check: "id", pool: "corpus", expect: "refuse" },

  // encodings
  { name: "padded signature (==)", token: () => `${idToken()}==`, check: "id", pool: "corpus", expect: "refuse", stricterBecause: CANONICAL },
  { name: "padded payload (signed as padded)", token: () => { const p = payloadWithLength(idClaims(), 2); return compact(validHeader, `${p}==`); }, check: "id", pool: "corpus", expect: "refuse", stricterBecause: CANONICAL },
  { name: "signature: trailing bit set", token: () => { const [h, p, s] = idToken().split("."); return `${h}.${p}.${withTrailingBitSet(s!)}`; }, check: "id", pool: "corpus", expect: "refuse", stricterBecause: CANONICAL },
  { name: "payload: trailing bit set (signed so)", token: () => compact(validHeader, withTrailingBitSet(payloadWithLength(idClaims(), 2))), check: "id", pool: "corpus", expect: "refuse", stricterBecause: CANONICAL },
  { name: "header: trailing bit set (signed so)", token: () => compact(withTrailingBitSet(payloadWithLength({ alg: "RS256", kid: "good" }, 3)), validPayload), check: "id", pool: "corpus", expect: "refuse", stricterBecause: CANONICAL },
  { name: "payload with a dangling character (length 4n+1)", token: () => compact(validHeader, `${payloadWithLength(idClaims(), 0)}A`), check: "id", pool: "corpus", expect: "refuse" },
  { name: "signature with '+' and '/' (standard alphabet)", token: () => { const [h, p] = idToken().split("."); const s = rs256(good.privateKey)(Buffer.from(`${h}.${p}`)).toString("base64").replace(/=+$/, ""); return `${h}.${p}.${s}`; }, check: "id", pool: "corpus", expect: "refuse" },
  { name: "payload in the standard alphabet (signed so)", token: () => compact(validHeader, Buffer.from(JSON.stringify(idClaims({ nickname: "~~~???>>>" }))).toString("base64").replace(/=+$/, "")), check: "id", pool: "corpus", expect: "refuse" },
  { name: "space inside the payload (signed so)", token: () => compact(validHeader, `${validPayload.slice(0, 8)} ${validPayload.slice(8)}`), check: "id", pool: "corpus", expect: "refuse", stricterBecause: CANONICAL },
  { name: "newline inside the payload (signed so)", token: () => compact(validHeader, `${validPayload.slice(0, 8)}\n${validPayload.slice(8)}`), check: "id", pool: "corpus", expect: "refuse", stricterBecause: CANONICAL },
  { name: "leading space before the token", token: () => ` ${idToken()}`, check: "id", pool: "corpus", expect: "refuse" },
  { name: "invalid UTF-8 in a payload string", token: () => idTokenFromTextBytes(jsonWithBytes(idClaims({ nickname: "@" }), [0xff, 0xfe])), check: "id", pool: "corpus", expect: "refuse" },
  { name: "invalid UTF-8 in a header string", token: () => compact(segment(jsonWithBytes({ alg: "RS256", kid: "good", x: "@" }, [0xc3, 0x28])), validPayload), check: "id", pool: "corpus", expect: "refuse" },
  {
    name: "payload starting with a byte order mark", token: () => idTokenFromTextBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(idClaims()))])), check: "id", pool: "corpus", expect: "refuse",
    stricterBecause: "JSON text in a protocol carries no byte order mark (RFC 8259 §8.1); TextDecoder drops it for jose, jwt.ts keeps it and the JSON does not parse",
  },

  // segments
  { name: "four segments", token: () => `${idToken()}.${validSignature}`, check: "id", pool: "corpus", expect: "refuse" },
  { name: "five segments (JWE shape)", token: () => `${validHeader}.${validPayload}.${validPayload}.${validPayload}.${validSignature}`, check: "id", pool: "corpus", expect: "refuse" },
  { name: "two segments", token: () => `${validHeader}.${validPayload}`, check: "id", pool: "corpus", expect: "refuse" },
  { name: "trailing dot", token: () => `${idToken()}.`, check: "id", pool: "corpus", expect: "refuse" },
  { name: "empty payload segment", token: () => compact(validHeader, ""), check: "id", pool: "corpus", expect: "refuse" },

  // JSON shapes
  { name: "duplicate alg in header, last RS256", token: () => compact(segment('{"alg":"none","kid":"good","alg":"RS256"}'), validPayload), check: "id", pool: "corpus", expect: "accept" },
  { name: "duplicate alg in header, last none", token: () => compact(segment('{"alg":"RS256","kid":"good","alg":"none"}'), validPayload), check: "id", pool: "corpus", expect: "refuse" },
  { name: "duplicate kid in header, last unknown", token: () => compact(segment('{"alg":"RS256","kid":"good","kid":"nope"}'), validPayload), check: "id", pool: "corpus", expect: "refuse" },
  { name: "duplicate iss in payload, last right", token: () => idTokenFromText(JSON.stringify(idClaims()).replace("{", '{"iss":"https://evil.example",')), check: "id", pool: "corpus", expect: "accept" },
  { name: "duplicate iss in payload, last wrong", token: () => idTokenFromText(JSON.stringify(idClaims()).replace(/}$/, ',"iss":"https://evil.example"}')), check: "id", pool: "corpus", expect: "refuse" },
  { name: "duplicate exp in payload, last past", token: () => idTokenFromText(JSON.stringify(idClaims()).replace(/}$/, `,"exp":${NOW - 10}}`)), check: "id", pool: "corpus", expect: "refuse" },
  { name: "duplicate token_use, last access (ID check)", token: () => idTokenFromText(JSON.stringify(idClaims()).replace(/}$/, ',"token_use":"access"}')), check: "id", pool: "corpus", expect: "refuse" },
  { name: "payload is an array", token: () => idTokenFromText(JSON.stringify([idClaims()])), check: "id", pool: "corpus", expect: "refuse" },
  { name: "payload is a string", token: () => idTokenFromText(JSON.stringify(JSON.stringify(idClaims()))), check: "id", pool: "corpus", expect: "refuse" },
  { name: "payload is a number", token: () => idTokenFromText("42"), check: "id", pool: "corpus", expect: "refuse" },
  { name: "payload is null", token: () => idTokenFromText("null"), check: "id", pool: "corpus", expect: "refuse" },
  { name: "payload is true", token: () => idTokenFromText("true"), check: "id", pool: "corpus", expect: "refuse" },
  { name: "payload is not JSON", token: () => idTokenFromText("{iss: 1}"), check: "id", pool: "corpus", expect: "refuse" },
  { name: "header is an array", token: () => compact(segment([{ alg: "RS256", kid: "good" }]), validPayload), check: "id", pool: "corpus", expect: "refuse" },
  { name: "header is null", token: () => compact(segment("null"), validPayload), check: "id", pool: "corpus", expect: "refuse" },

  // exp
  { name: "exp now + 1", token: () => idToken({ exp: NOW + 1 }), check: "id", pool: "corpus", expect: "accept" },
  { name: "exp exactly now", token: () => idToken({ exp: NOW }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "exp now - 1", token: () => idToken({ exp: NOW - 1 }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "exp now + 0.5 (fractional)", token: () => idToken({ exp: NOW + 0.5 }), check: "id", pool: "corpus", expect: "accept" },
  { name: "exp now - 0.5 (fractional)", token: () => idToken({ exp: NOW - 0.5 }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "exp 0", token: () => idToken({ exp: 0 }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "exp negative", token: () => idToken({ exp: -1 }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "exp 1e300", token: () => withRawClaim("exp", "1e300"), check: "id", pool: "corpus", expect: "accept" },
  { name: "exp 1e999 (parses to Infinity)", token: () => withRawClaim("exp", "1e999"), check: "id", pool: "corpus", expect: "refuse", stricterBecause: NON_FINITE },
  { name: "exp -1e999 (parses to -Infinity)", token: () => withRawClaim("exp", "-1e999"), check: "id", pool: "corpus", expect: "refuse" },
  { name: "exp a numeric string", token: () => idToken({ exp: String(NOW + 3600) }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "exp null", token: () => idToken({ exp: null }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "exp true", token: () => idToken({ exp: true }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "exp an array", token: () => idToken({ exp: [NOW + 3600] }), check: "id", pool: "corpus", expect: "refuse" },
  {
    name: "exp missing", token: () => withoutClaim("exp"), check: "id", pool: "corpus", expect: "refuse",
    stricterBecause: "Cognito's tokens always expire; without exp jose accepts a token forever unless told requiredClaims, jwt.ts requires it",
  },

  // nbf
  { name: "nbf exactly now", token: () => idToken({ nbf: NOW }), check: "id", pool: "corpus", expect: "accept" },
  { name: "nbf now + 1", token: () => idToken({ nbf: NOW + 1 }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "nbf now + 0.5 (fractional)", token: () => idToken({ nbf: NOW + 0.5 }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "nbf now - 0.5 (fractional)", token: () => idToken({ nbf: NOW - 0.5 }), check: "id", pool: "corpus", expect: "accept" },
  { name: "nbf negative", token: () => idToken({ nbf: -1 }), check: "id", pool: "corpus", expect: "accept" },
  { name: "nbf 1e300", token: () => withRawClaim("nbf", "1e300"), check: "id", pool: "corpus", expect: "refuse" },
  { name: "nbf -1e999 (parses to -Infinity)", token: () => withRawClaim("nbf", "-1e999"), check: "id", pool: "corpus", expect: "refuse", stricterBecause: NON_FINITE },
  { name: "nbf a string", token: () => idToken({ nbf: String(NOW - 10) }), check: "id", pool: "corpus", expect: "refuse" },

  // iat (neither checks it against the clock: jwt.ts documents only its type, and jose only with maxTokenAge)
  { name: "iat exactly now", token: () => idToken({ iat: NOW }), check: "id", pool: "corpus", expect: "accept" },
  { name: "iat an hour ahead", token: () => idToken({ iat: NOW + 3600 }), check: "id", pool: "corpus", expect: "accept" },
  { name: "iat fractional", token: () => idToken({ iat: NOW - 0.25 }), check: "id", pool: "corpus", expect: "accept" },
  { name: "iat negative", token: () => idToken({ iat: -1 }), check: "id", pool: "corpus", expect: "accept" },
  { name: "iat 1e300", token: () => withRawClaim("iat", "1e300"), check: "id", pool: "corpus", expect: "accept" },
  { name: "iat 1e999 (parses to Infinity)", token: () => withRawClaim("iat", "1e999"), check: "id", pool: "corpus", expect: "refuse", stricterBecause: NON_FINITE },
  { name: "iat a string", token: () => idToken({ iat: String(NOW) }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "iat null", token: () => idToken({ iat: null }), check: "id", pool: "corpus", expect: "refuse" },

  // iss and aud
  { name: "iss of another pool", token: () => idToken({ iss: issuerOf(REGION, SINGLE_POOL) }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "iss with a trailing slash", token: () => idToken({ iss: `${corpusIssuer}/` }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "iss missing", token: () => withoutClaim("iss"), check: "id", pool: "corpus", expect: "refuse" },
  { name: "iss as an array", token: () => idToken({ iss: [corpusIssuer] }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "aud another client", token: () => idToken({ aud: "another-client" }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "aud array containing the client", token: () => idToken({ aud: ["another-client", CLIENT_ID] }), check: "id", pool: "corpus", expect: "accept" },
  { name: "aud array of the client only", token: () => idToken({ aud: [CLIENT_ID] }), check: "id", pool: "corpus", expect: "accept" },
  { name: "aud array without the client", token: () => idToken({ aud: ["another-client", "third-client"] }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "aud empty array", token: () => idToken({ aud: [] }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "aud nested array", token: () => idToken({ aud: [[CLIENT_ID]] }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "aud client id in other case", token: () => idToken({ aud: CLIENT_ID.toUpperCase() }), check: "id", pool: "corpus", expect: "refuse" },
  { name: "aud missing", token: () => withoutClaim("aud"), check: "id", pool: "corpus", expect: "refuse" },

  // token_use and scope, checked after verification on both sides
  { name: "ID token at the access check", token: () => idToken(), check: "access", pool: "corpus", expect: "refuse" },
  { name: "access token at the ID check", token: () => compact(header(), segment(accessClaims())), check: "id", pool: "corpus", expect: "refuse" },
  { name: "access token with aud, at the ID check", token: () => compact(header(), segment(accessClaims({ aud: CLIENT_ID }))), check: "id", pool: "corpus", expect: "refuse" },
  { name: "access token without the scope", token: () => compact(header(), segment(accessClaims({ scope: "orders/write" }))), check: "access", pool: "corpus", expect: "refuse" },
  { name: "access token expired", token: () => compact(header(), segment(accessClaims({ exp: NOW - 1 }))), check: "access", pool: "corpus", expect: "refuse" },
  { name: "access token of another issuer", token: () => compact(header(), segment(accessClaims({ iss: "https://evil.example" }))), check: "access", pool: "corpus", expect: "refuse" },
];

/** The JSON of `value` with its string "@" replaced by a string of the raw `bytes` (not necessarily UTF-8). */
function jsonWithBytes(value: Record<string, unknown>, bytes: number[]): Buffer {
  const [before, after] = JSON.stringify(value).split('"@"') as [string, string];
  return Buffer.concat([Buffer.from(`${before}"`), Buffer.from(bytes), Buffer.from(`"${after}`)]);
}

/** An ID token whose payload segment encodes `bytes` as they are (not necessarily UTF-8 or JSON). */
function idTokenFromTextBytes(bytes: Buffer): string {
  return compact(header(), segment(bytes));
}

// ---- the tokens the local service issues ----

const service: { t?: TestService; conn?: CognitoConnection; id?: string; access?: string; refreshedId?: string; refreshedAccess?: string } = {};
const SERVICE_SCOPE = "aws.cognito.signin.user.admin";
const flipLastSignatureByte = (token: string) => {
  const [h, p, s] = token.split(".") as [string, string, string];
  const bytes = Buffer.from(s, "base64url");
  bytes[bytes.length - 1]! ^= 1;
  return `${h}.${p}.${bytes.toString("base64url")}`;
};
const serviceCases: Case[] = [
  { name: "service: ID token (USER_PASSWORD_AUTH)", token: () => service.id!, check: "id", pool: "service", expect: "accept" },
  { name: "service: access token (USER_PASSWORD_AUTH)", token: () => service.access!, check: "access", pool: "service", expect: "accept" },
  { name: "service: ID token (REFRESH_TOKEN_AUTH)", token: () => service.refreshedId!, check: "id", pool: "service", expect: "accept" },
  { name: "service: access token (REFRESH_TOKEN_AUTH)", token: () => service.refreshedAccess!, check: "access", pool: "service", expect: "accept" },
  { name: "service: ID token at the access check", token: () => service.id!, check: "access", pool: "service", expect: "refuse" },
  { name: "service: access token at the ID check", token: () => service.access!, check: "id", pool: "service", expect: "refuse" },
  { name: "service: ID token, signature byte flipped", token: () => flipLastSignatureByte(service.id!), check: "id", pool: "service", expect: "refuse" },
  { name: "service: ID token, signed again by another key", token: () => { const [h, p] = service.id!.split(".") as [string, string]; return compact(h, p, rs256(unpublished.privateKey)); }, check: "id", pool: "service", expect: "refuse" },
];

// ---- the two verifiers ----

let jwksServer: http.Server;
let jwksBase = "";
const connection = (pool: Pool): CognitoConnection => {
  if (pool === "service") return service.conn!;
  return { endpoint: jwksBase, region: REGION, userPoolId: pool === "corpus" ? CORPUS_POOL : SINGLE_POOL, clientId: CLIENT_ID, identityPoolId: "", headerKey: "Authorization" };
};

/** Runs `work` with `Date` frozen at NOW, so that both verifiers (and jwt.ts's production wrappers) see the same clock. */
async function atNow<T>(work: () => Promise<T>): Promise<T> {
  mock.timers.enable({ apis: ["Date"], now: NOW * 1000 });
  try {
    return await work();
  } finally {
    mock.timers.reset();
  }
}

/** jwt.ts, as the route guard and caller() use it. */
async function oursVerdict(c: Case, token: string): Promise<Verdict> {
  const conn = connection(c.pool);
  const result = await atNow(() => (c.check === "id" ? verifyIdToken(conn, token) : verifyScopedAccessToken(conn, token, [c.pool === "service" ? SERVICE_SCOPE : SCOPE])));
  return result.ok ? { accepted: true, detail: "ok" } : { accepted: false, detail: result.reason };
}

const joseKeySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
/** jose's jwtVerify with the same issuer, audience and key set URL, then the same token_use / scope check. */
async function joseVerdict(c: Case, token: string): Promise<Verdict> {
  const conn = connection(c.pool);
  const url = jwksUrlOf(conn);
  if (!joseKeySets.has(url)) joseKeySets.set(url, createRemoteJWKSet(new URL(url)));
  let payload: JWTPayload;
  try {
    ({ payload } = await atNow(() => jwtVerify(token, joseKeySets.get(url)!, {
      algorithms: ["RS256"],
      issuer: issuerOf(conn.region, conn.userPoolId),
      ...(c.check === "id" ? { audience: conn.clientId } : {}),
    })));
  } catch (err) {
    return { accepted: false, detail: (err as { code?: string }).code ?? (err as Error).name };
  }
  if (payload.token_use !== c.check) return { accepted: false, detail: "token_use" };
  const scopes = typeof payload.scope === "string" ? payload.scope.split(" ") : [];
  if (c.check === "access" && !scopes.includes(c.pool === "service" ? SERVICE_SCOPE : SCOPE)) return { accepted: false, detail: "scope" };
  return { accepted: true, detail: "ok" };
}

// ---- the comparison ----

interface Outcome {
  readonly name: string;
  readonly ours: Verdict;
  readonly jose: Verdict;
  readonly justified: boolean;
}
const outcomes: Outcome[] = [];

async function compare(c: Case): Promise<void> {
  const token = c.token();
  const ours = await oursVerdict(c, token);
  const jose = await joseVerdict(c, token);
  outcomes.push({ name: c.name, ours, jose, justified: c.stricterBecause !== undefined });
  assert.equal(ours.accepted, c.expect === "accept", `jwt.ts should ${c.expect} (it answered ${ours.detail}; jose: ${jose.detail})`);
  if (ours.accepted !== jose.accepted) {
    assert.ok(!ours.accepted, `jwt.ts accepts a token jose refuses (${jose.detail})`);
    assert.ok(c.stricterBecause, `jwt.ts refuses a token jose accepts, and the case gives no reason why that is right`);
  }
}

function printTable(): void {
  const cell = (v: Verdict) => (v.accepted ? "accept" : `refuse (${v.detail})`);
  const width = Math.max(...outcomes.map((o) => o.name.length));
  const oursWidth = Math.max(...outcomes.map((o) => cell(o.ours).length));
  const joseWidth = Math.max(...outcomes.map((o) => cell(o.jose).length));
  const lines = outcomes.map((o) => {
    const agreement = o.ours.accepted === o.jose.accepted ? "agree" : o.ours.accepted ? "JWT.TS LAXER" : o.justified ? "jwt.ts stricter (justified)" : "jwt.ts stricter (NOT justified)";
    return `${o.name.padEnd(width)}  ${cell(o.ours).padEnd(oursWidth)}  ${cell(o.jose).padEnd(joseWidth)}  ${agreement}`;
  });
  const agree = outcomes.filter((o) => o.ours.accepted === o.jose.accepted).length;
  const accepted = outcomes.filter((o) => o.ours.accepted).length;
  const oursOnly = outcomes.filter((o) => o.ours.accepted && !o.jose.accepted).length;
  const joseOnly = outcomes.filter((o) => !o.ours.accepted && o.jose.accepted);
  console.log([
    `jwt.ts vs jose jwtVerify (${process.version}):`,
    `${"case".padEnd(width)}  ${"jwt.ts".padEnd(oursWidth)}  ${"jose".padEnd(joseWidth)}  agreement`,
    ...lines,
    `${outcomes.length} tokens: ${agree} answered alike, ${accepted} accepted by jwt.ts; ${joseOnly.length} refused by jwt.ts only ` +
      `(${joseOnly.filter((o) => o.justified).length} of them justified), ${oursOnly} accepted by jwt.ts only`,
  ].join("\n"));
}

describe("jwt.ts against jose's jwtVerify", () => {
  before(async () => {
    jwksServer = http.createServer((req, res) => {
      const documents: Record<string, unknown> = {
        [`/${CORPUS_POOL}/.well-known/jwks.json`]: CORPUS_JWKS,
        [`/${SINGLE_POOL}/.well-known/jwks.json`]: SINGLE_JWKS,
      };
      const document = documents[req.url ?? ""];
      res.writeHead(document ? 200 : 404, { "content-type": "application/json" }).end(JSON.stringify(document ?? {}));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
    jwksBase = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;

    const t = await startTestService();
    service.t = t;
    const { userPoolId, clientId } = await createPoolAndClient(t.idp);
    const password = "Differential-Pass-1!";
    await t.idp.send(new SignUpCommand({ ClientId: clientId, Username: "alice", Password: password, UserAttributes: [{ Name: "email", Value: "alice@example.com" }] }));
    await t.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: "alice" }));
    const signedIn = (await t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "alice", PASSWORD: password } }))).AuthenticationResult!;
    const refreshed = (await t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: signedIn.RefreshToken! } }))).AuthenticationResult!;
    Object.assign(service, {
      conn: { endpoint: t.url, region: t.service.region, userPoolId, clientId, identityPoolId: "", headerKey: "Authorization" },
      id: signedIn.IdToken, access: signedIn.AccessToken, refreshedId: refreshed.IdToken, refreshedAccess: refreshed.AccessToken,
    });
  });
  after(async () => {
    printTable();
    await service.t?.stop();
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  for (const c of [...cases, ...serviceCases]) it(c.name, () => compare(c));
});
