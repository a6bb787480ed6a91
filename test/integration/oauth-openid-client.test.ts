// openid-client v6 (the certified OpenID relying-party library), configured as its README tells a user to, against
// the standalone service: discovery, the authorization code flow with PKCE (S256), state and nonce through the hosted
// sign-in page, and through the sign-up pages (sign up, confirm with the code from /_local/codes, back on the app
// with a code), refresh, userInfo, revocation and client_credentials. Every token is also accepted by an unmodified
// aws-jwt-verify CognitoJwtVerifier.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import type { JwksCache } from "aws-jwt-verify/jwk";
import { startTestService, type TestService } from "../support/local-service";
import { actionOf, CookieJar, csrfOf, hostedSignIn } from "../support/hosted-ui";
import { CALLBACK_URL, createOAuthPool, USER_EMAIL, USER_PASSWORD, type OAuthPool } from "../support/oauth-pool";

type Jwks = Parameters<JwksCache["addJwks"]>[1];
type OpenIdClient = typeof import("openid-client");

describe("openid-client against the local service", () => {
  let t: TestService;
  let p: OAuthPool;
  let client: OpenIdClient;
  let jwks: Jwks;
  let web: Awaited<ReturnType<OpenIdClient["discovery"]>>;
  let refreshToken: string;
  let accessToken: string;
  let sub: string;

  const verifier = (tokenUse: "id" | "access", clientId: string, scope?: string) => {
    const v = CognitoJwtVerifier.create({ userPoolId: p.userPoolId, tokenUse, clientId, ...(scope ? { scope } : {}) });
    v.cacheJwks(jwks);
    return v;
  };

  before(async () => {
    t = await startTestService();
    p = await createOAuthPool(t.idp, t.url);
    client = await import("openid-client");
    jwks = (await (await fetch(`${t.url}/${p.userPoolId}/.well-known/jwks.json`)).json()) as Jwks;
    // The issuer is AWS's URL, so discovery is given the document's own URL (openid-client's README: "a full URL of the
    // discovery document"); http on loopback needs allowInsecureRequests, as its docs say.
    web = await client.discovery(new URL(p.discoveryUrl), p.webClientId, undefined, client.None(), { execute: [client.allowInsecureRequests] });
  });
  after(() => t.stop());

  it("discovers the domain's endpoints", () => {
    const metadata = web.serverMetadata();
    assert.equal(metadata.issuer, `https://cognito-idp.us-east-1.amazonaws.com/${p.userPoolId}`);
    assert.equal(metadata.authorization_endpoint, `${p.base}/oauth2/authorize`);
    assert.equal(metadata.token_endpoint, `${p.base}/oauth2/token`);
    assert.equal(metadata.userinfo_endpoint, `${p.base}/oauth2/userInfo`);
    assert.equal(metadata.revocation_endpoint, `${p.base}/oauth2/revoke`);
    assert.equal(metadata.end_session_endpoint, `${p.base}/logout`);
    assert.ok(metadata.code_challenge_methods_supported?.includes("S256"));
    assert.ok(metadata.grant_types_supported?.includes("client_credentials"));
    assert.ok(metadata.scopes_supported?.includes("orders/read"));
    assert.equal(metadata.supportsPKCE(), true);
  });

  it("runs the authorization code flow with PKCE, state and nonce through the hosted page", async () => {
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authorizeUrl = client.buildAuthorizationUrl(web, {
      redirect_uri: CALLBACK_URL,
      scope: "openid email orders/read",
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    const signIn = await hostedSignIn(authorizeUrl.href, USER_EMAIL, USER_PASSWORD);
    assert.ok(signIn.location.startsWith(`${CALLBACK_URL}?`), `landed on ${signIn.location}`);
    const tokens = await client.authorizationCodeGrant(web, new URL(signIn.location), { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce });
    const claims = tokens.claims()!;
    assert.equal(claims.nonce, nonce);
    assert.equal(claims.email, USER_EMAIL);
    assert.equal(typeof claims.at_hash, "string");
    assert.equal(typeof claims.auth_time, "number");
    assert.equal(tokens.token_type, "bearer");
    assert.ok(tokens.refresh_token);
    const access = await verifier("access", p.webClientId, "orders/read").verify(tokens.access_token);
    assert.equal(access.scope, "openid email orders/read");
    assert.equal(access.version, 2);
    assert.equal(access.client_id, p.webClientId);
    await verifier("id", p.webClientId).verify(tokens.id_token!);
    refreshToken = tokens.refresh_token!;
    accessToken = tokens.access_token;
    sub = claims.sub;
  });

  it("runs the code flow with PKCE through the sign-up pages: sign up, confirm, back on the app, a verified ID token", async () => {
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authorizeUrl = client.buildAuthorizationUrl(web, {
      redirect_uri: CALLBACK_URL, scope: "openid email", code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: "S256", state, nonce,
    });
    const jar = new CookieJar();
    const get = async (url: string) => {
      const res = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
      jar.take(res);
      return res;
    };
    const post = async (html: string, fields: Record<string, string>) => {
      const res = await fetch(actionOf(html), {
        method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
        body: new URLSearchParams({ _csrf: csrfOf(html), ...fields }).toString(),
      });
      jar.take(res);
      return res;
    };
    const toLogin = await get(authorizeUrl.href);
    assert.equal(toLogin.status, 302);
    const loginHtml = await (await get(toLogin.headers.get("location")!)).text();
    const signUpHref = /href="([^"]*\/signup\?[^"]*)"/.exec(loginHtml)?.[1]?.replace(/&amp;/g, "&");
    assert.ok(signUpHref, "the sign-in page links to sign-up");
    const signUpHtml = await (await get(signUpHref)).text();
    const email = "openid-signup@example.com";
    const signedUp = await post(signUpHtml, { username: email, password: "Open-Id-Client-1!" });
    assert.equal(signedUp.status, 200);
    const confirmHtml = await signedUp.text();
    assert.match(confirmHtml, /<h1>Confirm account<\/h1>/);
    const code = await t.latestCode(p.userPoolId, email, "SIGN_UP");
    const confirmed = await post(confirmHtml, { username: email, code });
    assert.equal(confirmed.status, 302);
    const callback = new URL(confirmed.headers.get("location")!);
    assert.equal(`${callback.origin}${callback.pathname}`, CALLBACK_URL);

    const tokens = await client.authorizationCodeGrant(web, callback, { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    const id = await verifier("id", p.webClientId).verify(tokens.id_token!);
    assert.equal(id.email, email);
    assert.equal(id.email_verified, true);
    assert.equal(tokens.claims()!.nonce, nonce);
    // The code answers once.
    await assert.rejects(client.authorizationCodeGrant(web, callback, { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce }), (e: { error?: string }) => e.error === "invalid_grant");
  });

  it("fetches userInfo with the access token", async () => {
    const info = await client.fetchUserInfo(web, accessToken, sub);
    assert.equal(info.sub, sub);
    assert.equal(info.email, USER_EMAIL);
    assert.equal(info.name, "Ada");
  });

  it("refreshes, keeping the granted scopes", async () => {
    const refreshed = await client.refreshTokenGrant(web, refreshToken);
    const access = await verifier("access", p.webClientId).verify(refreshed.access_token);
    assert.equal(access.scope, "openid email orders/read");
    assert.equal(refreshed.claims()!.sub, sub);
  });

  it("revokes the refresh token, after which it no longer refreshes", async () => {
    await client.tokenRevocation(web, refreshToken);
    await assert.rejects(client.refreshTokenGrant(web, refreshToken), (e: { error?: string }) => e.error === "invalid_grant");
  });

  it("gets a client_credentials token for a machine client", async () => {
    const machine = await client.discovery(new URL(p.discoveryUrl), p.machineClientId, p.machineClientSecret, client.ClientSecretBasic(p.machineClientSecret), { execute: [client.allowInsecureRequests] });
    const tokens = await client.clientCredentialsGrant(machine, { scope: "orders/read" });
    assert.equal(tokens.id_token, undefined);
    assert.equal(tokens.refresh_token, undefined);
    const access = await verifier("access", p.machineClientId, "orders/read").verify(tokens.access_token);
    assert.equal(access.sub, p.machineClientId);
    assert.equal(access.client_id, p.machineClientId);
    assert.equal(access.scope, "orders/read");
    await assert.rejects(client.clientCredentialsGrant(machine, { scope: "orders/write" }), (e: { error?: string }) => e.error === "invalid_scope");
  });
});
