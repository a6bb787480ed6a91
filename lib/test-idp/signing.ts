// The test identity provider's signing half: one RS256 key pair per run (node:crypto), its JWKS, compact JWS
// signing of ID tokens, the OIDC `at_hash`, and PKCE verification (RFC 7636, S256 and plain). Nothing here is shared
// with the Cognito service's own keys: the test IdP is another party, as Google or a company IdP would be.
import { createHash, generateKeyPair, randomBytes, sign, type KeyObject } from "node:crypto";
import { safeEqual } from "../service/oauth/http";

/** A signing key and its public JWK. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  /** The public key as a JWK with `kid`, `alg: RS256`, `use: sig`. */
  publicJwk: Record<string, unknown>;
}

/** A fresh 2048-bit RSA key (generated off the event loop). */
export async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await new Promise<{ privateKey: KeyObject; publicKey: KeyObject }>((resolve, reject) =>
    generateKeyPair("rsa", { modulusLength: 2048 }, (err, pub, priv) => (err ? reject(err) : resolve({ publicKey: pub, privateKey: priv }))),
  );
  const kid = randomBytes(12).toString("base64url");
  return { kid, privateKey, publicJwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" } };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** A compact RS256 JWS of `claims`. */
export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const input = `${b64url({ alg: "RS256", typ: "JWT", kid: key.kid })}.${b64url(claims)}`;
  return `${input}.${sign("sha256", Buffer.from(input), key.privateKey).toString("base64url")}`;
}

/** OIDC Core 3.1.3.6: the left half of the SHA-256 of the access token, base64url. */
export function accessTokenHash(accessToken: string): string {
  return createHash("sha256").update(accessToken).digest().subarray(0, 16).toString("base64url");
}

/** Whether `verifier` answers the PKCE `challenge` made with `method` (S256 or plain). */
export function pkceMatches(challenge: string, method: string, verifier: string): boolean {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  const expected = method === "S256" ? createHash("sha256").update(verifier).digest("base64url") : verifier;
  return safeEqual(expected, challenge);
}
