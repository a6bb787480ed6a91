// Headless Chromium (Debian's chromium, driven by playwright-core) signs in through an external OpenID Connect provider
// as a person would: the hosted sign-in page shows the client's provider under "Sign in with your corporate ID"; its
// button leads to the IdP (panva's oidc-provider on loopback), whose login form signs the person in and sends the
// browser back through /oauth2/idpresponse to the app's callback with a code. Screenshots of the hosted page and the
// IdP's form go to $SCREENSHOT_DIR (default: the OS temp directory).
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import type { Browser } from "playwright-core";
import {
  AdminGetUserCommand, CreateIdentityProviderCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { launchChromium, screenshotDir, skipWithoutChromium } from "./browser";
import { startTestService, type TestService } from "../support/local-service";
import { startOidcIdp, type OidcIdp } from "../support/oidc-idp";

describe("federated sign-in in Chromium", { skip: skipWithoutChromium }, () => {
  let t: TestService;
  let oidc: OidcIdp;
  let browser: Browser;
  let app: http.Server;
  let callback: string;
  let userPoolId: string;
  let clientId: string;

  before(async () => {
    app = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<h1>App</h1>"));
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    callback = `http://localhost:${(app.address() as AddressInfo).port}/callback`;
    t = await startTestService();
    userPoolId = (await t.idp.send(new CreateUserPoolCommand({ PoolName: "browser-federation", UsernameAttributes: ["email"] }))).UserPool!.Id!;
    await t.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: "corp" }));
    oidc = await startOidcIdp([
      { client_id: "cognito", client_secret: "secret", redirect_uris: [`${t.url}/corp/oauth2/idpresponse`], token_endpoint_auth_method: "client_secret_post" },
    ]);
    oidc.accounts.set("katherine", { email: "katherine@example.com", email_verified: true, name: "Katherine Johnson" });
    await t.idp.send(new CreateIdentityProviderCommand({
      UserPoolId: userPoolId, ProviderName: "Corp", ProviderType: "OIDC", AttributeMapping: { email: "email", email_verified: "email_verified", name: "name" },
      ProviderDetails: { client_id: "cognito", client_secret: "secret", attributes_request_method: "GET", oidc_issuer: oidc.issuer, authorize_scopes: "openid email profile" },
    }));
    clientId = (await t.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: "web", AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["code"], AllowedOAuthScopes: ["openid", "email"],
      CallbackURLs: [callback], SupportedIdentityProviders: ["COGNITO", "Corp"],
    }))).UserPoolClient!.ClientId!;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await oidc?.close();
    await t?.stop();
    app?.close();
  });

  it("the hosted page's provider button leads through the IdP's login back to the app with a code", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${t.url}/corp/oauth2/authorize?${new URLSearchParams({ client_id: clientId, response_type: "code", redirect_uri: callback, scope: "openid email", state: "b-7" })}`);
    await page.getByRole("heading", { name: "Sign in with your corporate ID" }).waitFor();
    await page.screenshot({ path: path.join(screenshotDir(), "hosted-sign-in-federation.png") });
    await page.getByRole("link", { name: "Corp" }).click();
    await page.waitForURL(`${oidc.issuer}/interaction/**`);
    await page.screenshot({ path: path.join(screenshotDir(), "idp-sign-in.png") });
    await page.getByPlaceholder("Enter any login").fill("katherine");
    await page.getByPlaceholder("and password").fill("any password");
    await Promise.all([page.waitForURL(`${callback}?**`), page.getByRole("button", { name: "Sign-in" }).click()]);
    const landed = new URL(page.url());
    assert.equal(landed.searchParams.get("state"), "b-7");
    assert.ok(landed.searchParams.get("code"));
    const user = await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "Corp_katherine" }));
    assert.equal(user.UserStatus, "EXTERNAL_PROVIDER");
    assert.equal(user.UserAttributes?.find((a) => a.Name === "email_verified")?.Value, "true");
  });
});
