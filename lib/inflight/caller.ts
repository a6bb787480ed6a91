// The verified caller of a request (platform/client.w `CallerVerifier`): the ID token in the request's auth header,
// checked against the pool's JWKS (./jwt.ts, on node:crypto). It imports no AWS SDK client and no JWT library, so a
// handler that only calls `auth.caller(req)` bundles a few kB (test/tfaws-bundle.test.ts measures it).
import { callerOf, headerValue, tokenFromHeader, verifyIdToken, type Caller, type CognitoConnection } from "./id-token";

/** The verified caller of a request with these headers, or undefined (nil in Wing). */
export async function _caller(
  conn: CognitoConnection,
  headers: Readonly<Record<string, string>> | undefined,
): Promise<Caller | undefined> {
  const check = await verifyIdToken(conn, tokenFromHeader(headerValue(headers, conn.headerKey)));
  return check.ok ? callerOf(check.claims) : undefined;
}
