// The OAuth endpoints' error cases and protections, over raw HTTP: RFC 6749 token errors (invalid_request,
// invalid_client, invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope), single-use and short-lived
// codes bound to client, redirect URI and PKCE verifier; authorize never redirecting to an unregistered URI; logout only
// to a registered sign-out URL; CSRF on the sign-in form; a new session id after sign-in; single sign-on from the
// session; the hosted page's challenges (NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA); the implicit flow.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  AdminCreateUserCommand, AdminInitiateAuthCommand, AssociateSoftwareTokenCommand, CreateUserPoolClientCommand, SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand, VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { currentTotpCode } from "../../lib/service/totp";
import { startClockedService, type ClockedService } from "../support/clocked-service";
import { actionOf, csrfOf, hostedSignIn } from "../support/hosted-ui";
import { CALLBACK_URL, createOAuthPool, LOGOUT_URL, USER_EMAIL, USER_PASSWORD, type OAuthPool } from "../support/oauth-pool";

const VERIFIER = "a".repeat(20) + "-._~" + "B".repeat(30);
const S256 = createHash("sha256").update(VERIFIER).digest("base64url");

describe("OAuth endpoints: errors and protections", () => {
  let t: ClockedService;
  let p: OAuthPool;

  const authorizeUrl = (params: Record<string, string> = {}, clientId = p.webClientId) =>
    `${p.base}/oauth2/authorize?${new URLSearchParams({ client_id: clientId, response_type: "code", redirect_uri: CALLBACK_URL, state: "st", scope: "openid", ...params })}`;
  const token = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${p.base}/oauth2/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(fields).toString() });
  const expectError = async (response: Promise<Response>, error: string, status = 400) => {
    const res = await response;
    const body = (await res.json()) as { error?: string };
    assert.equal(res.status, status, JSON.stringify(body));
    assert.equal(body.error, error);
  };
  const codeFor = async (params: Record<string, string> = {}) => {
    const signIn = await hostedSignIn(authorizeUrl(params), USER_EMAIL, USER_PASSWORD);
    const code = new URL(signIn.location).searchParams.get("code");
    assert.ok(code, `no code in ${signIn.location}`);
    return code;
  };
  const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}` });

  before(async () => {
    t = await startClockedService();
    p = await createOAuthPool(t.idp, t.url);
  });
  after(() => t.stop());

  it("answers RFC 6749 errors at the token endpoint", async () => {
    await expectError(token({ client_id: p.webClientId }), "invalid_request");
    await expectError(token({ grant_type: "password", client_id: p.webClientId }), "unsupported_grant_type");
    await expectError(token({ grant_type: "authorization_code", client_id: "nosuchclient", code: "x", redirect_uri: CALLBACK_URL }), "invalid_client");
    await expectError(token({ grant_type: "client_credentials" }, basic(p.machineClientId, "wrong")), "invalid_client");
    await expectError(token({ grant_type: "client_credentials", client_id: p.machineClientId }), "invalid_client");
    await expectError(token({ grant_type: "client_credentials", client_id: p.webClientId }), "unauthorized_client");
    await expectError(token({ grant_type: "authorization_code", code: "x", redirect_uri: CALLBACK_URL }, basic(p.machineClientId, p.machineClientSecret)), "unauthorized_client");
    await expectError(token({ grant_type: "client_credentials", scope: "orders/write" }, basic(p.machineClientId, p.machineClientSecret)), "invalid_scope");
    await expectError(token({ grant_type: "client_credentials", scope: "openid" }, basic(p.machineClientId, p.machineClientSecret)), "invalid_scope");
    await expectError(token({ grant_type: "refresh_token", refresh_token: "nope", client_id: p.webClientId }), "invalid_grant");
    await expectError(token({ grant_type: "authorization_code", client_id: p.webClientId, code: "nope", redirect_uri: CALLBACK_URL }), "invalid_grant");
    const json = await fetch(`${p.base}/oauth2/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(json.status, 400);
    // client_secret in the body works as well as HTTP Basic.
    const ok = await token({ grant_type: "client_credentials", client_id: p.machineClientId, client_secret: p.machineClientSecret });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("cache-control"), "no-store");
  });

  it("binds a code to its client, redirect URI and PKCE verifier, and accepts it once", async () => {
    const code = await codeFor({ code_challenge: S256, code_challenge_method: "S256" });
    await expectError(token({ grant_type: "authorization_code", client_id: p.webClientId, code, redirect_uri: "http://localhost:3000/other", code_verifier: VERIFIER }), "invalid_grant");
    const second = await codeFor({ code_challenge: S256, code_challenge_method: "S256" });
    await expectError(token({ grant_type: "authorization_code", client_id: p.webClientId, code: second, redirect_uri: CALLBACK_URL }), "invalid_grant");
    const third = await codeFor({ code_challenge: S256, code_challenge_method: "S256" });
    await expectError(token({ grant_type: "authorization_code", client_id: p.webClientId, code: third, redirect_uri: CALLBACK_URL, code_verifier: "x".repeat(43) }), "invalid_grant");
    const good = await codeFor({ code_challenge: S256, code_challenge_method: "S256" });
    const res = await token({ grant_type: "authorization_code", client_id: p.webClientId, code: good, redirect_uri: CALLBACK_URL, code_verifier: VERIFIER });
    assert.equal(res.status, 200);
    await expectError(token({ grant_type: "authorization_code", client_id: p.webClientId, code: good, redirect_uri: CALLBACK_URL, code_verifier: VERIFIER }), "invalid_grant");
    // plain PKCE
    const plain = await codeFor({ code_challenge: VERIFIER, code_challenge_method: "plain" });
    assert.equal((await token({ grant_type: "authorization_code", client_id: p.webClientId, code: plain, redirect_uri: CALLBACK_URL, code_verifier: VERIFIER })).status, 200);
  });

  it("lets a code expire after five minutes", async () => {
    const code = await codeFor();
    t.advance(301);
    await expectError(token({ grant_type: "authorization_code", client_id: p.webClientId, code, redirect_uri: CALLBACK_URL }), "invalid_grant");
    t.advance(-301);
  });

  it("never redirects to an unregistered URI, and sends other authorize errors back to the app", async () => {
    for (const url of [authorizeUrl({ redirect_uri: "https://evil.example.com/cb" }), authorizeUrl({ redirect_uri: `${CALLBACK_URL}/` }), authorizeUrl({}, "nosuchclient")]) {
      const res = await fetch(url, { redirect: "manual" });
      assert.equal(res.status, 400);
      assert.equal(res.headers.get("location"), null);
      assert.match(await res.text(), /An error was encountered/);
    }
    const bad = async (params_: Record<string, string>, error: string) => {
      const res = await fetch(authorizeUrl(params_), { redirect: "manual" });
      assert.equal(res.status, 302);
      const location = new URL(res.headers.get("location")!);
      assert.equal(`${location.origin}${location.pathname}`, CALLBACK_URL);
      // Errors of an implicit (response_type=token) request go in the fragment, as RFC 6749 4.2.2.1 says.
      const params = params_.response_type === "token" ? new URLSearchParams(location.hash.slice(1)) : location.searchParams;
      assert.equal(params.get("error"), error);
      assert.equal(params.get("state"), "st");
    };
    await bad({ response_type: "id_token" }, "unsupported_response_type");
    await bad({ response_type: "token" }, "unauthorized_client");
    await bad({ scope: "openid orders/write" }, "invalid_scope");
    await bad({ code_challenge: S256, code_challenge_method: "S512" }, "invalid_request");
    await bad({ identity_provider: "Google" }, "invalid_request");
  });

  it("protects the sign-in form against CSRF and rotates the session id", async () => {
    const first = await fetch(authorizeUrl(), { redirect: "manual" });
    const login = await fetch(first.headers.get("location")!);
    const flowCookie = login.headers.getSetCookie()[0].split(";")[0];
    const html = await login.text();
    const post = (cookie: string, csrf: string) => fetch(actionOf(html), {
      method: "POST", redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ _csrf: csrf, step: "password", username: USER_EMAIL, password: USER_PASSWORD }).toString(),
    });
    assert.equal((await post("", csrfOf(html))).status, 403);
    assert.equal((await post(flowCookie, "forged")).status, 403);
    const planted = "cognito=attacker-chosen-id";
    const ok = await post(`${flowCookie}; ${planted}`, csrfOf(html));
    assert.equal(ok.status, 302);
    const sessionCookie = ok.headers.getSetCookie().find((c) => c.startsWith("cognito="))!;
    assert.ok(sessionCookie);
    assert.notEqual(sessionCookie.split(";")[0], planted);
    assert.match(sessionCookie, /HttpOnly/);
    assert.match(sessionCookie, /SameSite=Lax/);
    // The session signs the browser straight in next time; the planted id does not.
    const sso = await fetch(authorizeUrl(), { redirect: "manual", headers: { cookie: sessionCookie.split(";")[0] } });
    assert.ok(new URL(sso.headers.get("location")!).searchParams.get("code"));
    const planter = await fetch(authorizeUrl(), { redirect: "manual", headers: { cookie: planted } });
    assert.match(planter.headers.get("location")!, /\/login\?/);
    // The flow cookie is used up: replaying the form is refused.
    assert.equal((await post(flowCookie, csrfOf(html))).status, 403);
  });

  it("logs out only to a registered sign-out URL", async () => {
    const signIn = await hostedSignIn(authorizeUrl(), USER_EMAIL, USER_PASSWORD);
    const session = signIn.jar.get("cognito")!;
    const bad = await fetch(`${p.base}/logout?${new URLSearchParams({ client_id: p.webClientId, logout_uri: "https://evil.example.com/" })}`, { redirect: "manual", headers: { cookie: `cognito=${session}` } });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get("location"), null);
    const ok = await fetch(`${p.base}/logout?${new URLSearchParams({ client_id: p.webClientId, logout_uri: LOGOUT_URL })}`, { redirect: "manual", headers: { cookie: `cognito=${session}` } });
    assert.equal(ok.status, 302);
    assert.equal(ok.headers.get("location"), LOGOUT_URL);
    const after = await fetch(authorizeUrl(), { redirect: "manual", headers: { cookie: `cognito=${session}` } });
    assert.match(after.headers.get("location")!, /\/login\?/);
  });

  it("shows the new-password and authenticator-code challenges on the hosted page", async () => {
    await t.idp.send(new AdminCreateUserCommand({ UserPoolId: p.userPoolId, Username: "new@example.com", TemporaryPassword: "Temp-Passw0rd!", MessageAction: "SUPPRESS" }));
    const wrong = await hostedSignIn(authorizeUrl(), "new@example.com", "Temp-Passw0rd!", [{ new_password: "Brand-New-1!", confirm_password: "Brand-New-2!" }]);
    assert.match(wrong.html!, /Passwords do not match/);
    const changed = await hostedSignIn(authorizeUrl(), "new@example.com", "Temp-Passw0rd!", [{ new_password: "Brand-New-1!", confirm_password: "Brand-New-1!" }]);
    assert.ok(new URL(changed.location).searchParams.get("code"), changed.html);

    // TOTP: set up with the API, then answered on the hosted page.
    await t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: p.userPoolId, MfaConfiguration: "OPTIONAL", SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const admin = await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: p.userPoolId, ClientName: "admin", ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH"] }));
    const signedIn = await t.idp.send(new AdminInitiateAuthCommand({ UserPoolId: p.userPoolId, ClientId: admin.UserPoolClient!.ClientId!, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "new@example.com", PASSWORD: "Brand-New-1!" } }));
    const accessToken = signedIn.AuthenticationResult!.AccessToken!;
    const { SecretCode } = await t.idp.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
    await t.idp.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: currentTotpCode(SecretCode!) }));
    await t.idp.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    const wrongCode = currentTotpCode(SecretCode!, new Date(t.nowMs())) === "000000" ? "111111" : "000000";
    const refused = await hostedSignIn(authorizeUrl(), "new@example.com", "Brand-New-1!", [{ code: wrongCode }]);
    assert.match(refused.html!, /Invalid code received for user/);
    assert.match(refused.html!, /role="alert"/);
    const mfa = await hostedSignIn(authorizeUrl(), "new@example.com", "Brand-New-1!", [{ code: currentTotpCode(SecretCode!, new Date(t.nowMs())) }]);
    assert.ok(new URL(mfa.location).searchParams.get("code"), mfa.html);
  });

  it("returns tokens in the fragment for an implicit client", async () => {
    const implicit = await t.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: p.userPoolId, ClientName: "spa-implicit", AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["implicit"],
      AllowedOAuthScopes: ["openid", "orders/read"], CallbackURLs: [CALLBACK_URL], SupportedIdentityProviders: ["COGNITO"],
    }));
    const signIn = await hostedSignIn(authorizeUrl({ response_type: "token", scope: "openid orders/read", nonce: "n-1" }, implicit.UserPoolClient!.ClientId!), USER_EMAIL, USER_PASSWORD);
    const fragment = new URLSearchParams(new URL(signIn.location).hash.slice(1));
    assert.ok(fragment.get("access_token"));
    assert.ok(fragment.get("id_token"));
    assert.equal(fragment.get("token_type"), "Bearer");
    assert.equal(fragment.get("state"), "st");
    const id = JSON.parse(Buffer.from(fragment.get("id_token")!.split(".")[1], "base64url").toString()) as Record<string, unknown>;
    assert.equal(id.nonce, "n-1");
  });
});
