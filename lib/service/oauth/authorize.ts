// The authorize endpoint (GET /oauth2/authorize) and what it shares with the hosted page: reading and checking an
// authorization request (client, exact redirect_uri, response_type, scope, PKCE, state, nonce, identity_provider), and
// answering it once the user is signed in: a single-use code (code flow) or tokens in the fragment (implicit flow).
// With identity_provider (or idp_identifier) naming an external IdP of the client, the browser goes to that IdP
// (federation.ts) instead of the hosted page.
// A bad client or redirect URI gets an error page and never a redirect; other errors go back to the app as RFC 6749
// says (`error` and `state` on the redirect URI).
import type { RouteAnswer } from "../http-server";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import type { ServiceContext } from "../context";
import { identityProvider } from "../operations/identity-providers";
import { issueTokens } from "../sessions";
import { oauthOf } from "./client-settings";
import { ENDPOINTS, type OAuthTarget } from "./domain";
import { externalProvidersOf, providerByIdentifier, startFederation } from "./federation";
import { cookie, cookiesOf, errorPage, redirect, withParams, type OAuthErrorCode } from "./http";
import { runtimeOf } from "./runtime";
import { reusesSsoSession } from "../session-tracking";

export const SESSION_COOKIE = "cognito";

export interface AuthorizeRequest {
  client: AppClientRecord;
  responseType: "code" | "token";
  redirectUri: string;
  state?: string;
  scope: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: "S256" | "plain";
  /** The external IdP the request names (identity_provider or idp_identifier), when not the pool's own directory. */
  identityProvider?: string;
}

const PKCE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * The client_id and redirect_uri of `query`: the pool's client and one of its callback URLs, or an error page (never a
 * redirect, since the URI is not trusted).
 */
export function readClientRedirect(ctx: ServiceContext, pool: UserPoolRecord, query: URLSearchParams): { client: AppClientRecord; redirectUri: string } | { answer: RouteAnswer } {
  const clientId = query.get("client_id");
  if (!clientId) return { answer: errorPage("Required String parameter 'client_id' is not present") };
  const client = ctx.state.client(clientId);
  if (!client || client.UserPoolId !== pool.Id) return { answer: errorPage("Client does not exist") };
  const redirectUri = query.get("redirect_uri");
  // Matched exactly, character for character: no prefix, no normalisation, so nothing can redirect elsewhere.
  if (!redirectUri || !oauthOf(client).callbackUrls.includes(redirectUri)) return { answer: errorPage("redirect_mismatch") };
  return { client, redirectUri };
}

/** The authorize request in `query`: `{request}`, or the answer to give instead (an error page or an error redirect). */
export function readAuthorizeRequest(ctx: ServiceContext, pool: UserPoolRecord, query: URLSearchParams): { request: AuthorizeRequest } | { answer: RouteAnswer } {
  const checked = readClientRedirect(ctx, pool, query);
  if ("answer" in checked) return checked;
  const { client, redirectUri } = checked;
  const oauth = oauthOf(client);
  const state = query.get("state") ?? undefined;
  const fail = (error: OAuthErrorCode, description: string, inFragment = false): { answer: RouteAnswer } => ({
    answer: redirect(withParams(redirectUri, { error, error_description: description, state }, inFragment)),
  });
  const responseType = query.get("response_type");
  if (!responseType) return fail("invalid_request", "response_type is required");
  if (responseType !== "code" && responseType !== "token") return fail("unsupported_response_type", `response_type ${responseType} is not supported`);
  const implicit = responseType === "token";
  if (!oauth.enabled || !oauth.flows.includes(implicit ? "implicit" : "code")) return fail("unauthorized_client", "Client is not enabled for OAuth2.0 flows.", implicit);
  const provider = query.get("identity_provider");
  const identifier = query.get("idp_identifier");
  const external = externalProvidersOf(ctx, pool.Id, oauth.identityProviders);
  let identityProviderName: string | undefined;
  if (provider !== null && provider !== "COGNITO") {
    if (!external.some((p) => p.ProviderName === provider)) return fail("invalid_request", `identity_provider ${provider} is not enabled for the client`, implicit);
    identityProviderName = provider;
  } else if (provider === null && identifier !== null) {
    const found = providerByIdentifier(ctx, pool.Id, oauth.identityProviders, identifier);
    if (!found) return fail("invalid_request", `idp_identifier ${identifier} is not enabled for the client`, implicit);
    identityProviderName = found.ProviderName;
  } else if (!oauth.identityProviders.includes("COGNITO") && (provider === "COGNITO" || external.length === 0)) {
    return fail("unauthorized_client", "Login option is not available. Please try another one", implicit);
  }
  const requested = (query.get("scope") ?? "").split(" ").filter((s) => s !== "");
  const scopes = requested.length ? [...new Set(requested)] : oauth.scopes;
  const unknown = scopes.find((s) => !oauth.scopes.includes(s));
  if (unknown) return fail("invalid_scope", `invalid_scope: ${unknown}`, implicit);
  const codeChallenge = query.get("code_challenge") ?? undefined;
  const method = query.get("code_challenge_method") ?? undefined;
  if (codeChallenge === undefined && method !== undefined) return fail("invalid_request", "code_challenge is required with code_challenge_method", implicit);
  if (codeChallenge !== undefined) {
    if (implicit) return fail("invalid_request", "PKCE applies to the code flow only", true);
    if (method !== undefined && method !== "S256" && method !== "plain") return fail("invalid_request", "code_challenge_method must be S256 or plain");
    if (!PKCE_CHALLENGE.test(codeChallenge)) return fail("invalid_request", "code_challenge is malformed");
  }
  return {
    request: {
      client,
      responseType,
      redirectUri,
      state,
      scope: scopes.join(" "),
      nonce: query.get("nonce") ?? undefined,
      codeChallenge,
      codeChallengeMethod: codeChallenge === undefined ? undefined : ((method ?? "plain") as "S256" | "plain"),
      ...(identityProviderName ? { identityProvider: identityProviderName } : {}),
    },
  };
}

/** Answers an authorize request for a signed-in user: a redirect with a code, or with tokens in the fragment. */
export async function completeAuthorization(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord, authTime: number, request: AuthorizeRequest, cookies: string[] = []): Promise<RouteAnswer> {
  if (request.responseType === "code") {
    const code = runtimeOf(ctx).issueCode({
      poolId: pool.Id,
      clientId: request.client.ClientId,
      redirectUri: request.redirectUri,
      username: user.username,
      scope: request.scope,
      nonce: request.nonce,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      authTime,
    });
    return redirect(withParams(request.redirectUri, { code, state: request.state }), cookies);
  }
  const tokens = await issueTokens(ctx, pool, request.client, user, undefined, authTime, undefined, { scope: request.scope, nonce: request.nonce });
  await ctx.state.commit();
  return redirect(withParams(request.redirectUri, {
    ...(tokens.IdToken ? { id_token: tokens.IdToken } : {}),
    access_token: tokens.AccessToken,
    expires_in: String(tokens.ExpiresIn),
    token_type: "Bearer",
    state: request.state,
  }, true), cookies);
}

/** The signed-in user of the hosted page's session cookie, if the session is live and the user may still sign in. */
export function signedInUser(ctx: ServiceContext, target: OAuthTarget, headers: Parameters<typeof cookiesOf>[0]): { user: UserRecord; authTime: number } | undefined {
  const session = runtimeOf(ctx).sessions.get(cookiesOf(headers).get(SESSION_COOKIE));
  if (!session || session.poolId !== target.pool.Id) return undefined;
  const user = ctx.state.userByUsername(target.pool, session.username);
  if (!user || !user.enabled || (user.status !== "CONFIRMED" && user.status !== "EXTERNAL_PROVIDER")) return undefined;
  return { user, authTime: session.authTime };
}

/**
 * GET /oauth2/authorize: to the external IdP the request names; else straight back to the app when signed in already,
 * else to the hosted sign-in page.
 */
export async function authorizeEndpoint(ctx: ServiceContext, target: OAuthTarget, query: URLSearchParams, headers: Parameters<typeof cookiesOf>[0]): Promise<RouteAnswer> {
  const read = readAuthorizeRequest(ctx, target.pool, query);
  if ("answer" in read) return read.answer;
  const external = read.request.identityProvider ? identityProvider(ctx, target.pool.Id, read.request.identityProvider) : undefined;
  if (external) return startFederation(ctx, target, read.request, external);
  const signedIn = query.get("prompt") === "login" ? undefined : signedInUser(ctx, target, headers);
  // Session tracking: the client reuses the single sign-on session only within its MaxValidityMinutes.
  if (signedIn && reusesSsoSession(ctx, target.pool.Id, read.request.client.ClientId, signedIn.authTime)) {
    return completeAuthorization(ctx, target.pool, signedIn.user, signedIn.authTime, read.request);
  }
  return redirect(`${target.base}${ENDPOINTS.login}?${query.toString()}`);
}

/** The Set-Cookie that ends the hosted page's session. */
export function clearSessionCookie(target: OAuthTarget): string {
  return cookie(SESSION_COOKIE, "", target.cookiePath, 0, target.secure);
}
