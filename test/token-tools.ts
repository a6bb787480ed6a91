// Test helper (a Wing extern): derives bad tokens from a real ID token, for the 401 tests. `forge` signs the
// same header and claims with a key the pool never had; `tamper` edits a claim and keeps the pool's signature.
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from "jose";

export async function forge(token: string): Promise<string> {
  const header = decodeProtectedHeader(token);
  const { privateKey } = await generateKeyPair("RS256");
  return new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: "RS256", kid: header.kid ?? "forged" }).sign(privateKey);
}

export async function tamper(token: string): Promise<string> {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  claims["cognito:groups"] = ["admins"];
  claims.exp = Number(claims.exp ?? 0) + 86_400;
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
}
