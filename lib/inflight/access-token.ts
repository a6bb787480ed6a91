// Verification of a user pool's access tokens for scope-protected routes, with API Gateway's semantics: RS256 by a key
// of the pool's JWKS, the pool's issuer, `token_use` "access", not expired, and a `scope` claim that holds at least one
// of the route's scopes. Used by the simulator's route guard; imports no JWT library (./jwt.ts).
import { verifyRs256Jwt } from "./jwt";
import { issuerOf, jwksUrlOf, keySet, type CognitoConnection, type TokenRejection } from "./id-token";

export type ScopeCheck = { ok: true } | { ok: false; reason: TokenRejection };

/** Checks that `token` is a valid access token of the pool in `conn` carrying one of `scopes`. */
export async function verifyScopedAccessToken(conn: CognitoConnection, token: string | undefined, scopes: readonly string[]): Promise<ScopeCheck> {
  if (!token) return { ok: false, reason: "missing" };
  try {
    const payload = await verifyRs256Jwt(token, keySet(jwksUrlOf(conn)), { issuer: issuerOf(conn.region, conn.userPoolId) });
    if (payload.token_use !== "access") return { ok: false, reason: "invalid" };
    const granted = typeof payload.scope === "string" ? payload.scope.split(" ") : [];
    if (!scopes.some((s) => granted.includes(s))) return { ok: false, reason: "invalid" };
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: (err as { code?: string }).code === "ERR_JWT_EXPIRED" ? "expired" : "invalid" };
  }
}
