// Federated sign-in through an external OpenID Connect provider: a real, certified one (panva's oidc-provider, on
// loopback) as the pool's OIDC identity provider, discovered from its issuer. A browser-like walk goes
// /oauth2/authorize?identity_provider=… → the IdP's login form → /oauth2/idpresponse → the app's callback, and the code
// is exchanged at /oauth2/token; the tokens are checked with aws-jwt-verify. The triggers AWS documents for federated
// users run in a Lambda Invoke stand-in: PreSignUp_ExternalProvider and PostConfirmation_ConfirmSignUp once on the first
// sign-in, PreAuthentication/PostAuthentication on later ones, TokenGeneration_HostedAuth each time. Also: a refusing
// PreSignUp creates nothing, an identity linked with AdminLinkProviderForUser signs in as its native user, the IdP's
// own error (the user cancels) and a tampered ID token go back to the app as errors, client_secret_basic IdPs, the
// hosted page's provider button and idp_identifier.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createHash, randomBytes } from "node:crypto";
import {
  AdminCreateUserCommand, AdminGetUserCommand, AdminInitiateAuthCommand, AdminLinkProviderForUserCommand, AdminSetUserPasswordCommand,
  CreateIdentityProviderCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand, ListGroupsCommand, ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import type { JwksCache } from "aws-jwt-verify/jwk";
import { rejectsWithAwsError } from "../support/aws-errors";
import { CookieJar, csrfOf } from "../support/hosted-ui";
import { startOidcIdp, walkFederatedSignIn, type OidcIdp } from "../support/oidc-idp";
import { useTriggerService } from "../support/trigger-service";

type Jwks = Parameters<JwksCache["addJwks"]>[1];

const CALLBACK = "http://localhost:3000/callback";
const DOMAIN = "federated";
const CI_DOMAIN = "federated-ci";
const TRIGGERS = ["PreSignUp", "PostConfirmation", "PreAuthentication", "PostAuthentication", "PreTokenGeneration"] as const;

const env = useTriggerService();

describe("federated sign-in through an OIDC identity provider", () => {
  let oidc: OidcIdp;
  let tamperer: http.Server;
  let userPoolId: string;
  let clientId: string;
  let jwks: Jwks;
  let base: string;
  let ciPoolId: string;
  let ciClientId: string;

  /** Every trigger passes the event back unchanged unless a test says otherwise. */
  const passThrough = () => {
    for (const name of TRIGGERS) env.lambdas.functions.set(name, (event) => event);
  };
  const callsOf = (name: string) => env.lambdas.calls.filter((c) => c.name === name).map((c) => c.event);

  /** An authorize URL with PKCE (S256), state and nonce; `extra` adds or replaces parameters. */
  const authorizeRequest = (extra: Record<string, string> = { identity_provider: "CorpOIDC" }, client = clientId) => {
    const verifier = randomBytes(32).toString("base64url");
    const state = randomBytes(8).toString("hex");
    const nonce = randomBytes(8).toString("hex");
    const params = new URLSearchParams({
      client_id: client, response_type: "code", redirect_uri: CALLBACK, scope: "openid email profile", state, nonce,
      code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256", ...extra,
    });
    return { url: `${base}/oauth2/authorize?${params}`, verifier, state, nonce };
  };

  const exchange = async (code: string, verifier: string) => {
    const res = await fetch(`${base}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", client_id: clientId, code, redirect_uri: CALLBACK, code_verifier: verifier }).toString(),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as { id_token: string; access_token: string; refresh_token: string };
  };

  const verifier = (tokenUse: "id" | "access") => {
    const v = CognitoJwtVerifier.create({ userPoolId, tokenUse, clientId });
    v.cacheJwks(jwks);
    return v;
  };

  const addProvider = (ProviderName: string, details: Record<string, string>, IdpIdentifiers?: string[]) => env.idp.send(new CreateIdentityProviderCommand({
    UserPoolId: userPoolId, ProviderName, ProviderType: "OIDC", IdpIdentifiers,
    ProviderDetails: { attributes_request_method: "GET", oidc_issuer: oidc.issuer, authorize_scopes: "openid email profile", ...details },
    AttributeMapping: { email: "email", name: "name" },
  }));

  before(async () => {
    const pool = await env.idp.send(new CreateUserPoolCommand({
      PoolName: "federation", LambdaConfig: Object.fromEntries(TRIGGERS.map((name) => [name, env.lambdas.arn(name)])),
    }));
    userPoolId = pool.UserPool!.Id!;
    await env.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: DOMAIN }));
    base = `${env.service.url}/${DOMAIN}`;
    const idpResponse = `${base}/oauth2/idpresponse`;
    oidc = await startOidcIdp([
      { client_id: "cognito-pool", client_secret: "pool-secret", redirect_uris: [idpResponse, `${env.service.url}/${CI_DOMAIN}/oauth2/idpresponse`], token_endpoint_auth_method: "client_secret_post" },
      { client_id: "cognito-pool-basic", client_secret: "basic-secret", redirect_uris: [idpResponse], token_endpoint_auth_method: "client_secret_basic" },
    ]);
    oidc.accounts.set("ada", { email: "ada@example.com", email_verified: true, name: "Ada Lovelace" });
    oidc.accounts.set("grace", { email: "grace@example.com", name: "Grace Hopper" });
    oidc.accounts.set("mallory", { email: "mallory@example.com", name: "Mallory" });
    oidc.accounts.set("alan", { email: "alan@example.com", name: "Alan Turing" });
    oidc.accounts.set("edsger", { email: "edsger@example.com", name: "Edsger Dijkstra" });
    oidc.accounts.set("Alan", { email: "alan.t@example.com", name: "Alan" });
    oidc.accounts.set("barbara", { email: "barbara@example.com", name: "Barbara Liskov" });

    // A token endpoint in front of the IdP's that changes one claim of every ID token it passes on.
    const discovery = (await (await fetch(`${oidc.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint: string };
    tamperer = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        const answer = await fetch(discovery.token_endpoint, { method: "POST", headers: { "content-type": String(req.headers["content-type"]) }, body: Buffer.concat(chunks) });
        const body = (await answer.json()) as { id_token?: string };
        if (body.id_token) {
          const [header, payload, signature] = body.id_token.split(".");
          const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
          body.id_token = [header, Buffer.from(JSON.stringify({ ...claims, sub: "admin" })).toString("base64url"), signature].join(".");
        }
        res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => tamperer.listen(0, "127.0.0.1", resolve));

    await addProvider("CorpOIDC", { client_id: "cognito-pool", client_secret: "pool-secret" }, ["corp.example"]);
    await addProvider("CorpBasic", { client_id: "cognito-pool-basic", client_secret: "basic-secret" });
    const d = (await (await fetch(`${oidc.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    await addProvider("Tampered", {
      client_id: "cognito-pool", client_secret: "pool-secret", authorize_url: d.authorization_endpoint, jwks_uri: d.jwks_uri, attributes_url: d.userinfo_endpoint,
      token_url: `http://127.0.0.1:${(tamperer.address() as AddressInfo).port}/token`,
    });
    const client = await env.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: "web", AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email", "profile"], CallbackURLs: [CALLBACK], SupportedIdentityProviders: ["COGNITO", "CorpOIDC", "CorpBasic", "Tampered"],
      ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }));
    clientId = client.UserPoolClient!.ClientId!;
    jwks = (await (await fetch(`${env.service.url}/${userPoolId}/.well-known/jwks.json`)).json()) as Jwks;

    // A second pool whose usernames are case-insensitive, with the same IdP.
    const ci = await env.idp.send(new CreateUserPoolCommand({
      PoolName: "federation-ci", UsernameConfiguration: { CaseSensitive: false }, LambdaConfig: Object.fromEntries(TRIGGERS.map((name) => [name, env.lambdas.arn(name)])),
    }));
    ciPoolId = ci.UserPool!.Id!;
    await env.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: ciPoolId, Domain: CI_DOMAIN }));
    await env.idp.send(new CreateIdentityProviderCommand({
      UserPoolId: ciPoolId, ProviderName: "CorpOIDC", ProviderType: "OIDC", AttributeMapping: { email: "email" },
      ProviderDetails: { client_id: "cognito-pool", client_secret: "pool-secret", attributes_request_method: "POST", oidc_issuer: oidc.issuer, authorize_scopes: "openid email" },
    }));
    ciClientId = (await env.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: ciPoolId, ClientName: "web", AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email", "profile"], CallbackURLs: [CALLBACK], SupportedIdentityProviders: ["CorpOIDC"],
    }))).UserPoolClient!.ClientId!;
  });
  after(async () => {
    await oidc?.close();
    await new Promise<void>((resolve) => (tamperer ? tamperer.close(() => resolve()) : resolve()));
  });

  test("the first sign-in creates an EXTERNAL_PROVIDER user through PreSignUp_ExternalProvider; a later one updates it", async () => {
    passThrough();
    env.lambdas.functions.set("PreSignUp", (event) => ({ ...event, response: { ...event.response, autoVerifyEmail: true } }));
    const jar = new CookieJar();
    const request = authorizeRequest();
    const walk = await walkFederatedSignIn(request.url, CALLBACK, { login: "ada" }, jar);
    assert.ok(walk.callback, `no callback: ${walk.status} ${walk.html?.slice(0, 300)} ${walk.visited.join(" -> ")}`);
    assert.ok(walk.visited.some((u) => u.startsWith(`${oidc.issuer}/interaction/`)), "the IdP's login form was shown");
    assert.ok(walk.visited.some((u) => u.startsWith(`${base}/oauth2/idpresponse?`)), "the IdP sent the browser back to /oauth2/idpresponse");
    assert.equal(walk.callback.searchParams.get("state"), request.state);
    const tokens = await exchange(walk.callback.searchParams.get("code")!, request.verifier);

    const id = await verifier("id").verify(tokens.id_token);
    const access = await verifier("access").verify(tokens.access_token);
    assert.equal(id["cognito:username"], "CorpOIDC_ada");
    assert.equal(access.username, "CorpOIDC_ada");
    assert.equal(id.email, "ada@example.com");
    assert.equal(id.email_verified, true, "autoVerifyEmail of PreSignUp applies");
    assert.equal(id.name, "Ada Lovelace");
    assert.equal(id.nonce, request.nonce);
    assert.deepEqual(id["cognito:groups"], [`${userPoolId}_CorpOIDC`]);
    assert.deepEqual(access["cognito:groups"], [`${userPoolId}_CorpOIDC`]);
    const identities = id.identities as Array<Record<string, unknown>>;
    assert.equal(identities.length, 1);
    assert.deepEqual({ ...identities[0], dateCreated: undefined }, { userId: "ada", providerName: "CorpOIDC", providerType: "OIDC", issuer: null, primary: "true", dateCreated: undefined });
    assert.match(String(identities[0].dateCreated), /^\d{13}$/);

    const user = await env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "CorpOIDC_ada" }));
    assert.equal(user.UserStatus, "EXTERNAL_PROVIDER");
    const attributes = Object.fromEntries(user.UserAttributes!.map((a) => [a.Name, a.Value]));
    assert.equal(attributes.sub, id.sub);
    const stored = JSON.parse(attributes.identities!);
    assert.equal(stored[0].primary, true);
    assert.equal(typeof stored[0].dateCreated, "number");
    const listed = await env.idp.send(new ListUsersCommand({ UserPoolId: userPoolId, Filter: 'username = "CorpOIDC_ada"' }));
    assert.equal(listed.Users?.[0]?.UserStatus, "EXTERNAL_PROVIDER");
    const groups = await env.idp.send(new ListGroupsCommand({ UserPoolId: userPoolId }));
    const group = groups.Groups?.find((g) => g.GroupName === `${userPoolId}_CorpOIDC`);
    assert.equal(group?.Description, "Autogenerated group for users who sign in using CorpOIDC");

    const preSignUp = callsOf("PreSignUp");
    assert.equal(preSignUp.length, 1);
    assert.equal(preSignUp[0].triggerSource, "PreSignUp_ExternalProvider");
    assert.equal(preSignUp[0].userName, "CorpOIDC_ada");
    assert.equal(preSignUp[0].callerContext.clientId, clientId);
    assert.deepEqual(preSignUp[0].request.userAttributes, { email: "ada@example.com", name: "Ada Lovelace" });
    assert.deepEqual(callsOf("PostConfirmation").map((e) => e.triggerSource), ["PostConfirmation_ConfirmSignUp"]);
    assert.deepEqual(callsOf("PreAuthentication"), []);
    assert.deepEqual(callsOf("PreTokenGeneration").map((e) => e.triggerSource), ["TokenGeneration_HostedAuth"]);

    // The refresh token works for a federated user; the hosted session signs it in again without the IdP.
    const refreshed = await fetch(`${base}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", client_id: clientId, refresh_token: tokens.refresh_token }).toString(),
    });
    assert.equal(refreshed.status, 200);
    assert.equal((await verifier("id").verify(((await refreshed.json()) as { id_token: string }).id_token))["cognito:username"], "CorpOIDC_ada");
    const resumed = await fetch(authorizeRequest({}).url, { redirect: "manual", headers: { cookie: jar.header() } });
    assert.equal(resumed.status, 302);
    assert.ok(new URL(resumed.headers.get("location")!).searchParams.get("code"), "the hosted session answers with a code");

    // A password sign-in of a federated user fails as a wrong password does.
    await rejectsWithAwsError(env.idp.send(new AdminInitiateAuthCommand({
      UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "CorpOIDC_ada", PASSWORD: "Whatever-1234" },
    })), "NotAuthorizedException", /Incorrect username or password/);

    // Later: the IdP's session signs the user in without its form; the new name reaches the user; no new PreSignUp.
    env.lambdas.calls.length = 0;
    oidc.accounts.set("ada", { email: "ada@example.com", email_verified: true, name: "Ada King" });
    const again = authorizeRequest();
    const second = await walkFederatedSignIn(again.url, CALLBACK, { login: "ada" }, jar);
    assert.ok(second.callback?.searchParams.get("code"), `no code the second time: ${second.visited.join(" -> ")}`);
    assert.ok(!second.visited.some((u) => u.startsWith(`${oidc.issuer}/interaction/`)), "no login form the second time");
    const retokens = await exchange(second.callback!.searchParams.get("code")!, again.verifier);
    const reid = await verifier("id").verify(retokens.id_token);
    assert.equal(reid.sub, id.sub);
    assert.equal(reid.name, "Ada King");
    const updated = await env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "CorpOIDC_ada" }));
    assert.equal(updated.UserAttributes!.find((a) => a.Name === "name")?.Value, "Ada King");
    assert.equal(callsOf("PreSignUp").length, 0);
    assert.equal(callsOf("PostConfirmation").length, 0);
    assert.deepEqual(callsOf("PreAuthentication").map((e) => e.triggerSource), ["PreAuthentication_Authentication"]);
    assert.deepEqual(callsOf("PostAuthentication").map((e) => e.triggerSource), ["PostAuthentication_Authentication"]);
    assert.deepEqual(callsOf("PreTokenGeneration").map((e) => e.triggerSource), ["TokenGeneration_HostedAuth"]);
  });

  test("a PreSignUp that throws refuses the first sign-in with AWS's error and creates nothing", async () => {
    passThrough();
    env.lambdas.functions.set("PreSignUp", () => {
      throw new Error("Invitation required");
    });
    const request = authorizeRequest();
    const walk = await walkFederatedSignIn(request.url, CALLBACK, { login: "mallory" });
    assert.ok(walk.callback, walk.visited.join(" -> "));
    assert.equal(walk.callback.searchParams.get("error"), "invalid_request");
    assert.equal(walk.callback.searchParams.get("error_description"), "PreSignUp failed with error Invitation required. ");
    assert.equal(walk.callback.searchParams.get("state"), request.state);
    assert.equal(walk.callback.searchParams.get("code"), null);
    await rejectsWithAwsError(env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "CorpOIDC_mallory" })), "UserNotFoundException");
    assert.equal(callsOf("PostConfirmation").length, 0);
  });

  test("an identity linked to a native user with AdminLinkProviderForUser signs in as that user", async () => {
    passThrough();
    await env.idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "grace", MessageAction: "SUPPRESS", UserAttributes: [{ Name: "email", Value: "grace@example.com" }] }));
    await env.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: "grace", Password: "Cobol-1959!", Permanent: true }));
    await env.idp.send(new AdminLinkProviderForUserCommand({
      UserPoolId: userPoolId,
      DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: "grace" },
      SourceUser: { ProviderName: "CorpOIDC", ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: "grace" },
    }));
    const request = authorizeRequest();
    const walk = await walkFederatedSignIn(request.url, CALLBACK, { login: "grace" });
    assert.ok(walk.callback?.searchParams.get("code"), walk.visited.join(" -> "));
    const id = await verifier("id").verify((await exchange(walk.callback!.searchParams.get("code")!, request.verifier)).id_token);
    assert.equal(id["cognito:username"], "grace");
    assert.equal((id.identities as Array<Record<string, unknown>>)[0].providerName, "CorpOIDC");
    assert.deepEqual(callsOf("PreSignUp").map((e) => e.triggerSource), ["PreSignUp_AdminCreateUser"], "no PreSignUp_ExternalProvider");
    assert.deepEqual(callsOf("PreAuthentication").map((e) => e.userName), ["grace"]);
    await rejectsWithAwsError(env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "CorpOIDC_grace" })), "UserNotFoundException");
  });

  test("an external identity never signs in as a native user that merely has its username", async () => {
    passThrough();
    await env.idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "CorpOIDC_barbara", MessageAction: "SUPPRESS" }));
    const walk = await walkFederatedSignIn(authorizeRequest().url, CALLBACK, { login: "barbara" });
    assert.equal(walk.callback?.searchParams.get("error"), "invalid_request", walk.visited.join(" -> "));
    assert.match(walk.callback!.searchParams.get("error_description") ?? "", /already exists/);
    assert.equal(walk.callback!.searchParams.get("code"), null);
    const native = await env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "CorpOIDC_barbara" }));
    assert.equal(native.UserStatus, "FORCE_CHANGE_PASSWORD");
    assert.equal(native.UserAttributes?.find((a) => a.Name === "email"), undefined);
  });

  test("the IdP's own error and a tampered ID token go back to the app as errors; a forged callback gets an error page", async () => {
    passThrough();
    const cancelled = authorizeRequest();
    const walk = await walkFederatedSignIn(cancelled.url, CALLBACK, { cancel: true });
    assert.ok(walk.callback, walk.visited.join(" -> "));
    assert.equal(walk.callback.searchParams.get("error"), "invalid_request");
    assert.match(walk.callback.searchParams.get("error_description") ?? "", /^access_denied: End-User aborted interaction/);
    assert.equal(walk.callback.searchParams.get("state"), cancelled.state);

    const tampered = authorizeRequest({ identity_provider: "Tampered" });
    const bad = await walkFederatedSignIn(tampered.url, CALLBACK, { login: "alan" });
    assert.ok(bad.callback, bad.visited.join(" -> "));
    assert.equal(bad.callback.searchParams.get("error"), "invalid_request");
    assert.match(bad.callback.searchParams.get("error_description") ?? "", /^Invalid id_token: signature verification failed/);
    await rejectsWithAwsError(env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "Tampered_admin" })), "UserNotFoundException");
    await rejectsWithAwsError(env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "Tampered_alan" })), "UserNotFoundException");
    assert.equal(callsOf("PreSignUp").length, 0);

    // A callback the service did not start (no pending state for this browser) never reaches the app.
    const forged = await fetch(`${base}/oauth2/idpresponse?code=stolen&state=made-up`, { redirect: "manual" });
    assert.equal(forged.status, 400);
    assert.match(await forged.text(), /Invalid state/);
  });

  test("a pool with case-insensitive usernames names the federated user in lowercase", async () => {
    passThrough();
    const walk = await walkFederatedSignIn(authorizeRequest({ identity_provider: "CorpOIDC" }, ciClientId).url.replace(`/${DOMAIN}/`, `/${CI_DOMAIN}/`), CALLBACK, { login: "Alan" });
    assert.ok(walk.callback?.searchParams.get("code"), walk.visited.join(" -> "));
    const user = await env.idp.send(new AdminGetUserCommand({ UserPoolId: ciPoolId, Username: "CORPOIDC_ALAN" }));
    assert.equal(user.Username, "corpoidc_alan");
    assert.equal(callsOf("PreSignUp")[0]?.userName, "corpoidc_alan");
  });

  test("an IdP that takes client_secret_basic only; idp_identifier; the hosted page's button; an unsupported provider", async () => {
    passThrough();
    const basic = authorizeRequest({ identity_provider: "CorpBasic" });
    const walk = await walkFederatedSignIn(basic.url, CALLBACK, { login: "edsger" });
    assert.ok(walk.callback?.searchParams.get("code"), walk.visited.join(" -> "));
    assert.equal((await env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "CorpBasic_edsger" }))).UserStatus, "EXTERNAL_PROVIDER");

    // idp_identifier picks the provider; the IdP gets Cognito's authorize parameters.
    const byIdentifier = await fetch(authorizeRequest({ idp_identifier: "corp.example" }).url, { redirect: "manual" });
    assert.equal(byIdentifier.status, 302);
    const toIdp = new URL(byIdentifier.headers.get("location")!);
    assert.equal(`${toIdp.origin}${toIdp.pathname}`, `${oidc.issuer}/auth`);
    assert.equal(toIdp.searchParams.get("client_id"), "cognito-pool");
    assert.equal(toIdp.searchParams.get("redirect_uri"), `${base}/oauth2/idpresponse`);
    assert.equal(toIdp.searchParams.get("response_type"), "code");
    assert.equal(toIdp.searchParams.get("scope"), "openid email profile");
    assert.ok(toIdp.searchParams.get("state") && toIdp.searchParams.get("nonce"));

    // The hosted page offers a button per external provider, leading to that provider.
    const page = authorizeRequest({});
    const login = await fetch(page.url, { redirect: "follow" });
    const html = await login.text();
    csrfOf(html);
    assert.match(html, /Sign in with your corporate ID/);
    const button = /<a class="idp[^"]*" href="([^"]+)">CorpOIDC<\/a>/.exec(html);
    assert.ok(button, html);
    const fromButton = await fetch(button[1].replace(/&amp;/g, "&"), { redirect: "manual" });
    assert.equal(fromButton.status, 302);
    assert.ok(fromButton.headers.get("location")!.startsWith(`${oidc.issuer}/auth?`));

    // A client that does not support the provider keeps AWS's refusal.
    const other = await env.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: "native-only", AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["code"], AllowedOAuthScopes: ["openid"],
      CallbackURLs: [CALLBACK], SupportedIdentityProviders: ["COGNITO"],
    }));
    const refused = await fetch(authorizeRequest({ identity_provider: "CorpOIDC", scope: "openid" }, other.UserPoolClient!.ClientId!).url, { redirect: "manual" });
    assert.equal(refused.status, 302);
    const back = new URL(refused.headers.get("location")!);
    assert.equal(back.searchParams.get("error"), "invalid_request");
    assert.match(back.searchParams.get("error_description") ?? "", /identity_provider CorpOIDC is not enabled for the client/);
    await rejectsWithAwsError(env.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: "bad", SupportedIdentityProviders: ["NoSuchIdP"],
    })), "InvalidParameterException", /provider NoSuchIdP does not exist/);
  });
});
