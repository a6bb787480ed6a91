// RS256 JSON Web Tokens for the local Cognito service: signing keys per pool (RSA-2048, made off the main thread, with a
// small in-memory reserve made ahead of need), signing off the main thread, and strict verification (RS256 only, known
// kid, valid signature, not expired) for the operations that take a token.
import { createPrivateKey, createPublicKey, generateKeyPair, sign, verify, type KeyObject } from "node:crypto";
import { newKid } from "./ids";
import { whenIdle } from "./idle-work";
import type { SigningKey } from "./model";

/** Makes a fresh RSA-2048 signing key (the RSA work runs on libuv's thread pool). */
export function generateSigningKey(): Promise<SigningKey> {
  return new Promise((resolve, reject) => {
    generateKeyPair("rsa", { modulusLength: 2048 }, (err, publicKey, privateKey) => {
      if (err) return reject(err);
      const jwk = publicKey.export({ format: "jwk" }) as { kty: string; n: string; e: string };
      resolve({
        kid: newKid(),
        privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
        publicJwk: { kty: jwk.kty, n: jwk.n, e: jwk.e },
      });
    });
  });
}

/** Keys made ahead of need and not yet given to anyone. Never written to disk: a key is durable once a pool owns it. */
const RESERVE_SIZE = 2;
const reserve: SigningKey[] = [];
let refilling: Promise<void> | undefined;
let fillScheduled = false;

/**
 * Fills the reserve of fresh keys in the background, once the service is idle (./idle-work.ts): two RSA keys cost
 * 100 to 500 ms of CPU, which a burst of requests right after CreateUserPool should not have to share. A key needed
 * before that is made on demand. No-op when the reserve is full or already filling.
 */
export function prepareSigningKeys(): void {
  if (fillScheduled) return;
  fillScheduled = true;
  whenIdle(() => {
    fillScheduled = false;
    fillReserve();
  });
}

function fillReserve(): void {
  if (refilling || reserve.length >= RESERVE_SIZE) return;
  refilling = (async () => {
    try {
      while (reserve.length < RESERVE_SIZE) {
        const missing = RESERVE_SIZE - reserve.length;
        reserve.push(...(await Promise.all(Array.from({ length: missing }, () => generateSigningKey()))));
      }
    } catch {
      // The reserve is an optimisation: a failure here only means the next key is made on demand.
    } finally {
      refilling = undefined;
    }
  })();
}

/**
 * A fresh signing key, from the reserve when it has one, else made now. Taking does not refill the reserve: the caller
 * does (`prepareSigningKeys`) when more keys will be needed soon (CreateUserPool, or other pools still without keys).
 */
export async function takeSigningKey(): Promise<SigningKey> {
  const key = reserve.shift();
  return key ?? generateSigningKey();
}

/** The JWKS entry of a key, as Cognito publishes it. */
export function jwkOf(key: SigningKey) {
  return { alg: "RS256", e: key.publicJwk.e, kid: key.kid, kty: "RSA", n: key.publicJwk.n, use: "sig" };
}

const privateKeys = new Map<string, KeyObject>();
const publicKeys = new Map<string, KeyObject>();

function privateKeyOf(key: SigningKey): KeyObject {
  let k = privateKeys.get(key.kid);
  if (!k) {
    k = createPrivateKey(key.privateKeyPem);
    privateKeys.set(key.kid, k);
  }
  return k;
}

function publicKeyOf(key: SigningKey): KeyObject {
  let k = publicKeys.get(key.kid);
  if (!k) {
    k = createPublicKey({ key: { ...key.publicJwk }, format: "jwk" });
    publicKeys.set(key.kid, k);
  }
  return k;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Signs `claims` with `key` (RS256). The RSA work runs on libuv's thread pool, so both cores can sign. */
export function signJwt(key: SigningKey, claims: Record<string, unknown>): Promise<string> {
  const signingInput = `${b64url({ kid: key.kid, alg: "RS256" })}.${b64url(claims)}`;
  return new Promise((resolve, reject) => {
    sign("sha256", Buffer.from(signingInput), privateKeyOf(key), (err, signature) => {
      if (err) return reject(err);
      resolve(`${signingInput}.${signature.toString("base64url")}`);
    });
  });
}

/** Why a token was refused. */
export type TokenProblem = "malformed" | "algorithm" | "unknown-key" | "signature" | "expired";

/** The decoded parts of a JWT, without any check. */
export function decodeJwt(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8")) as unknown;
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as unknown;
    if (!isObject(header) || !isObject(claims)) return undefined;
    return { header, claims };
  } catch {
    return undefined;
  }
}

/**
 * Verifies `token` against `key`: RS256, matching kid, signature and expiry. Returns its claims or the problem. No key
 * (a pool that never signed anything yet) means no token can be good.
 */
export function verifyJwt(token: string, key: SigningKey | undefined, nowSeconds: number): { claims: Record<string, unknown> } | { problem: TokenProblem } {
  const decoded = decodeJwt(token);
  if (!decoded) return { problem: "malformed" };
  if (decoded.header.alg !== "RS256") return { problem: "algorithm" };
  if (!key || decoded.header.kid !== key.kid) return { problem: "unknown-key" };
  const lastDot = token.lastIndexOf(".");
  const signature = Buffer.from(token.slice(lastDot + 1), "base64url");
  if (!verify("sha256", Buffer.from(token.slice(0, lastDot)), publicKeyOf(key), signature)) return { problem: "signature" };
  const exp = decoded.claims.exp;
  if (typeof exp !== "number" || exp <= nowSeconds) return { problem: "expired" };
  return { claims: decoded.claims };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
