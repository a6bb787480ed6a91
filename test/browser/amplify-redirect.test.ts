// Amplify v6 `signInWithRedirect` in headless Chromium against the local hosted sign-in. Amplify always calls
// `https://<domain>/oauth2/...`, so the app is configured with the AWS-shaped domain
// (`shop.auth.us-east-1.amazoncognito.com`) and the browser's requests for that name are routed to the local service
// with that Host header (its host-based domain mapping); nothing else is changed. The user signs in on the hosted page,
// Amplify exchanges the code (PKCE) on its own, and its session holds the pool's tokens.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { launchChromium, skipWithoutChromium } from "./browser";
import { startTestService, type TestService } from "../support/local-service";
import { createOAuthPool, USER_EMAIL, USER_PASSWORD, type OAuthPool } from "../support/oauth-pool";

const AWS_DOMAIN = "shop.auth.us-east-1.amazoncognito.com";

describe("Amplify v6 signInWithRedirect in Chromium", { skip: skipWithoutChromium }, () => {
  let t: TestService;
  let p: OAuthPool;
  let browser: Browser;
  let app: http.Server;
  let appUrl: string;

  before(async () => {
    const bundle = await build({ entryPoints: [path.join(__dirname, "amplify-app.ts")], bundle: true, platform: "browser", format: "iife", write: false, logLevel: "error" });
    const script = bundle.outputFiles[0].text;
    let config = "";
    app = http.createServer((req, res) => {
      if (req.url === "/app.js") return res.writeHead(200, { "content-type": "text/javascript" }).end(script);
      res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><html><body><h1>Shop</h1><script>window.APP_CONFIG = ${config};</script><script src="/app.js"></script></body></html>`);
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    appUrl = `http://localhost:${(app.address() as AddressInfo).port}/`;
    t = await startTestService();
    p = await createOAuthPool(t.idp, t.url, "shop", appUrl);
    config = JSON.stringify({ userPoolId: p.userPoolId, userPoolClientId: p.webClientId, domain: AWS_DOMAIN, appUrl });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
    app?.close();
  });

  it("signs in through the hosted page and holds the pool's tokens", async () => {
    const context = await browser.newContext();
    // The only change to a real deployment: the AWS domain name resolves to the local service.
    await context.route(`https://${AWS_DOMAIN}/**`, async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      const headers = { ...(await request.allHeaders()), host: AWS_DOMAIN };
      const response = await route.fetch({ url: `${t.url}${url.pathname}${url.search}`, headers, maxRedirects: 0 });
      const location = response.headers().location;
      if (response.status() === 302 && location?.startsWith(`https://${AWS_DOMAIN}/`)) {
        // Playwright routes no redirect hop, so a redirect within the domain becomes a navigation it does route.
        const { location: _dropped, ...rest } = response.headers();
        const escaped = location.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
        await route.fulfill({ status: 200, headers: { ...rest, "content-type": "text/html" }, body: `<meta http-equiv="refresh" content="0;url=${escaped}">` });
        return;
      }
      await route.fulfill({ response });
    });
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
});
