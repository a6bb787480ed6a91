// Amplify v6 `signInWithRedirect` in headless Chromium against the local hosted sign-in. Amplify always calls
// `https://<domain>/oauth2/...`, so the app is configured with the AWS-shaped domain
// (`shop.auth.us-east-1.amazoncognito.com`) and the browser's requests for that name are routed to the local service
// with that Host header (its host-based domain mapping); nothing else is changed. The user signs in on the hosted page,
// Amplify exchanges the code (PKCE) on its own, and its session holds the pool's tokens. Then
// `signInWithRedirect({ provider: { custom: "TestIdP" } })` with the local test identity provider as the pool's OIDC
// provider: straight to the IdP's page, back through /oauth2/idpresponse, and Amplify holds a federated user's tokens.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { build } from "esbuild";
import type { Browser, BrowserContext } from "playwright-core";
import {
  CreateIdentityProviderCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { startTestIdp, subjectOf, type RunningTestIdp } from "../../lib/test-idp/server";
import { idpResponseUris, TEST_IDP_CLIENT_ID, testIdpProviderDetails } from "../../lib/test-idp/wiring";
import { launchChromium, skipWithoutChromium } from "./browser";
import { startTestService, type TestService } from "../support/local-service";
import { createOAuthPool, USER_EMAIL, USER_PASSWORD, type OAuthPool } from "../support/oauth-pool";

const AWS_DOMAIN = "shop.auth.us-east-1.amazoncognito.com";
const FEDERATED_DOMAIN = "fed.auth.us-east-1.amazoncognito.com";

/**
 * The only change to a real deployment: requests for the AWS domain name `domain` go to the local service, with that
 * Host header.
 */
function routeAwsDomain(context: BrowserContext, domain: string, serviceUrl: string): Promise<void> {
  return relay(context, `https://${domain}/**`, domain, (url) => `${serviceUrl}${url.pathname}${url.search}`, { host: domain });
}

/**
 * Serves requests matching `pattern` from `target(url)`. Playwright routes no redirect hop, so a redirect into the
 * AWS domain `domain` becomes a navigation (a meta refresh) that it does route.
 */
async function relay(context: BrowserContext, pattern: string, domain: string, target: (url: URL) => string, headerOverrides: Record<string, string>): Promise<void> {
  await context.route(pattern, async (route) => {
    const request = route.request();
    const headers = { ...(await request.allHeaders()), ...headerOverrides };
    const response = await route.fetch({ url: target(new URL(request.url())), headers, maxRedirects: 0 });
    const location = response.headers().location;
    if (response.status() === 302 && location?.startsWith(`https://${domain}/`)) {
      const { location: _dropped, ...rest } = response.headers();
      const escaped = location.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
      await route.fulfill({ status: 200, headers: { ...rest, "content-type": "text/html" }, body: `<meta http-equiv="refresh" content="0;url=${escaped}">` });
      return;
    }
    await route.fulfill({ response });
  });
}

describe("Amplify v6 signInWithRedirect in Chromium", { skip: skipWithoutChromium }, () => {
  let t: TestService;
  let p: OAuthPool;
  let browser: Browser;
  let app: http.Server;
  let appUrl: string;
  let testIdp: RunningTestIdp;
  let federatedConfig = "";

  before(async () => {
    const bundle = await build({ entryPoints: [path.join(__dirname, "amplify-app.ts")], bundle: true, platform: "browser", format: "iife", write: false, logLevel: "error" });
    const script = bundle.outputFiles[0].text;
    let config = "";
    app = http.createServer((req, res) => {
      if (req.url === "/app.js") return res.writeHead(200, { "content-type": "text/javascript" }).end(script);
      const appConfig = req.url?.startsWith("/fed") ? federatedConfig : config;
      res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><html><body><h1>Shop</h1><script>window.APP_CONFIG = ${appConfig};</script><script src="/app.js"></script></body></html>`);
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    appUrl = `http://localhost:${(app.address() as AddressInfo).port}/`;
    t = await startTestService();
    p = await createOAuthPool(t.idp, t.url, "shop", appUrl);
    config = JSON.stringify({ userPoolId: p.userPoolId, userPoolClientId: p.webClientId, domain: AWS_DOMAIN, appUrl });
    // A second pool whose app client signs in through the local test identity provider (an OIDC provider of the pool).
    testIdp = await startTestIdp();
    testIdp.registerClient({ clientId: TEST_IDP_CLIENT_ID, clientSecret: "amplify-fed-secret", redirectUris: idpResponseUris(t.url, "fed", "us-east-1") });
    const fedPoolId = (await t.idp.send(new CreateUserPoolCommand({ PoolName: "amplify-federated", UsernameAttributes: ["email"] }))).UserPool!.Id!;
    await t.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: fedPoolId, Domain: "fed" }));
    await t.idp.send(new CreateIdentityProviderCommand({
      UserPoolId: fedPoolId, ProviderName: "TestIdP", ProviderType: "OIDC", ProviderDetails: testIdpProviderDetails(testIdp, "amplify-fed-secret"),
      AttributeMapping: { email: "email", email_verified: "email_verified", name: "name" },
    }));
    const fedAppUrl = `${appUrl}fed`;
    const fedClient = await t.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: fedPoolId, ClientName: "web", AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["code"], AllowedOAuthScopes: ["openid", "email", "profile"],
      CallbackURLs: [fedAppUrl], LogoutURLs: [fedAppUrl], SupportedIdentityProviders: ["COGNITO", "TestIdP"],
    }));
    federatedConfig = JSON.stringify({ userPoolId: fedPoolId, userPoolClientId: fedClient.UserPoolClient!.ClientId!, domain: FEDERATED_DOMAIN, appUrl: fedAppUrl, scopes: ["openid", "email", "profile"] });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await testIdp?.close();
    await t?.stop();
    app?.close();
  });

  it("signs in through the hosted page and holds the pool's tokens", async () => {
    const context = await browser.newContext();
    await routeAwsDomain(context, AWS_DOMAIN, t.url);
    const page = await context.newPage();
    await page.goto(appUrl);
    await page.waitForFunction(() => typeof (globalThis as unknown as { startSignIn?: unknown }).startSignIn === "function");
    await Promise.all([page.waitForURL(`https://${AWS_DOMAIN}/login?**`), page.evaluate(() => (globalThis as unknown as { startSignIn: () => Promise<void> }).startSignIn())]);
    await page.getByLabel("Email").fill(USER_EMAIL);
    await page.getByLabel("Password").fill(USER_PASSWORD);
    await Promise.all([page.waitForURL(`${appUrl}?**`), page.getByRole("button", { name: "Sign in" }).click()]);
    // Amplify's listener exchanges the code and stores the tokens.
    await page.waitForFunction(async () => (await (globalThis as unknown as { idToken: () => Promise<string> }).idToken()) !== "", undefined, { timeout: 15_000 });
    const idToken = await page.evaluate(() => (globalThis as unknown as { idToken: () => Promise<string> }).idToken());
    const accessToken = await page.evaluate(() => (globalThis as unknown as { accessToken: () => Promise<string> }).accessToken());
    const id = JSON.parse(Buffer.from(idToken.split(".")[1], "base64url").toString()) as Record<string, unknown>;
    const access = JSON.parse(Buffer.from(accessToken.split(".")[1], "base64url").toString()) as Record<string, unknown>;
    assert.equal(id.email, USER_EMAIL);
    assert.equal(id.aud, p.webClientId);
    assert.equal(access.scope, "openid email orders/read");
    await context.close();
  });

  it("signInWithRedirect({ provider: { custom: \"TestIdP\" } }) goes through the test IdP and holds a federated user's tokens", async () => {
    const context = await browser.newContext();
    await routeAwsDomain(context, FEDERATED_DOMAIN, t.url);
    // The IdP sends the browser back to https://<domain>/oauth2/idpresponse: that hop, too, must reach the local service.
    await relay(context, `${testIdp.issuer}/**`, FEDERATED_DOMAIN, (url) => url.href, {});
    const page = await context.newPage();
    await page.goto(`${appUrl}fed`);
    await page.waitForFunction(() => typeof (globalThis as unknown as { startFederatedSignIn?: unknown }).startFederatedSignIn === "function");
    await Promise.all([
      page.waitForURL(`${testIdp.issuer}/authorize?**`),
      page.evaluate("startFederatedSignIn('TestIdP')"),
    ]);
    await page.getByLabel("Email", { exact: true }).fill("mary@example.com");
    await page.getByLabel("Name").fill("Mary Jackson");
    await Promise.all([page.waitForURL(`${appUrl}fed?**`), page.getByRole("button", { name: "Sign in" }).click()]);
    await page.waitForFunction(async () => (await (globalThis as unknown as { idToken: () => Promise<string> }).idToken()) !== "", undefined, { timeout: 15_000 });
    const idToken = (await page.evaluate("idToken()")) as string;
    const id = JSON.parse(Buffer.from(idToken.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    const sub = subjectOf("mary@example.com");
    assert.equal(id["cognito:username"], `TestIdP_${sub}`);
    assert.equal(id.email, "mary@example.com");
    assert.equal(id.name, "Mary Jackson");
    assert.deepEqual((id.identities as Array<Record<string, unknown>>).map((i) => [i.providerName, i.userId]), [["TestIdP", sub]]);
    await context.close();
  });
});
