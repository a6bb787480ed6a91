// The tokens an identity pool accepts in its Logins map, checked the way Cognito does: ID tokens of a local user pool
// (signature, issuer, token_use, aud among the pool's configured client ids, expiry, user still there and enabled), and
// this service's own OpenID tokens (GetOpenIdToken*), signed with one service-wide key kept in the durable store.
import * as errors from "./errors";
import type { ServiceContext } from "./context";
import type { IdentityPoolRecord, SigningKey, UserPoolRecord, UserRecord } from "./model";
import { decodeJwt, generateSigningKey, verifyJwt } from "./tokens";

/** Logins key of the developer-authenticated flow, whose value is a token from GetOpenIdTokenForDeveloperIdentity. */
export const COGNITO_IDENTITY_PROVIDER = "cognito-identity.amazonaws.com";
/** `iss` of the OpenID tokens this service signs, as on AWS. */
export const OPENID_ISSUER = "https://cognito-identity.amazonaws.com";

/** A Logins entry that passed every check. */
export interface VerifiedUserPoolLogin {
  kind: "user-pool";
  /** `cognito-idp.<region>.amazonaws.com/<poolId>` */
  providerName: string;
  /** What identifies the user to the identity pool: `<providerName>|<sub>`. */
  login: string;
  pool: UserPoolRecord;
  user: UserRecord;
  clientId: string;
  claims: Record<string, unknown>;
}

/** A token of this service (GetOpenIdToken*) naming an identity of the pool. */
export interface VerifiedOpenIdLogin {
  kind: "open-id";
  providerName: typeof COGNITO_IDENTITY_PROVIDER;
  identityId: string;
  authenticated: boolean;
  claims: Record<string, unknown>;
}

export type VerifiedLogin = VerifiedUserPoolLogin | VerifiedOpenIdLogin;

const USER_POOL_PROVIDER = /^cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/([\w-]+_[0-9a-zA-Z]+)$/;

const invalidLogin = (detail: string) => errors.notAuthorized(`Invalid login token. ${detail}`);

/** The identity pool's Logins key for a local user pool. */
export function userPoolProviderName(region: string, userPoolId: string): string {
  return `cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/**
 * Checks one Logins entry of a request to `identityPool`. A user pool provider must be configured on the identity pool;
 * the developer flow's `cognito-identity.amazonaws.com` token is accepted only where `allowOpenIdToken` says so.
 * Throws NotAuthorizedException like AWS.
 */
export function verifyLogin(ctx: ServiceContext, identityPool: IdentityPoolRecord, providerName: string, token: string, allowOpenIdToken: boolean): VerifiedLogin {
  if (providerName === COGNITO_IDENTITY_PROVIDER && allowOpenIdToken) return verifyOpenIdLogin(ctx, identityPool, token);
  if (!USER_POOL_PROVIDER.test(providerName)) throw errors.notAuthorized("Token is not from a supported provider of this identity pool.");
  return verifyIdTokenLogin(ctx, identityPool, providerName, token);
}

/** Checks an ID token of a local user pool against the identity pool's CognitoIdentityProviders. */
export function verifyIdTokenLogin(ctx: ServiceContext, identityPool: IdentityPoolRecord, providerName: string, token: string): VerifiedUserPoolLogin {
  const configured = identityPool.CognitoIdentityProviders.filter((p) => p.ProviderName === providerName);
  if (configured.length === 0) throw errors.notAuthorized("Token is not from a supported provider of this identity pool.");
  const match = USER_POOL_PROVIDER.exec(providerName);
  const pool = match ? ctx.state.pool(match[2]) : undefined;
  const decoded = decodeJwt(token);
  if (!decoded) throw invalidLogin("Not a valid OpenId Connect identity token.");
  if (!pool || !match || match[1] !== ctx.regionOf(pool.Id)) throw invalidLogin("Couldn't verify signed token.");
  if (decoded.claims.iss !== ctx.issuer(pool.Id)) throw invalidLogin("Issuer doesn't match providerName");
  if (decoded.claims.token_use !== "id") throw invalidLogin("Not a valid OpenId Connect identity token.");
  const result = verifyJwt(token, pool.idTokenKey, ctx.now());
  if ("problem" in result) {
    if (result.problem === "expired") throw invalidLogin(`Token expired: ${ctx.now()} >= ${String(decoded.claims.exp)}`);
    throw invalidLogin("Couldn't verify signed token.");
  }
  const claims = result.claims;
  const clientId = claims.aud;
  if (typeof clientId !== "string" || !configured.some((p) => p.ClientId === clientId)) throw invalidLogin("Incorrect token audience.");
  const client = ctx.state.client(clientId);
  if (!client || client.UserPoolId !== pool.Id) throw invalidLogin("Incorrect token audience.");
  const username = claims["cognito:username"];
  const user = typeof username === "string" ? ctx.state.userByUsername(pool, username) : undefined;
  if (!user || user.sub !== claims.sub) throw invalidLogin("User does not exist.");
  if (!user.enabled) throw invalidLogin("User is disabled.");
  if (configured.some((p) => p.ClientId === clientId && p.ServerSideTokenCheck)) {
    // With ServerSideTokenCheck the user must still be signed in: the token's session must not be revoked.
    const session = typeof claims.origin_jti === "string" ? ctx.state.session(claims.origin_jti) : undefined;
    if (!session || session.revoked) throw invalidLogin("Token has been revoked.");
  }
  return { kind: "user-pool", providerName, login: `${providerName}|${user.sub}`, pool, user, clientId, claims };
}

/** Checks a token this service signed for `identityPool` (the developer-authenticated flow's Logins value). */
export function verifyOpenIdLogin(ctx: ServiceContext, identityPool: IdentityPoolRecord, token: string): VerifiedOpenIdLogin {
  const key = storedOpenIdKey(ctx);
  const decoded = decodeJwt(token);
  if (!decoded) throw invalidLogin("Not a valid OpenId Connect identity token.");
  if (!key) throw invalidLogin("Couldn't verify signed token.");
  const result = verifyJwt(token, key, ctx.now());
  if ("problem" in result) {
    if (result.problem === "expired") throw invalidLogin(`Token expired: ${ctx.now()} >= ${String(decoded.claims.exp)}`);
    throw invalidLogin("Couldn't verify signed token.");
  }
  const claims = result.claims;
  if (claims.iss !== OPENID_ISSUER) throw invalidLogin("Issuer doesn't match providerName");
  if (claims.aud !== identityPool.IdentityPoolId) throw invalidLogin("Incorrect token audience.");
  if (typeof claims.sub !== "string") throw invalidLogin("Not a valid OpenId Connect identity token.");
  const amr = Array.isArray(claims.amr) ? claims.amr : [];
  return { kind: "open-id", providerName: COGNITO_IDENTITY_PROVIDER, identityId: claims.sub, authenticated: amr.includes("authenticated"), claims };
}

// ---- the service's OpenID signing key -------------------------------------------------------------------------------

const KEY_COLLECTION = "identityService";
const KEY_NAME = "openIdTokenKey";
const pendingKeys = new WeakMap<object, Promise<SigningKey>>();

/** The key that signs GetOpenIdToken tokens, if one was made already. */
export function storedOpenIdKey(ctx: ServiceContext): SigningKey | undefined {
  return ctx.state.store.get<SigningKey>(KEY_COLLECTION, KEY_NAME);
}

/** The key that signs GetOpenIdToken tokens, made (once, even under concurrent calls) and stored on first use. */
export function openIdKey(ctx: ServiceContext): Promise<SigningKey> {
  const existing = storedOpenIdKey(ctx);
  if (existing) return Promise.resolve(existing);
  let pending = pendingKeys.get(ctx.state);
  if (!pending) {
    pending = generateSigningKey().then((key) => {
      const raced = storedOpenIdKey(ctx);
      if (raced) return raced;
      ctx.state.store.put(KEY_COLLECTION, KEY_NAME, key);
      return key;
    });
    pending.finally(() => pendingKeys.delete(ctx.state)).catch(() => undefined);
    pendingKeys.set(ctx.state, pending);
  }
  return pending;
}
