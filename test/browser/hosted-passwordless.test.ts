// Headless Chromium walks choice-based sign-in on the hosted pages (the pool allows EMAIL_OTP and WEB_AUTHN, the client
// USER_AUTH), served from http://localhost:<port>/<prefix> with relying party id `localhost`: the username first, the
// choice of a factor, then the email code from /_local/codes, or a passkey from Chromium's DevTools virtual
// authenticator (registered first with StartWebAuthnRegistration / CompleteWebAuthnRegistration from the app's page on
// localhost), each ending on the app with an authorization code that the token endpoint exchanges; the passkey step's
// inline script runs under the page's CSP nonce (no CSP bypass in that context). Then sign-out: /logout ends the hosted
// session, and the next authorize shows the sign-in page again. Also MFA set-up by email on the hosted pages (a pool
// that requires MFA and offers an authenticator app and email: the choice, the address, the code sent there). And the
// managed-login passkey registration page /passkeys/add: signed in with a password, add a passkey, sign out, sign in
// with it.
// axe-core checks every page; screenshots go to $SCREENSHOT_DIR.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import {
  AdminCreateUserCommand, AdminSetUserPasswordCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand,
  AdminGetUserCommand, InitiateAuthCommand, ListWebAuthnCredentialsCommand, SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium, screenshotDir, skipWithoutChromium } from "./browser";
import { seriousViolations } from "./axe";
import { startTestService, type TestService } from "../support/local-service";

const PASSWORD = "Passwordless-2024!";
const OTP_USER = "olive@example.com";
const PASSKEY_USER = "pat@example.com";
const ADD_PASSKEY_USER = "ada@example.com";

/**
 * Registers a passkey from a page on localhost, as an app would: the service's JSON API and navigator.credentials.create.
 * Plain JavaScript text (the test's own code is transformed by tsx, which the page does not know).
 */
const REGISTER_PASSKEY = `async (serviceUrl, accessToken) => {
  const toB64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  const fromB64 = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4)), (c) => c.charCodeAt(0));
  const cognito = async (operation, body) => {
    const res = await fetch(serviceUrl, { method: "POST", headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService." + operation }, body: JSON.stringify(body) });
    const json = await res.json();
    if (!res.ok) throw new Error(operation + ": " + json.__type + ": " + json.message);
    return json;
  };
  const { CredentialCreationOptions: o } = await cognito("StartWebAuthnRegistration", { AccessToken: accessToken });
  const publicKey = { ...o, challenge: fromB64(o.challenge), user: { ...o.user, id: fromB64(o.user.id) }, excludeCredentials: o.excludeCredentials.map((c) => ({ ...c, id: fromB64(c.id) })) };
  const cred = await navigator.credentials.create({ publicKey });
  const r = cred.response;
  await cognito("CompleteWebAuthnRegistration", {
    AccessToken: accessToken,
    Credential: {
      id: cred.id, rawId: toB64(cred.rawId), type: cred.type, authenticatorAttachment: cred.authenticatorAttachment, clientExtensionResults: cred.getClientExtensionResults(),
      response: { clientDataJSON: toB64(r.clientDataJSON), attestationObject: toB64(r.attestationObject), transports: r.getTransports() },
    },
  });
  return cred.id;
}`;

/** A page of `context` (which does not bypass the CSP) with a DevTools virtual authenticator that verifies the user. */
async function pageWithVirtualAuthenticator(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return page;
}

async function registerPasskey(page: Page, serviceUrl: string, accessToken: string): Promise<string> {
  return (await page.evaluate(`(${REGISTER_PASSKEY})(${JSON.stringify(serviceUrl)}, ${JSON.stringify(accessToken)})`)) as string;
}

describe("choice-based sign-in on the hosted pages in Chromium", { skip: skipWithoutChromium }, () => {
  let t: TestService;
  let browser: Browser;
  let app: http.Server;
  let appOrigin: string;
  let serviceOrigin: string;
  let base: string;
  let poolId: string;
  let clientId: string;
  const shots = screenshotDir();

  const callbackUrl = () => `${appOrigin}/callback`;
  const logoutUrl = () => `${appOrigin}/signed-out`;
  const authorizeUrl = () => `${base}/oauth2/authorize?${new URLSearchParams({ client_id: clientId, response_type: "code", redirect_uri: callbackUrl(), scope: "openid email", state: "st-9" })}`;

  async function look(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(shots, `hosted-${name}.png`), fullPage: true });
    assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
  }

  /** Waits for the app's callback and exchanges its code at the token endpoint: the ID token's claims. */
  async function landOnApp(page: Page, action: () => Promise<unknown>): Promise<Record<string, unknown>> {
    await Promise.all([page.waitForURL(`${callbackUrl()}?**`), action()]);
    const landed = new URL(page.url());
    assert.equal(landed.searchParams.get("state"), "st-9");
    const res = await fetch(`${base}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", client_id: clientId, code: landed.searchParams.get("code")!, redirect_uri: callbackUrl() }),
    });
    assert.equal(res.status, 200);
    const tokens = (await res.json()) as { id_token: string };
    return JSON.parse(Buffer.from(tokens.id_token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
  }

  before(async () => {
    app = http.createServer((req, res) => res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><html lang=en><title>App</title><h1>App ${req.url?.split("?")[0]}</h1></html>`));
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    appOrigin = `http://localhost:${(app.address() as AddressInfo).port}`;
    t = await startTestService();
    serviceOrigin = t.url.replace("127.0.0.1", "localhost");
    const pool = await t.idp.send(new CreateUserPoolCommand({
      PoolName: "hosted-passwordless", UsernameAttributes: ["email"], AutoVerifiedAttributes: ["email"],
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"] } },
    }));
    poolId = pool.UserPool!.Id!;
    await t.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: "choice" }));
    await t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, WebAuthnConfiguration: { RelyingPartyId: "localhost", UserVerification: "required" } }));
    base = `${serviceOrigin}/choice`;
    const client = await t.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: "web", AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["code"], AllowedOAuthScopes: ["openid", "email"],
      CallbackURLs: [callbackUrl()], LogoutURLs: [logoutUrl()], SupportedIdentityProviders: ["COGNITO"], ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }));
    clientId = client.UserPoolClient!.ClientId!;
    for (const email of [OTP_USER, PASSKEY_USER, ADD_PASSKEY_USER]) {
      await t.idp.send(new AdminCreateUserCommand({
        UserPoolId: poolId, Username: email, MessageAction: "SUPPRESS", UserAttributes: [{ Name: "email", Value: email }, { Name: "email_verified", Value: "true" }],
      }));
      await t.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: email, Password: PASSWORD, Permanent: true }));
    }
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
    app?.close();
  });

  it("signs in with a one-time code sent by email: username, choice, code page, back on the app", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(authorizeUrl());
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    assert.equal(await page.getByLabel("Password").count(), 0, "the first page asks for the username alone");
    await look(page, "choice-username");

    await page.getByLabel("Email").fill(OTP_USER);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByText(`Signing in as ${OTP_USER}`).waitFor();
    assert.ok(await page.getByRole("button", { name: "Email me a one-time code" }).isVisible());
    assert.ok(await page.getByLabel("Password").isVisible());
    assert.equal(await page.getByRole("button", { name: "Sign in with a passkey" }).count(), 0, "no passkey is offered to a user who has none");
    await look(page, "choice-factors");

    await page.getByRole("button", { name: "Email me a one-time code" }).click();
    await page.getByRole("heading", { name: "Verify your identity" }).waitFor();
    assert.match((await page.locator("#code-hint").textContent()) ?? "", /We have sent a code by email to o\*\*\*@e\*\*\*/);
    await look(page, "choice-email-code");

    await page.getByLabel("Code").fill("000000");
    await page.getByRole("button", { name: "Sign in" }).click();
    assert.equal((await page.getByRole("alert").textContent())?.trim(), "Invalid code received for user");
    await look(page, "choice-email-code-error");

    const code = await t.latestCode(poolId, OTP_USER, "SIGN_IN");
    await page.getByLabel("Code").fill(code);
    const claims = await landOnApp(page, () => page.getByRole("button", { name: "Sign in" }).click());
    assert.equal(claims.email, OTP_USER);
    assert.equal(claims.aud, clientId);
    await context.close();
  });

  it("offers the password among the factors and signs in with it", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(authorizeUrl());
    await page.getByLabel("Email").fill(OTP_USER);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Password").fill("wrong-password");
    await page.getByLabel("Password").press("Enter");
    assert.equal((await page.getByRole("alert").textContent())?.trim(), "Incorrect username or password.");
    assert.equal(await page.getByLabel("Email").inputValue(), OTP_USER);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByLabel("Password").fill(PASSWORD);
    const claims = await landOnApp(page, () => page.getByLabel("Password").press("Enter"));
    assert.equal(claims.email, OTP_USER);
    await context.close();
  });

  it("signs in with a passkey (virtual authenticator, the page's script under its CSP nonce), then signs out", async () => {
    const signedIn = await t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_AUTH", AuthParameters: { USERNAME: PASSKEY_USER, PREFERRED_CHALLENGE: "PASSWORD", PASSWORD } }));
    const context = await browser.newContext();
    const page = await pageWithVirtualAuthenticator(context);
    await page.goto(`${appOrigin}/`);
    const credentialId = await registerPasskey(page, serviceOrigin, signedIn.AuthenticationResult!.AccessToken!);
    const listed = await t.idp.send(new ListWebAuthnCredentialsCommand({ AccessToken: signedIn.AuthenticationResult!.AccessToken! }));
    assert.deepEqual(listed.Credentials?.map((c) => c.CredentialId), [credentialId]);

    await page.goto(authorizeUrl());
    await page.getByLabel("Email").fill(PASSKEY_USER);
    await page.getByRole("button", { name: "Next" }).click();
    const passkeyAnswer = page.waitForResponse((r) => r.request().method() === "POST" && r.url().startsWith(`${base}/login`));
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    const csp = (await passkeyAnswer).headers()["content-security-policy"] ?? "";
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce, `the passkey page allows its own script by nonce: ${csp}`);
    assert.equal(await page.locator("script").getAttribute("nonce"), "", "the browser hides the nonce from the DOM once used");
    await page.getByRole("heading", { name: "Sign in with a passkey" }).waitFor();
    const button = page.getByRole("button", { name: "Continue with passkey" });
    await button.waitFor();
    await page.screenshot({ path: path.join(shots, "hosted-choice-passkey.png"), fullPage: true });

    const claims = await landOnApp(page, () => button.click());
    assert.equal(claims.email, PASSKEY_USER);

    // Signed in on the hosted page: the next authorize goes straight back to the app.
    await Promise.all([page.waitForURL(`${callbackUrl()}?**`), page.goto(authorizeUrl())]);
    // Sign-out: /logout ends the session and goes to the client's sign-out URL ...
    await page.goto(`${base}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: logoutUrl() })}`);
    assert.equal(page.url(), logoutUrl());
    assert.equal((await context.cookies(base)).find((c) => c.name === "cognito"), undefined, "the session cookie is gone");
    // ... and the next authorize shows the sign-in page again.
    await page.goto(authorizeUrl());
    await page.getByRole("button", { name: "Next" }).waitFor();
    // /logout without logout_uri sends the user to the sign-in page of the same authorize request.
    await page.goto(`${base}/logout?${new URLSearchParams({ client_id: clientId, response_type: "code", redirect_uri: callbackUrl(), scope: "openid email", state: "st-9" })}`);
    assert.match(page.url(), new RegExp(`^${base}/login\\?`));
    await page.getByRole("button", { name: "Next" }).waitFor();
    await context.close();
  });

  it("the passkey page passes axe and, without JavaScript, says what it needs", async () => {
    const signedIn = await t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_AUTH", AuthParameters: { USERNAME: PASSKEY_USER, PREFERRED_CHALLENGE: "PASSWORD", PASSWORD } }));
    assert.ok(signedIn.AuthenticationResult);
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser.newContext({ bypassCSP: true, javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(authorizeUrl());
      await page.getByLabel("Email").fill(PASSKEY_USER);
      await page.getByRole("button", { name: "Next" }).click();
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await page.getByRole("heading", { name: "Sign in with a passkey" }).waitFor();
      if (javaScriptEnabled) {
        await page.getByRole("button", { name: "Continue with passkey" }).waitFor();
        await look(page, "choice-passkey-axe");
      } else {
        assert.ok(await page.getByText("Passkey sign-in needs JavaScript").isVisible());
        assert.equal(await page.getByRole("button", { name: "Continue with passkey" }).count(), 0);
        await page.screenshot({ path: path.join(shots, "hosted-choice-passkey-nojs.png"), fullPage: true });
        await page.getByRole("link", { name: "Choose another way to sign in" }).click();
        await page.getByRole("button", { name: "Next" }).waitFor();
      }
      await context.close();
    }
  });

  it("adds a passkey on /passkeys/add after a password sign-in, then signs in with it after signing out", async () => {
    const addUrl = (redirectUri = callbackUrl()) => `${base}/passkeys/add?${new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri })}`;
    // Not a callback URL of the client: an error page, never a redirect.
    const mismatch = await fetch(addUrl("https://evil.example/"), { redirect: "manual" });
    assert.equal(mismatch.status, 400);
    assert.match(await mismatch.text(), /redirect_mismatch/);
    const context = await browser.newContext();
    const page = await pageWithVirtualAuthenticator(context);
    // Without a hosted session: to the sign-in page with the same parameters.
    await page.goto(addUrl());
    assert.match(page.url(), new RegExp(`^${base}/login\\?`));
    assert.equal(new URL(page.url()).searchParams.get("redirect_uri"), callbackUrl());
    await page.goto(authorizeUrl());
    await page.getByLabel("Email").fill(ADD_PASSKEY_USER);
    await page.getByRole("button", { name: "Next" }).click();
    assert.equal(await page.getByRole("button", { name: "Sign in with a passkey" }).count(), 0);
    await page.getByLabel("Password").fill(PASSWORD);
    await landOnApp(page, () => page.getByLabel("Password").press("Enter"));

    // axe needs its own script on the page: a second context with the same session and CSP bypassed.
    const axeContext = await browser.newContext({ bypassCSP: true });
    await axeContext.addCookies(await context.cookies());
    const axePage = await axeContext.newPage();
    await axePage.goto(addUrl());
    await axePage.getByRole("button", { name: "Add a passkey" }).waitFor();
    await look(axePage, "passkeys-add");
    await axeContext.close();

    const shown = page.waitForResponse((r) => r.url().startsWith(`${base}/passkeys/add`));
    await page.goto(addUrl());
    const csp = (await shown).headers()["content-security-policy"] ?? "";
    assert.match(csp, /script-src 'nonce-[^']+'/);
    await page.getByRole("heading", { name: "Add a passkey" }).waitFor();
    await page.screenshot({ path: path.join(shots, "hosted-passkeys-add-nonce.png"), fullPage: true });
    assert.match((await page.locator("main").textContent()) ?? "", new RegExp(`Signed in as ${ADD_PASSKEY_USER}`));
    // A form without the page's CSRF token changes nothing; a malformed credential gets AWS's message and a new try.
    const forged = await fetch(addUrl(), {
      method: "POST", redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: (await context.cookies(base)).map((c) => `${c.name}=${c.value}`).join("; ") },
      body: new URLSearchParams({ credential: "{}" }),
    });
    assert.equal(forged.status, 403);
    await page.evaluate(`(() => { const f = document.getElementById("passkey-form"); f.elements.credential.value = '{"id":"x"}'; f.submit(); })()`);
    await page.getByText("Credential is not a valid WebAuthn credential response.").waitFor();
    await Promise.all([page.waitForURL(callbackUrl()), page.getByRole("button", { name: "Add a passkey" }).click()]);
    const signedIn = await t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_AUTH", AuthParameters: { USERNAME: ADD_PASSKEY_USER, PREFERRED_CHALLENGE: "PASSWORD", PASSWORD } }));
    const listed = await t.idp.send(new ListWebAuthnCredentialsCommand({ AccessToken: signedIn.AuthenticationResult!.AccessToken! }));
    assert.equal(listed.Credentials?.length, 1);
    assert.equal(listed.Credentials?.[0]?.RelyingPartyId, "localhost");

    await page.goto(`${base}/logout?${new URLSearchParams({ client_id: clientId, logout_uri: logoutUrl() })}`);
    assert.equal(page.url(), logoutUrl());
    await page.goto(authorizeUrl());
    await page.getByLabel("Email").fill(ADD_PASSKEY_USER);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    const button = page.getByRole("button", { name: "Continue with passkey" });
    await button.waitFor();
    const claims = await landOnApp(page, () => button.click());
    assert.equal(claims.email, ADD_PASSKEY_USER);
    await context.close();
  });

  it("sets email MFA up on the hosted pages: the choice of a method, the address, the code sent there", async () => {
    const pool = await t.idp.send(new CreateUserPoolCommand({ PoolName: "hosted-mfa-setup" }));
    const mfaPoolId = pool.UserPool!.Id!;
    await t.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: mfaPoolId, Domain: "mfa-setup" }));
    await t.idp.send(new SetUserPoolMfaConfigCommand({
      UserPoolId: mfaPoolId, MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: { Message: "Your code is {####}", Subject: "Code" },
    }));
    const client = await t.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: mfaPoolId, ClientName: "web", AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["code"], AllowedOAuthScopes: ["openid"],
      CallbackURLs: [callbackUrl()], SupportedIdentityProviders: ["COGNITO"],
    }));
    await t.idp.send(new AdminCreateUserCommand({ UserPoolId: mfaPoolId, Username: "milo", MessageAction: "SUPPRESS" }));
    await t.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: mfaPoolId, Username: "milo", Password: PASSWORD, Permanent: true }));
    const mfaBase = `${serviceOrigin}/mfa-setup`;

    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${mfaBase}/oauth2/authorize?${new URLSearchParams({ client_id: client.UserPoolClient!.ClientId!, response_type: "code", redirect_uri: callbackUrl(), scope: "openid", state: "st-9" })}`);
    await page.getByLabel("Username").fill("milo");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Set up multi-factor authentication" }).waitFor();
    await look(page, "mfa-setup-choice");
    await page.getByLabel("Email").check();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { name: "Set up email MFA" }).waitFor();
    await look(page, "mfa-setup-email");
    await page.getByLabel("Email address").fill("not-an-address");
    await page.getByRole("button", { name: "Send code" }).click();
    assert.equal((await page.getByRole("alert").textContent())?.trim(), "Invalid email address format.");
    await look(page, "mfa-setup-email-error");
    await page.getByLabel("Email address").fill("milo@example.com");
    await page.getByRole("button", { name: "Send code" }).click();
    await page.getByRole("heading", { name: "Verify your identity" }).waitFor();
    assert.match((await page.locator("#code-hint").textContent()) ?? "", /by email to m\*\*\*@e\*\*\*/);
    const code = await t.latestCode(mfaPoolId, "milo", "MFA");
    await page.getByLabel("Code").fill(code);
    await Promise.all([page.waitForURL(`${callbackUrl()}?**`), page.getByRole("button", { name: "Sign in" }).click()]);
    assert.ok(new URL(page.url()).searchParams.get("code"));
    const user = await t.idp.send(new AdminGetUserCommand({ UserPoolId: mfaPoolId, Username: "milo" }));
    assert.equal(user.UserAttributes?.find((a) => a.Name === "email")?.Value, "milo@example.com");
    assert.deepEqual(user.UserMFASettingList, ["EMAIL_OTP"]);
    await context.close();
  });
});
