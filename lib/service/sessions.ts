// Sign-in sessions and the tokens they issue: RS256 ID and access tokens with Cognito's exact claims, opaque revocable
// refresh tokens, and the access-token check every token-taking operation runs (signature, expiry, use, revocation).
import { createHash, randomUUID } from "node:crypto";
import * as errors from "./errors";
import { newOpaqueToken, newTokenSessionId } from "./ids";
import type { AppClientRecord, SessionRecord, UserPoolRecord, UserRecord } from "./model";
import type { ServiceContext } from "./context";
import { createdAtMsOf, makeRoomForNewSession, sessionIdOf, touchSession } from "./session-tracking";
import { sha256 } from "./state";
import { decodeJwt, signJwt, verifyJwt } from "./tokens";
import { applyTokenOverrides, runPreTokenGeneration, type TokenSource } from "./trigger-hooks";

export interface AuthenticationResult {
  AccessToken: string;
  IdToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: "Bearer";
}

/** What the OAuth endpoints add to a sign-in's tokens (lib/service/oauth/token.ts). */
export interface OAuthTokenOptions {
  /** The granted scopes, space-separated: the access token's `scope`. An ID token is issued only with `openid`. */
  scope: string;
  /** The authorize request's `nonce`, echoed in the ID token. */
  nonce?: string;
}

/** What issues the tokens, for the PreTokenGeneration trigger. */
export interface TokenIssue {
  /**
   * The trigger source (without `TokenGeneration_`). Default: RefreshTokens with a session, HostedAuth for the OAuth
   * endpoints, else Authentication.
   */
  source?: TokenSource;
  clientMetadata?: Record<string, string>;
  /** For a rotated refresh token: the session it continues (its id and start are kept, nothing is evicted). */
  continues?: SessionRecord;
}

/**
 * Signs new ID and access tokens for `user`. Without `session` this is a new sign-in with a new refresh token
 * (`authTime` carries the original sign-in's time over when a rotated refresh token replaces an old one, or the hosted
 * page's sign-in time). With `oauth` (or for a session begun at the OAuth endpoints) the tokens carry the granted
 * scopes, `version: 2`, and the ID token `at_hash` and `nonce`, as the OAuth endpoints issue them. The
 * PreTokenGeneration trigger runs first, so a failing one leaves no session behind.
 */
export async function issueTokens(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, session?: SessionRecord, authTime?: number,
  /** For a new session: the tracked device it is bound to. */
  deviceKey?: string,
  /** What the OAuth endpoints add (see OAuthTokenOptions). */
  oauth?: OAuthTokenOptions,
  /** The PreTokenGeneration trigger's source and client metadata. */
  issue: TokenIssue = {},
): Promise<AuthenticationResult> {
  const scope = "aws.cognito.signin.user.admin";
  if (!oauth && session?.oauthScope !== undefined) oauth = { scope: session.oauthScope };
  const groupNames = [...ctx.state.groupNamesOf(pool.Id, user.username)];
  const source: TokenSource = issue.source ?? (session ? "RefreshTokens" : oauth ? "HostedAuth" : "Authentication");
  const overrides = ctx.triggers.has(pool, "PreTokenGeneration")
    ? await runPreTokenGeneration(ctx, pool, user, client.ClientId, source, groupNames, (oauth?.scope ?? scope).split(" ").filter(Boolean), issue.clientMetadata)
    : undefined;
  const now = ctx.now();
  let refreshToken: string | undefined;
  if (!session) {
    refreshToken = newOpaqueToken();
    const continued = issue.continues;
    // A new sign-in past the pool's MaxPerUser evicts the user's least recently used session (session tracking).
    if (!continued) makeRoomForNewSession(ctx, pool.Id, user.username);
    session = {
      sessionId: continued ? sessionIdOf(continued) : newTokenSessionId(),
      createdAtMs: continued ? createdAtMsOf(continued) : ctx.nowMs(),
      ...(continued ? { lastActiveAtMs: ctx.nowMs() } : {}),
      originJti: randomUUID(),
      userPoolId: pool.Id,
      clientId: client.ClientId,
      username: user.username,
      authTime: authTime ?? now,
      refreshTokenHash: sha256(refreshToken),
      refreshExpiresAt: now + client.refreshTokenSeconds,
      revoked: false,
      ...(oauth ? { oauthScope: oauth.scope } : {}),
      ...(deviceKey ? { deviceKey } : {}),
    };
    ctx.state.putSession(session);
  }
  const groups = groupNames;
  const eventId = randomUUID();
  const common = {
    sub: user.sub,
    ...(groups.length ? { "cognito:groups": groups } : {}),
    iss: ctx.issuer(pool.Id),
    origin_jti: session.originJti,
    event_id: eventId,
    auth_time: session.authTime,
    iat: now,
  };
  let idClaims: Record<string, unknown> = {
    ...common,
    ...userClaims(user),
    "cognito:username": user.username,
    aud: client.ClientId,
    token_use: "id",
    exp: now + client.idTokenSeconds,
    jti: randomUUID(),
  };
  let accessClaims: Record<string, unknown> = {
    ...common,
    client_id: client.ClientId,
    token_use: "access",
    scope,
    exp: now + client.accessTokenSeconds,
    jti: randomUUID(),
    username: user.username,
    ...(session.deviceKey ? { device_key: session.deviceKey } : {}),
  };
  const keys = await ctx.poolKeys(pool);
  if (oauth) {
    accessClaims.scope = oauth.scope;
    accessClaims.version = 2;
    if (oauth.nonce !== undefined) idClaims.nonce = oauth.nonce;
  }
  if (overrides) {
    idClaims = applyTokenOverrides(idClaims, overrides, "id");
    accessClaims = applyTokenOverrides(accessClaims, overrides, "access");
  }
  if (oauth) {
    const oauthAccessToken = await signJwt(keys.accessTokenKey, accessClaims);
    // at_hash: the left half of the access token's SHA-256, base64url (OpenID Connect Core 3.1.3.6).
    idClaims.at_hash = createHash("sha256").update(oauthAccessToken).digest().subarray(0, 16).toString("base64url");
    const oauthIdToken = oauth.scope.split(" ").includes("openid") ? await signJwt(keys.idTokenKey, idClaims) : "";
    return { AccessToken: oauthAccessToken, ExpiresIn: client.accessTokenSeconds, IdToken: oauthIdToken, ...(refreshToken ? { RefreshToken: refreshToken } : {}), TokenType: "Bearer" };
  }
  const [IdToken, AccessToken] = await Promise.all([signJwt(keys.idTokenKey, idClaims), signJwt(keys.accessTokenKey, accessClaims)]);
  return { AccessToken, ExpiresIn: client.accessTokenSeconds, IdToken, ...(refreshToken ? { RefreshToken: refreshToken } : {}), TokenType: "Bearer" };
}

/**
 * The user attributes as ID-token claims: `*_verified` as booleans, `identities` as the list of linked identities (with
 * `primary` and `dateCreated` as strings, as Cognito's ID tokens carry them), the rest as strings.
 */
function userClaims(user: UserRecord): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(user.attributes)) {
    if (name === "sub") continue;
    if (name === "identities") {
      const identities = identitiesClaim(value);
      if (identities) claims.identities = identities;
      continue;
    }
    claims[name] = name.endsWith("_verified") ? value === "true" : value;
  }
  return claims;
}

function identitiesClaim(attribute: string): Array<Record<string, unknown>> | undefined {
  let list: unknown;
  try {
    list = JSON.parse(attribute);
  } catch {
    return undefined;
  }
  if (!Array.isArray(list)) return undefined;
  return list.filter((i): i is Record<string, unknown> => !!i && typeof i === "object").map((i) => ({
    ...i,
    primary: String(i.primary ?? false),
    dateCreated: String(i.dateCreated ?? ""),
  }));
}

export interface VerifiedAccess {
  pool: UserPoolRecord;
  client: AppClientRecord;
  user: UserRecord;
  session: SessionRecord;
  claims: Record<string, unknown>;
}

/** Checks an access token the way Cognito does before any token-taking operation. Throws NotAuthorizedException. */
export function verifyAccessToken(ctx: ServiceContext, token: string): VerifiedAccess {
  const decoded = decodeJwt(token);
  const iss = decoded?.claims.iss;
  const poolId = typeof iss === "string" ? iss.slice(iss.lastIndexOf("/") + 1) : "";
  const pool = poolId ? ctx.state.pool(poolId) : undefined;
  if (!decoded || !pool || iss !== ctx.issuer(pool.Id)) throw errors.notAuthorized("Invalid Access Token");
  const result = verifyJwt(token, pool.accessTokenKey, ctx.now());
  if ("problem" in result) throw errors.notAuthorized(result.problem === "expired" ? "Access Token has expired" : "Invalid Access Token");
  const claims = result.claims;
  if (claims.token_use !== "access" || typeof claims.client_id !== "string" || typeof claims.username !== "string") throw errors.notAuthorized("Invalid Access Token");
  const client = ctx.state.client(claims.client_id);
  if (!client || client.UserPoolId !== pool.Id) throw errors.notAuthorized("Invalid Access Token");
  const session = typeof claims.origin_jti === "string" ? ctx.state.session(claims.origin_jti) : undefined;
  const user = ctx.state.userByUsername(pool, claims.username);
  if (!user || user.sub !== claims.sub) throw errors.notAuthorized("Access Token has been revoked");
  if (!user.enabled) throw errors.notAuthorized("User is disabled.");
  if (!session || session.revoked) throw errors.notAuthorized("Access Token has been revoked");
  return { pool, client, user, session, claims };
}

/** Revokes every session of a user and every access token issued so far (GlobalSignOut, AdminUserGlobalSignOut). */
export function signOutEverywhere(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord): void {
  for (const s of ctx.state.sessionsOf(pool.Id, user.username)) if (!s.revoked) ctx.state.putSession({ ...s, revoked: true });
}

/** True when the client rotates refresh tokens (RefreshTokenRotation.Feature ENABLED). */
export function rotatesRefreshTokens(client: AppClientRecord): boolean {
  return client.refreshTokenRotation?.Feature === "ENABLED";
}

/**
 * New tokens for a refresh token (REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken). With `rotate`, the answer carries
 * a new refresh token (a new session with the original sign-in time) and the presented one keeps answering only for
 * the client's RetryGracePeriodSeconds; without, the session's refresh token stays and no new one is returned.
 */
export async function refreshSessionTokens(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, refreshToken: string, rotate: boolean,
): Promise<AuthenticationResult> {
  const now = ctx.now();
  const session = ctx.state.sessionByRefreshToken(refreshToken);
  const owned = session && session.clientId === client.ClientId && session.userPoolId === pool.Id;
  const user = session && owned ? ctx.state.userByUsername(pool, session.username) : undefined;
  if (!session || !user) throw errors.notAuthorized("Invalid Refresh Token");
  // While the user is disabled that is what the answer says; AdminDisableUser has revoked the session for good anyway.
  if (!user.enabled) throw errors.notAuthorized("User is disabled.");
  if (session.revoked || session.refreshExpiresAt <= now || (session.refreshUsableUntil !== undefined && session.refreshUsableUntil <= now)) {
    throw errors.notAuthorized("Invalid Refresh Token");
  }
  if (!rotate) return issueTokens(ctx, pool, client, user, touchSession(ctx, session));
  const grace = client.refreshTokenRotation?.RetryGracePeriodSeconds ?? 0;
  const usableUntil = Math.min(session.refreshUsableUntil ?? Number.POSITIVE_INFINITY, now + grace);
  // With no grace period the old token is dead at once ("now" is not before "now").
  ctx.state.putSession({ ...session, refreshUsableUntil: usableUntil });
  return issueTokens(ctx, pool, client, user, undefined, session.authTime, session.deviceKey, session.oauthScope !== undefined ? { scope: session.oauthScope } : undefined, { source: "RefreshTokens", continues: session });
}
