// Federated sign-in through an external OpenID Connect identity provider (ProviderType OIDC), the IdP leg of the
// hosted UI as AWS runs it:
//  1. /oauth2/authorize?identity_provider=<name> (or idp_identifier=<id>, or the hosted page's button) remembers the
//     app's authorization request server-side under an opaque state, bound to this browser by a cookie, and sends the
//     browser to the IdP's authorize_url (client_id, redirect_uri=<domain>/oauth2/idpresponse, response_type=code,
//     scope=authorize_scopes, state, nonce);
//  2. /oauth2/idpresponse?code&state exchanges the code at token_url (client_secret_post; client_secret_basic when the
//     IdP refuses that), verifies the ID token with jose against jwks_uri (issuer oidc_issuer, audience client_id,
//     nonce, exp), reads attributes_url (userinfo) with attributes_request_method, and signs the user in
//     (federated-users.ts); the app then gets its authorization code as after a hosted sign-in.
// Errors after the app's request is known go back to its redirect_uri as AWS sends them (`error_description`, `state`,
// `error=invalid_request`); before that, an error page. Never a 500. Pending requests last five minutes, as on AWS.
import type { IncomingHttpHeaders } from "node:http";
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import type { ServiceContext } from "../context";
import { CognitoError } from "../errors";
import type { RouteAnswer } from "../http-server";
import { newOpaqueToken } from "../ids";
import { signInExternalIdentity } from "../federated-users";
import { identityProvider, identityProviders, type IdentityProviderRecord } from "../operations/identity-providers";
import { completeAuthorization, SESSION_COOKIE, type AuthorizeRequest } from "./authorize";
import { ENDPOINTS, type OAuthTarget } from "./domain";
import { cookie, cookiesOf, errorPage, redirect, withParams } from "./http";
import { HOSTED_SESSION_SECONDS, runtimeOf } from "./runtime";

/** The cookie that binds a pending federated sign-in to the browser that started it. */
const FEDERATION_COOKIE = "cognito-idp-state";
/** How long AWS waits for the IdP to send the user back. */
export const FEDERATION_SECONDS = 300;
const IDP_TIMEOUT_MS = 5000;

/** A federated sign-in waiting for the IdP's answer. */
export interface PendingFederation {
  poolId: string;
  providerName: string;
  /** The app's authorization request, answered once the user is back. */
  request: AuthorizeRequest;
  /** The redirect_uri sent to the IdP (it must be the same at the token request). */
  idpRedirectUri: string;
  /** The nonce sent to the IdP, which its ID token must carry. */
  nonce: string;
  expiresAt: number;
}

/** The provider types whose sign-in the local service runs itself (social IdPs live on the internet). */
export function federates(provider: IdentityProviderRecord): boolean {
  return provider.ProviderType === "OIDC";
}

/** The external IdPs of a client that its hosted page offers, in the client's order. */
export function externalProvidersOf(ctx: ServiceContext, poolId: string, supported: string[]): IdentityProviderRecord[] {
  return supported
    .filter((name) => name !== "COGNITO")
    .map((name) => identityProvider(ctx, poolId, name))
    .filter((p): p is IdentityProviderRecord => p !== undefined);
}

/** The provider an `idp_identifier` designates among the client's supported ones. */
export function providerByIdentifier(ctx: ServiceContext, poolId: string, supported: string[], identifier: string): IdentityProviderRecord | undefined {
  const lower = identifier.toLowerCase();
  return identityProviders(ctx, poolId).find((p) => supported.includes(p.ProviderName) && p.IdpIdentifiers.some((id) => id.toLowerCase() === lower));
}

/** Step 1: remember the app's request and send the browser to the IdP's authorize_url. */
export function startFederation(ctx: ServiceContext, target: OAuthTarget, request: AuthorizeRequest, provider: IdentityProviderRecord): RouteAnswer {
  const fail = (description: string) => appError(request, description);
  if (!federates(provider)) return fail(`Sign-in through the ${provider.ProviderType} identity provider ${provider.ProviderName} is not available in the local service; only OIDC providers are.`);
  const details = provider.ProviderDetails;
  let authorizeUrl: URL;
  try {
    authorizeUrl = new URL(details.authorize_url);
  } catch {
    return fail(`The identity provider ${provider.ProviderName} has no valid authorize_url.`);
  }
  const state = newOpaqueToken(32);
  const nonce = newOpaqueToken(32);
  const idpRedirectUri = `${target.base}${ENDPOINTS.idpResponse}`;
  runtimeOf(ctx).federations.set(state, {
    poolId: target.pool.Id, providerName: provider.ProviderName, request, idpRedirectUri, nonce, expiresAt: ctx.now() + FEDERATION_SECONDS,
  });
  const params: Record<string, string> = {
    client_id: details.client_id, redirect_uri: idpRedirectUri, response_type: "code", scope: details.authorize_scopes, state, nonce,
  };
  for (const [k, v] of Object.entries(params)) authorizeUrl.searchParams.set(k, v);
  return redirect(authorizeUrl.toString(), [cookie(FEDERATION_COOKIE, state, target.cookiePath, FEDERATION_SECONDS, target.secure)]);
}

/** An error sent back to the app, as AWS words it: `error_description` (with AWS's trailing space), `state`, `error`. */
function appError(request: AuthorizeRequest, description: string, cookies: string[] = []): RouteAnswer {
  const message = description.endsWith(" ") ? description : `${description} `;
  return redirect(withParams(request.redirectUri, { error_description: message, state: request.state, error: "invalid_request" }, request.responseType === "token"), cookies);
}

/** Step 2: GET /oauth2/idpresponse. */
export async function idpResponseEndpoint(ctx: ServiceContext, target: OAuthTarget, query: URLSearchParams, headers: IncomingHttpHeaders): Promise<RouteAnswer> {
  const runtime = runtimeOf(ctx);
  const state = query.get("state") ?? undefined;
  const browserState = cookiesOf(headers).get(FEDERATION_COOKIE);
  const pending = state && browserState === state ? runtime.federations.take(state) : undefined;
  if (!pending || pending.poolId !== target.pool.Id) {
    return errorPage("Invalid state: this sign-in was not started in this browser, or it took longer than five minutes. Please go back to the app and sign in again.");
  }
  const clearCookie = cookie(FEDERATION_COOKIE, "", target.cookiePath, 0, target.secure);
  const { request } = pending;
  const fail = (description: string) => appError(request, description, [clearCookie]);
  const idpError = query.get("error");
  if (idpError !== null) return fail(`${idpError}${query.get("error_description") ? `: ${query.get("error_description")}` : ""}`);
  const code = query.get("code");
  if (!code) return fail("The identity provider sent no authorization code.");
  const provider = identityProvider(ctx, target.pool.Id, pending.providerName);
  const client = ctx.state.client(request.client.ClientId);
  if (!provider || !federates(provider)) return fail(`The identity provider ${pending.providerName} no longer exists.`);
  if (!client || client.UserPoolId !== target.pool.Id) return fail("Client does not exist.");
  // RFC 9207: an IdP that names itself on the callback must be the one the browser was sent to (no mix-up).
  const iss = query.get("iss");
  if (iss !== null && iss !== provider.ProviderDetails.oidc_issuer) return fail("The authorization response comes from another issuer.");

  let claims: Record<string, unknown>;
  try {
    claims = await identityOf(provider, code, pending);
  } catch (e) {
    if (e instanceof IdpError) return fail(e.message);
    throw e;
  }
  try {
    const user = await signInExternalIdentity(ctx, target.pool, client.ClientId, { provider, claims });
    runtime.sessions.delete(cookiesOf(headers).get(SESSION_COOKIE));
    const authTime = ctx.now();
    const sessionId = runtime.openSession(target.pool.Id, user.username, authTime);
    const cookies = [cookie(SESSION_COOKIE, sessionId, target.cookiePath, HOSTED_SESSION_SECONDS, target.secure), clearCookie];
    return await completeAuthorization(ctx, target.pool, user, authTime, { ...request, client }, cookies);
  } catch (e) {
    if (e instanceof CognitoError) return fail(e.message);
    throw e;
  } finally {
    await ctx.state.commit();
  }
}

/** A failure of the IdP leg, told to the app in its words. */
class IdpError extends Error {}

/** Who signed in at the IdP: the verified ID token's claims, with the userinfo claims over them. */
async function identityOf(provider: IdentityProviderRecord, code: string, pending: PendingFederation): Promise<Record<string, unknown>> {
  const details = provider.ProviderDetails;
  const tokens = await exchangeCode(details, code, pending.idpRedirectUri);
  const idToken = typeof tokens.id_token === "string" ? tokens.id_token : undefined;
  if (!idToken) throw new IdpError("The identity provider returned no id_token.");
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(idToken, keysOf(details.jwks_uri), { issuer: details.oidc_issuer, audience: details.client_id, requiredClaims: ["sub", "exp"] }));
  } catch (e) {
    throw new IdpError(`Invalid id_token: ${(e as Error).message}`);
  }
  if (claims.nonce !== pending.nonce) throw new IdpError("Invalid id_token: nonce mismatch.");
  const accessToken = typeof tokens.access_token === "string" ? tokens.access_token : undefined;
  if (!details.attributes_url || !accessToken) return claims;
  const userInfo = await readUserInfo(details, accessToken);
  // OpenID Connect Core 5.3.2: the userinfo sub must be the ID token's, or the answer is not about this user.
  if (userInfo.sub !== claims.sub) throw new IdpError("The identity provider's userinfo is about another user.");
  return { ...claims, ...userInfo };
}

/** The IdP's token response for `code`: client_secret_post, then client_secret_basic when the IdP refuses the first. */
async function exchangeCode(details: Record<string, string>, code: string, redirectUri: string): Promise<Record<string, unknown>> {
  const base = { grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: details.client_id };
  const post = (body: Record<string, string>, headers: Record<string, string> = {}) =>
    idpFetch(details.token_url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...headers }, body: new URLSearchParams(body).toString() });
  let res = await post(details.client_secret ? { ...base, client_secret: details.client_secret } : base);
  if (res.status === 401 && details.client_secret) {
    // RFC 6749 2.3.1: every server takes HTTP Basic; the secret goes there when the IdP does not take it in the body.
    const basic = Buffer.from(`${encodeURIComponent(details.client_id)}:${encodeURIComponent(details.client_secret)}`).toString("base64");
    res = await post(base, { authorization: `Basic ${basic}` });
  }
  const body = await jsonOf(res);
  if (!res.ok) {
    const reason = typeof body?.error === "string" ? `${body.error}${typeof body.error_description === "string" ? `: ${body.error_description}` : ""}` : `HTTP ${res.status}`;
    throw new IdpError(`The identity provider refused the authorization code (${reason}).`);
  }
  if (!body) throw new IdpError("The identity provider's token response is not JSON.");
  return body;
}

/** The userinfo claims (attributes_url, with attributes_request_method GET or POST). */
async function readUserInfo(details: Record<string, string>, accessToken: string): Promise<Record<string, unknown>> {
  const method = details.attributes_request_method === "POST" ? "POST" : "GET";
  const res = await idpFetch(details.attributes_url, { method, headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" } });
  const body = await jsonOf(res);
  if (!res.ok || !body) throw new IdpError(`The identity provider's userinfo endpoint answered HTTP ${res.status}.`);
  return body;
}

async function idpFetch(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: "error", signal: AbortSignal.timeout(IDP_TIMEOUT_MS) });
  } catch (e) {
    throw new IdpError(`The identity provider could not be reached at ${url} (${(e as Error).message}).`);
  }
}

async function jsonOf(res: Response): Promise<Record<string, unknown> | undefined> {
  try {
    const body = (await res.json()) as unknown;
    return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The IdP's signing keys, fetched from jwks_uri and cached (jose refetches on an unknown kid). */
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function keysOf(jwksUri: string): ReturnType<typeof createRemoteJWKSet> {
  let keys = keySets.get(jwksUri);
  if (!keys) {
    let url: URL;
    try {
      url = new URL(jwksUri);
    } catch {
      throw new IdpError("The identity provider has no valid jwks_uri.");
    }
    keys = createRemoteJWKSet(url, { timeoutDuration: IDP_TIMEOUT_MS });
    keySets.set(jwksUri, keys);
  }
  return keys;
}
