// Ending sessions: the revoke endpoint (POST /oauth2/revoke, RFC 7009: a refresh token and the access tokens issued
// from it) and the logout endpoint (GET /logout: ends the hosted page's session, then redirects only to one of the
// client's LogoutURLs, or back to the sign-in page for `redirect_uri` + `response_type`).
import type { IncomingHttpHeaders } from "node:http";
import type { RouteAnswer } from "../http-server";
import type { ServiceContext } from "../context";
import { oauthOf } from "./client-settings";
import { clearSessionCookie, readAuthorizeRequest, SESSION_COOKIE } from "./authorize";
import { ENDPOINTS, type OAuthTarget } from "./domain";
import { authenticateClient, cookiesOf, errorPage, formOf, json, oauthError, redirect } from "./http";
import { runtimeOf } from "./runtime";

/** POST /oauth2/revoke. */
export async function revokeEndpoint(ctx: ServiceContext, target: OAuthTarget, method: string, headers: IncomingHttpHeaders, body: string): Promise<RouteAnswer> {
  if (method !== "POST") return oauthError("invalid_request", "The revocation endpoint takes POST requests.", 405, { allow: "POST" });
  const form = formOf(headers, body);
  const token = form.get("token");
  if (!token) return oauthError("invalid_request", "token is required.");
  const authenticated = authenticateClient(ctx, target.pool, headers, form);
  if ("error" in authenticated) return authenticated.error;
  const { client } = authenticated;
  if (!client.EnableTokenRevocation) return oauthError("unauthorized_client", "Token revocation is not enabled for this client.");
  const session = ctx.state.sessionByRefreshToken(token);
  if (!session) {
    // Access and ID tokens are not revocable on their own; an unknown token is already as good as revoked (RFC 7009 2.2).
    if (token.split(".").length === 3) return oauthError("unsupported_token_type", "Only refresh tokens can be revoked.");
    return json(200, {});
  }
  if (session.clientId !== client.ClientId) return oauthError("unauthorized_client", "The token was issued to another client.");
  if (!session.revoked) ctx.state.putSession({ ...session, revoked: true });
  await ctx.state.commit();
  return json(200, {});
}

/** GET /logout. */
export function logoutEndpoint(ctx: ServiceContext, target: OAuthTarget, query: URLSearchParams, headers: IncomingHttpHeaders): RouteAnswer {
  const clientId = query.get("client_id");
  if (!clientId) return errorPage("Required String parameter 'client_id' is not present");
  const client = ctx.state.client(clientId);
  if (!client || client.UserPoolId !== target.pool.Id) return errorPage("Client does not exist");
  const logoutUri = query.get("logout_uri");
  let location: string;
  if (logoutUri !== null) {
    if (!oauthOf(client).logoutUrls.includes(logoutUri)) return errorPage("Invalid logout_uri: it is not one of the client's sign-out URLs");
    location = logoutUri;
  } else {
    const read = readAuthorizeRequest(ctx, target.pool, query);
    if ("answer" in read) return read.answer;
    const again = new URLSearchParams(query);
    again.delete("logout_uri");
    location = `${target.base}${ENDPOINTS.login}?${again.toString()}`;
  }
  runtimeOf(ctx).sessions.delete(cookiesOf(headers).get(SESSION_COOKIE));
  return redirect(location, [clearSessionCookie(target)]);
}
