// Headless Chromium (Debian's chromium, driven by playwright-core) signs in through the hosted sign-in page as a person
// would: the page is labelled and announces errors; a wrong password shows AWS's message; the right one lands on the
// app's callback with a code and the state, and the code is exchanged with its PKCE verifier. A screenshot of the page
// is written to $SCREENSHOT_DIR (default: the OS temp directory) for a person to look at.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium, skipWithoutChromium } from "./browser";
import { startTestService, type TestService } from "../support/local-service";
import { createOAuthPool, USER_EMAIL, USER_PASSWORD, type OAuthPool } from "../support/oauth-pool";


describe("hosted sign-in page in Chromium", { skip: skipWithoutChromium }, () => {
  let t: TestService;
  let p: OAuthPool;
  let browser: Browser;
  let app: http.Server;
  let CALLBACK_URL: string;

  before(async () => {
    // The app behind the callback URL: any page will do, the test reads the URL the browser lands on.
    app = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<h1>App</h1>"));
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    CALLBACK_URL = `http://localhost:${(app.address() as AddressInfo).port}/callback`;
    t = await startTestService();
    p = await createOAuthPool(t.idp, t.url, "shop", CALLBACK_URL);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t.stop();
    app.close();
  });

  it("shows the error for a wrong password, then signs in and lands on the callback with a code", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const authorize = `${p.base}/oauth2/authorize?${new URLSearchParams({
      client_id: p.webClientId, response_type: "code", redirect_uri: CALLBACK_URL, scope: "openid email", state: "s-42",
      code_challenge: challenge, code_challenge_method: "S256",
    })}`;
    await page.goto(authorize);
    assert.match(new URL(page.url()).pathname, /\/shop\/login$/);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    const screenshotDir = process.env.SCREENSHOT_DIR ?? os.tmpdir();
    await page.screenshot({ path: path.join(screenshotDir, "hosted-sign-in.png") });

    await page.getByLabel("Email").fill(USER_EMAIL);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.equal((await alert.textContent())?.trim(), "Incorrect username or password.");
    assert.equal(await page.getByLabel("Email").inputValue(), USER_EMAIL);
    assert.equal(await page.getByLabel("Password").getAttribute("aria-invalid"), "true");
    await page.screenshot({ path: path.join(screenshotDir, "hosted-sign-in-error.png") });

    await page.getByLabel("Password").fill(USER_PASSWORD);
    await Promise.all([page.waitForURL(`${CALLBACK_URL}?**`), page.getByRole("button", { name: "Sign in" }).click()]);
    const landed = new URL(page.url());
    assert.equal(landed.searchParams.get("state"), "s-42");
    const code = landed.searchParams.get("code");
    assert.ok(code);

    const res = await fetch(`${p.base}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", client_id: p.webClientId, code, redirect_uri: CALLBACK_URL, code_verifier: verifier }).toString(),
    });
    assert.equal(res.status, 200);
    const tokens = (await res.json()) as { id_token: string; access_token: string; refresh_token: string };
    const idClaims = JSON.parse(Buffer.from(tokens.id_token.split(".")[1], "base64url").toString()) as Record<string, unknown>;
    assert.equal(idClaims.email, USER_EMAIL);
    assert.ok(tokens.refresh_token);
    await context.close();
  });
});
