// The token endpoint (POST /oauth2/token): authorization_code (PKCE S256 or plain verified; codes single-use, five
// minutes, bound to the client and redirect_uri), refresh_token, and client_credentials (access token only, `sub` and
// `client_id` the client id, `scope` the granted custom scopes). Clients authenticate by HTTP Basic or in the body.
// Errors are RFC 6749's: invalid_request, invalid_client, invalid_grant, unauthorized_client, unsupported_grant_type,
// invalid_scope.
import { createHash, randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { RouteAnswer } from "../http-server";
import type { AppClientRecord, UserPoolRecord } from "../model";
import type { ServiceContext } from "../context";
import { customScopesOf } from "../operations/resource-servers";
import { CognitoError } from "../errors";
import { issueTokens, refreshSessionTokens, rotatesRefreshTokens } from "../sessions";
import { signJwt } from "../tokens";
import { oauthOf } from "./client-settings";
import type { OAuthTarget } from "./domain";
import { authenticateClient, formOf, json, oauthError, safeEqual } from "./http";
import { runtimeOf } from "./runtime";

const PKCE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** POST /oauth2/token. */
export async function tokenEndpoint(ctx: ServiceContext, target: OAuthTarget, method: string, headers: IncomingHttpHeaders, body: string): Promise<RouteAnswer> {
  if (method !== "POST") return oauthError("invalid_request", "The token endpoint takes POST requests.", 405, { allow: "POST" });
  if (!(headers["content-type"] ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    return oauthError("invalid_request", "The body must be application/x-www-form-urlencoded.");
  }
  const form = formOf(headers, body);
  const grantType = form.get("grant_type");
  if (!grantType) return oauthError("invalid_request", "grant_type is required.");
  const authenticated = authenticateClient(ctx, target.pool, headers, form);
  if ("error" in authenticated) return authenticated.error;
  const { client } = authenticated;
  const oauth = oauthOf(client);
  try {
    switch (grantType) {
      case "authorization_code":
        if (!oauth.enabled || !oauth.flows.includes("code")) return oauthError("unauthorized_client", "The client may not use the authorization code grant.");
        return await authorizationCodeGrant(ctx, target.pool, client, form);
      case "refresh_token":
        return await refreshTokenGrant(ctx, target.pool, client, form);
      case "client_credentials":
        if (!oauth.enabled || !oauth.flows.includes("client_credentials")) return oauthError("unauthorized_client", "The client may not use the client credentials grant.");
        return await clientCredentialsGrant(ctx, target.pool, client, form);
      default:
        return oauthError("unsupported_grant_type", `grant_type ${grantType} is not supported.`);
    }
  } finally {
    await ctx.state.commit();
  }
}

function pkceMatches(verifier: string, challenge: string, method: "S256" | "plain"): boolean {
  const derived = method === "S256" ? createHash("sha256").update(verifier).digest("base64url") : verifier;
  return safeEqual(derived, challenge);
}

async function authorizationCodeGrant(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, form: URLSearchParams): Promise<RouteAnswer> {
  const codeValue = form.get("code");
  const redirectUri = form.get("redirect_uri");
  if (!codeValue) return oauthError("invalid_request", "code is required.");
  if (!redirectUri) return oauthError("invalid_request", "redirect_uri is required.");
  // Taken at once: a code answers one request, even a failed one.
  const code = runtimeOf(ctx).codes.take(codeValue);
  if (!code || code.poolId !== pool.Id || code.clientId !== client.ClientId) return oauthError("invalid_grant", "The authorization code is invalid or has expired.");
  if (code.redirectUri !== redirectUri) return oauthError("invalid_grant", "redirect_uri does not match the authorization request.");
  if (code.codeChallenge !== undefined) {
    const verifier = form.get("code_verifier");
    if (!verifier || !PKCE_VERIFIER.test(verifier) || !pkceMatches(verifier, code.codeChallenge, code.codeChallengeMethod ?? "plain")) {
      return oauthError("invalid_grant", "code_verifier does not match the code_challenge.");
    }
  }
  const user = ctx.state.userByUsername(pool, code.username);
  if (!user || !user.enabled) return oauthError("invalid_grant", "The user can no longer sign in.");
  const tokens = await issueTokens(ctx, pool, client, user, undefined, code.authTime, undefined, { scope: code.scope, nonce: code.nonce });
  return json(200, {
    ...(tokens.IdToken ? { id_token: tokens.IdToken } : {}),
    access_token: tokens.AccessToken,
    refresh_token: tokens.RefreshToken,
    expires_in: tokens.ExpiresIn,
    token_type: "Bearer",
  });
}

async function refreshTokenGrant(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, form: URLSearchParams): Promise<RouteAnswer> {
  const refreshToken = form.get("refresh_token");
  if (!refreshToken) return oauthError("invalid_request", "refresh_token is required.");
  // The same checks and rotation (RefreshTokenRotation) as REFRESH_TOKEN_AUTH.
  let tokens;
  try {
    tokens = await refreshSessionTokens(ctx, pool, client, refreshToken, rotatesRefreshTokens(client));
  } catch (e) {
    if (e instanceof CognitoError) return oauthError("invalid_grant", e.message);
    throw e;
  }
  return json(200, {
    ...(tokens.IdToken ? { id_token: tokens.IdToken } : {}),
    access_token: tokens.AccessToken,
    ...(tokens.RefreshToken ? { refresh_token: tokens.RefreshToken } : {}),
    expires_in: tokens.ExpiresIn,
    token_type: "Bearer",
  });
}

async function clientCredentialsGrant(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, form: URLSearchParams): Promise<RouteAnswer> {
  const requested = (form.get("scope") ?? "").split(" ").filter((s) => s !== "");
  const issued = await issueClientCredentialsToken(ctx, pool, client, requested);
  if ("scopeProblem" in issued) return oauthError("invalid_scope", issued.scopeProblem);
  return json(200, { access_token: issued.accessToken, expires_in: issued.expiresIn, token_type: "Bearer" });
}

/**
 * The machine-to-machine access token of the client_credentials grant (also GetClientToken's): `requested` custom
 * scopes of the client (all of its custom scopes when none are requested), `sub` and `client_id` the client id.
 */
export async function issueClientCredentialsToken(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, requested: string[],
): Promise<{ accessToken: string; expiresIn: number } | { scopeProblem: string }> {
  const defined = customScopesOf(ctx, pool.Id);
  const allowed = oauthOf(client).scopes.filter((s) => defined.has(s));
  const unknown = requested.find((s) => !allowed.includes(s));
  if (unknown) return { scopeProblem: `The client may not request the scope ${unknown}.` };
  const scopes = requested.length ? [...new Set(requested)] : allowed;
  if (scopes.length === 0) return { scopeProblem: "The client has no custom scopes to grant." };
  const now = ctx.now();
  const accessToken = await signJwt((await ctx.poolKeys(pool)).accessTokenKey, {
    sub: client.ClientId,
    token_use: "access",
    scope: scopes.join(" "),
    auth_time: now,
    iss: ctx.issuer(pool.Id),
    exp: now + client.accessTokenSeconds,
    iat: now,
    version: 2,
    jti: randomUUID(),
    client_id: client.ClientId,
  });
  return { accessToken, expiresIn: client.accessTokenSeconds };
}
