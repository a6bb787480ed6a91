// Headless Chromium (playwright-core) walks federated sign-in through the local test identity provider as a person
// would: the hosted sign-in page -> "TestIdP" -> the test IdP's page, where the person types an email, a name and a
// claim -> back to the app's callback with a code, whose tokens name the user. Once for a first-time user (a new
// TestIdP_<sub> user) and once for an identity linked to a native user (AdminLinkProviderForUser), which signs in as
// that user. axe-core (injected from node_modules/axe-core/axe.min.js) must find no serious or critical violation on
// the IdP's page, fresh and with an error shown (the context bypasses the page's CSP so the test may inject it). Screenshots go to $SCREENSHOT_DIR (default: the OS temp directory).
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import {
  AdminCreateUserCommand, AdminGetUserCommand, AdminLinkProviderForUserCommand, CreateIdentityProviderCommand, CreateUserPoolClientCommand,
  CreateUserPoolCommand, CreateUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { launchChromium, screenshotDir, skipWithoutChromium } from "./browser";
import { seriousViolations } from "./axe";
import { startTestService, type TestService } from "../support/local-service";
import { startTestIdp, subjectOf, type RunningTestIdp } from "../../lib/test-idp/server";
import { idpResponseUris, TEST_IDP_CLIENT_ID, testIdpProviderDetails } from "../../lib/test-idp/wiring";

function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

describe("federated sign-in through the test IdP in Chromium", { skip: skipWithoutChromium }, () => {
  let t: TestService;
  let testIdp: RunningTestIdp;
  let browser: Browser;
  let app: http.Server;
  let callback: string;
  let userPoolId: string;
  let clientId: string;

  before(async () => {
    app = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>App</title><h1>App</h1>"));
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    callback = `http://localhost:${(app.address() as AddressInfo).port}/callback`;
    t = await startTestService();
    testIdp = await startTestIdp();
    testIdp.registerClient({ clientId: TEST_IDP_CLIENT_ID, clientSecret: "browser-test-secret", redirectUris: idpResponseUris(t.url, "browser-idp", "us-east-1") });
    userPoolId = (await t.idp.send(new CreateUserPoolCommand({ PoolName: "browser-test-idp", UsernameAttributes: ["email"] }))).UserPool!.Id!;
    await t.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: "browser-idp" }));
    await t.idp.send(new CreateIdentityProviderCommand({
      UserPoolId: userPoolId, ProviderName: "TestIdP", ProviderType: "OIDC", ProviderDetails: testIdpProviderDetails(testIdp, "browser-test-secret"),
      AttributeMapping: { email: "email", email_verified: "email_verified", name: "name", locale: "locale" },
    }));
    clientId = (await t.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: "web", AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["code"], AllowedOAuthScopes: ["openid", "email", "profile"],
      CallbackURLs: [callback], SupportedIdentityProviders: ["COGNITO", "TestIdP"],
    }))).UserPoolClient!.ClientId!;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await testIdp?.close();
    await t?.stop();
    app?.close();
  });

  const authorizeUrl = (state: string, extra: Record<string, string> = {}) =>
    `${t.url}/browser-idp/oauth2/authorize?${new URLSearchParams({ client_id: clientId, response_type: "code", redirect_uri: callback, scope: "openid email profile", state, ...extra })}`;

  /** The callback's code exchanged at the token endpoint: the ID token's claims. */
  async function idTokenOf(code: string): Promise<Record<string, unknown>> {
    const res = await fetch(`${t.url}/browser-idp/oauth2/token`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", client_id: clientId, code, redirect_uri: callback }).toString(),
    });
    const body = (await res.json()) as Record<string, string>;
    assert.equal(res.status, 200, JSON.stringify(body));
    return payloadOf(body.id_token!);
  }

  it("a first-time user: hosted page -> TestIdP -> the IdP's form -> back with a code; a new federated user", async () => {
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(authorizeUrl("first-1"));
    await page.getByRole("heading", { name: "Sign in with your corporate ID" }).waitFor();
    await page.screenshot({ path: path.join(screenshotDir(), "test-idp-hosted-page.png"), fullPage: true });
    await page.getByRole("link", { name: "TestIdP" }).click();
    await page.waitForURL(`${testIdp.issuer}/authorize?**`);
    await page.getByRole("heading", { name: "Sign in to the test identity provider" }).waitFor();
    assert.deepEqual(await seriousViolations(page), [], "axe on the test IdP's page");
    await page.screenshot({ path: path.join(screenshotDir(), "test-idp-page.png"), fullPage: true });

    // A mistake first: the error is announced and tied to the field, and the page stays accessible.
    await page.getByLabel("Email", { exact: true }).fill("not an email");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    assert.match(await page.getByRole("alert").innerText(), /Enter an email address/);
    assert.equal(await page.getByLabel("Email", { exact: true }).getAttribute("aria-invalid"), "true");
    assert.deepEqual(await seriousViolations(page), [], "axe on the test IdP's page with an error");
    await page.screenshot({ path: path.join(screenshotDir(), "test-idp-page-error.png"), fullPage: true });

    // Keyboard only: type into the fields and submit with Enter.
    await page.getByLabel("Email", { exact: true }).fill("katherine@example.com");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Katherine Johnson");
    await page.getByLabel("More claims (a JSON object)").fill(`{"locale": "en-US"}`);
    await Promise.all([page.waitForURL(`${callback}?**`), page.getByLabel("Name").press("Enter")]);
    const landed = new URL(page.url());
    assert.equal(landed.searchParams.get("state"), "first-1");
    const id = await idTokenOf(landed.searchParams.get("code")!);
    const sub = subjectOf("katherine@example.com");
    assert.equal(id["cognito:username"], `TestIdP_${sub}`);
    assert.equal(id.email, "katherine@example.com");
    assert.equal(id.name, "Katherine Johnson");
    assert.equal(id.locale, "en-US");
    assert.deepEqual((id.identities as Array<Record<string, unknown>>).map((i) => [i.providerName, i.userId]), [["TestIdP", sub]]);
    const user = await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: `TestIdP_${sub}` }));
    assert.equal(user.UserStatus, "EXTERNAL_PROVIDER");
  });

  it("a linked identity: identity_provider=TestIdP straight to the IdP, pick the user, back as the native user", async () => {
    const native = await t.idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "dorothy@example.com", MessageAction: "SUPPRESS", UserAttributes: [{ Name: "email", Value: "dorothy@example.com" }] }));
    const nativeSub = native.User!.Attributes!.find((a) => a.Name === "sub")!.Value!;
    await t.idp.send(new AdminLinkProviderForUserCommand({
      UserPoolId: userPoolId,
      DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: native.User!.Username! },
      SourceUser: { ProviderName: "TestIdP", ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: subjectOf("dorothy@example.com") },
    }));
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    // First through the typed form, then again by picking the remembered user.
    for (const [round, pick] of [["linked-1", false], ["linked-2", true]] as const) {
      await page.goto(authorizeUrl(round, { identity_provider: "TestIdP", prompt: "login" }));
      await page.waitForURL(`${testIdp.issuer}/authorize?**`);
      if (pick) {
        await page.screenshot({ path: path.join(screenshotDir(), "test-idp-page-recent-users.png"), fullPage: true });
        await Promise.all([page.waitForURL(`${callback}?**`), page.getByRole("button", { name: "Continue as Dorothy Vaughan (dorothy@example.com)" }).click()]);
      } else {
        await page.getByLabel("Email", { exact: true }).fill("dorothy@example.com");
        await page.getByLabel("Name").fill("Dorothy Vaughan");
        await Promise.all([page.waitForURL(`${callback}?**`), page.getByRole("button", { name: "Sign in" }).click()]);
      }
      const landed = new URL(page.url());
      assert.equal(landed.searchParams.get("state"), round);
      const id = await idTokenOf(landed.searchParams.get("code")!);
      assert.equal(id.sub, nativeSub, "signed in as the native user");
      assert.equal(id["cognito:username"], native.User!.Username);
      assert.equal((id.identities as Array<Record<string, unknown>>)[0]!.providerName, "TestIdP");
    }
    await assert.rejects(t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: `TestIdP_${subjectOf("dorothy@example.com")}` })), /UserNotFoundException|User does not exist/);
  });

  it("Cancel on the IdP's page goes back to the app with AWS's error", async () => {
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(authorizeUrl("cancel-1", { identity_provider: "TestIdP" }));
    await Promise.all([page.waitForURL(`${callback}?**`), page.getByRole("button", { name: "Cancel" }).click()]);
    const landed = new URL(page.url());
    assert.equal(landed.searchParams.get("error"), "invalid_request");
    assert.match(landed.searchParams.get("error_description") ?? "", /^access_denied: The user cancelled the sign-in\./);
    assert.equal(landed.searchParams.get("state"), "cancel-1");
  });
});
