// Headless Chromium walks the hosted pages beyond sign-in as a person would, and axe-core checks each page it meets
// (no serious or critical violation): sign up, confirm with the code from /_local/codes, land on the app with a code;
// forgot password, reset, sign in with the new password; an invited user's first sign-in (new password, a required
// attribute, then MFA set-up: the QR code is decoded with jsQR and its otpauth:// URI gives the codes); the next
// sign-in with a TOTP code; and a client's classic branding (CSS and logo) applied, checked by computed style and
// screenshot. Screenshots go to $SCREENSHOT_DIR (default: the OS temp directory's wing-cognito-screenshots).
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import {
  AdminCreateUserCommand, AdminGetUserCommand, CreateManagedLoginBrandingCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand, SetUICustomizationCommand, SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import jsQR from "jsqr";
import * as OTPAuth from "otpauth";
import { PNG } from "pngjs";
import type { Browser, Page } from "playwright-core";
import { launchChromium, screenshotDir, skipWithoutChromium } from "./browser";
import { seriousViolations } from "./axe";
import { startTestService, type TestService } from "../support/local-service";
import { createOAuthPool, USER_EMAIL, USER_PASSWORD, type OAuthPool } from "../support/oauth-pool";

describe("hosted self-service and MFA pages in Chromium", { skip: skipWithoutChromium }, () => {
  let t: TestService;
  let p: OAuthPool;
  let browser: Browser;
  let app: http.Server;
  let CALLBACK_URL: string;
  const shots = screenshotDir();

  /** Screenshot and axe check of the page as it is now. */
  async function look(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(shots, `hosted-${name}.png`), fullPage: true });
    assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
  }

  function authorizeUrl(base: string, clientId: string): string {
    return `${base}/oauth2/authorize?${new URLSearchParams({ client_id: clientId, response_type: "code", redirect_uri: CALLBACK_URL, scope: "openid email", state: "st-1" })}`;
  }

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ bypassCSP: true });
    return context.newPage();
  }

  async function submitToApp(page: Page, button: string): Promise<URL> {
    await Promise.all([page.waitForURL(`${CALLBACK_URL}?**`), page.getByRole("button", { name: button }).click()]);
    const landed = new URL(page.url());
    assert.equal(landed.searchParams.get("state"), "st-1");
    assert.ok(landed.searchParams.get("code"));
    return landed;
  }

  before(async () => {
    app = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><html lang=en><title>App</title><h1>App</h1></html>"));
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

  it("signs up, confirms with the emailed code and lands on the app signed in", async () => {
    const page = await newPage();
    await page.goto(authorizeUrl(p.base, p.webClientId));
    await page.getByRole("link", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Sign up" }).waitFor();
    assert.ok(await page.getByText("At least 8 characters").isVisible());
    await look(page, "sign-up");

    await page.getByLabel("Email").fill("grace@example.com");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Sign up" }).click();
    assert.match((await page.getByRole("alert").textContent()) ?? "", /Password did not conform with policy/);
    await look(page, "sign-up-error");

    await page.getByLabel("Password").fill("Hopper-1906!");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Confirm account" }).waitFor();
    await look(page, "confirm-account");

    await page.getByLabel("Verification code").fill("000000");
    await page.getByRole("button", { name: "Confirm account" }).click();
    assert.equal((await page.getByRole("alert").textContent())?.trim(), "Invalid verification code provided, please try again.");

    await page.getByRole("button", { name: "Send a new code" }).click();
    await page.getByRole("status").waitFor();
    const code = await t.latestCode(p.userPoolId, "grace@example.com");
    await page.getByLabel("Verification code").fill(code);
    await submitToApp(page, "Confirm account");
    const user = await t.idp.send(new AdminGetUserCommand({ UserPoolId: p.userPoolId, Username: "grace@example.com" }));
    assert.equal(user.UserStatus, "CONFIRMED");
    assert.equal(user.UserAttributes?.find((a) => a.Name === "email_verified")?.Value, "true");
    await page.context().close();
  });

  it("resets a forgotten password, then signs in with the new one", async () => {
    const page = await newPage();
    await page.goto(authorizeUrl(p.base, p.webClientId));
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.getByRole("heading", { name: "Forgot your password?" }).waitFor();
    await look(page, "forgot-password");
    await page.getByLabel("Email").fill(USER_EMAIL);
    await page.getByRole("button", { name: "Reset my password" }).click();
    await page.getByRole("heading", { name: "Reset your password" }).waitFor();
    await look(page, "reset-password");
    const code = await t.latestCode(p.userPoolId, USER_EMAIL, "FORGOT_PASSWORD");
    await page.getByLabel("Code", { exact: true }).fill(code);
    await page.getByLabel("New password", { exact: true }).fill("Babbage-1791!");
    await page.getByLabel("Enter new password again").fill("Babbage-1791!");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();

    await page.getByLabel("Email").fill(USER_EMAIL);
    await page.getByLabel("Password").fill(USER_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    assert.equal((await page.getByRole("alert").textContent())?.trim(), "Incorrect username or password.");
    await page.getByLabel("Password").fill("Babbage-1791!");
    await submitToApp(page, "Sign in");
    await page.context().close();
  });

  it("takes an invited user through a new password, a required attribute and authenticator set-up, then TOTP sign-in", async () => {
    const pool = await t.idp.send(new CreateUserPoolCommand({
      PoolName: "secure", UsernameAttributes: ["email"],
      Schema: [{ Name: "name", AttributeDataType: "String", Required: true, Mutable: true }],
    }));
    const poolId = pool.UserPool!.Id!;
    await t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } }));
    await t.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: "secure" }));
    const client = await t.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: "web", AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["code"], AllowedOAuthScopes: ["openid", "email"],
      CallbackURLs: [CALLBACK_URL], SupportedIdentityProviders: ["COGNITO"],
    }));
    const clientId = client.UserPoolClient!.ClientId!;
    await t.idp.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: "alan@example.com", TemporaryPassword: "Temp-Pass-1!", MessageAction: "SUPPRESS",
      UserAttributes: [{ Name: "email", Value: "alan@example.com" }, { Name: "email_verified", Value: "true" }],
    }));
    const base = `${t.url}/secure`;
    const page = await newPage();
    await page.goto(authorizeUrl(base, clientId));
    await page.getByLabel("Email").fill("alan@example.com");
    await page.getByLabel("Password").fill("Temp-Pass-1!");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Change password" }).waitFor();
    await look(page, "new-password");
    await page.getByLabel("New password", { exact: true }).fill("Turing-1912!");
    await page.getByLabel("Enter new password again").fill("Turing-1912!");
    await page.getByLabel("Name").fill("Alan Turing");
    await page.getByRole("button", { name: "Send" }).click();

    await page.getByRole("heading", { name: "Set up an authenticator app" }).waitFor();
    await look(page, "mfa-setup");
    const src = await page.getByRole("img", { name: "QR code for your authenticator app" }).getAttribute("src");
    const png = PNG.sync.read(Buffer.from(src!.replace(/^data:image\/png;base64,/, ""), "base64"));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    assert.ok(decoded, "the QR code decodes");
    const totp = OTPAuth.URI.parse(decoded.data) as OTPAuth.TOTP;
    assert.equal(totp.issuer, "secure");
    assert.equal(totp.label, "alan@example.com");
    assert.equal(totp.secret.base32, (await page.locator("#totp-secret").textContent())?.trim());

    await page.getByLabel("Code from your authenticator app").fill("000000");
    await page.getByRole("button", { name: "Verify" }).click();
    assert.equal((await page.getByRole("alert").textContent())?.trim(), "Code mismatch and fail enable Software Token MFA");
    await page.getByLabel("Code from your authenticator app").fill(totp.generate());
    await submitToApp(page, "Verify");
    const user = await t.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "alan@example.com" }));
    assert.equal(user.UserStatus, "CONFIRMED");
    assert.equal(user.UserAttributes?.find((a) => a.Name === "name")?.Value, "Alan Turing");
    assert.equal(user.PreferredMfaSetting, "SOFTWARE_TOKEN_MFA");
    await page.context().close();

    // The next sign-in asks for a code from the app: the next step's code (the one used above cannot be used again).
    const again = await newPage();
    await again.goto(authorizeUrl(base, clientId));
    await again.getByLabel("Email").fill("alan@example.com");
    await again.getByLabel("Password").fill("Turing-1912!");
    await again.getByRole("button", { name: "Sign in" }).click();
    await again.getByRole("heading", { name: "Verify your identity" }).waitFor();
    await look(again, "totp-code");
    await again.getByLabel("Code").fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await submitToApp(again, "Sign in");
    await again.context().close();
  });

  it("applies the client's classic branding: its CSS on the customizable classes and its logo", async () => {
    const logo = PNG.sync.write(Object.assign(new PNG({ width: 40, height: 20 }), { data: Buffer.alloc(40 * 20 * 4, 0xff) }));
    await t.idp.send(new SetUICustomizationCommand({
      UserPoolId: p.userPoolId, ClientId: p.webClientId,
      CSS: ".submitButton-customizable{background-color:#6b1f8a;color:#ffffff}\n.background-customizable{background-color:#fff4d6}\n.redirect-customizable{color:#033160}",
      ImageFile: logo,
    }));
    const page = await newPage();
    await page.goto(authorizeUrl(p.base, p.webClientId));
    const button = page.getByRole("button", { name: "Sign in" });
    assert.equal(await button.evaluate((el) => getComputedStyle(el).backgroundColor), "rgb(107, 31, 138)");
    assert.equal(await page.locator("main").evaluate((el) => getComputedStyle(el).backgroundColor), "rgb(255, 244, 214)");
    const img = page.getByRole("img", { name: "Logo" });
    assert.ok(await img.isVisible());
    assert.equal(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth), 40);
    await look(page, "branded-sign-in");
    // The pixel in the middle of the button is the brand's color.
    const box = (await button.boundingBox())!;
    const shot = PNG.sync.read(await page.screenshot({ clip: { x: box.x + 4, y: box.y + 4, width: 4, height: 4 } }));
    assert.deepEqual([...shot.data.subarray(0, 3)], [107, 31, 138]);
    await page.goto(`${p.base}/signup?${new URL(authorizeUrl(p.base, p.webClientId)).search.slice(1)}`);
    assert.equal(await page.getByRole("button", { name: "Sign up" }).evaluate((el) => getComputedStyle(el).backgroundColor), "rgb(107, 31, 138)");
    await look(page, "branded-sign-up");
    await page.context().close();
  });

  it("applies a client's managed login branding style: its button color and its form logo", async () => {
    const client = await t.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: p.userPoolId, ClientName: "styled", AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["code"], AllowedOAuthScopes: ["openid", "email"],
      CallbackURLs: [CALLBACK_URL], SupportedIdentityProviders: ["COGNITO"],
    }));
    const clientId = client.UserPoolClient!.ClientId!;
    const logo = PNG.sync.write(Object.assign(new PNG({ width: 30, height: 30 }), { data: Buffer.alloc(30 * 30 * 4, 0x80) }));
    await t.idp.send(new CreateManagedLoginBrandingCommand({
      UserPoolId: p.userPoolId, ClientId: clientId,
      Settings: {
        components: {
          primaryButton: { lightMode: { defaults: { backgroundColor: "1d6b3aff", textColor: "ffffffff" } } },
          form: { logo: { enabled: true } },
        },
      },
      Assets: [{ Category: "FORM_LOGO", ColorMode: "LIGHT", Extension: "PNG", Bytes: logo }],
    }));
    const page = await newPage();
    await page.goto(authorizeUrl(p.base, clientId));
    assert.equal(await page.getByRole("button", { name: "Sign in" }).evaluate((el) => getComputedStyle(el).backgroundColor), "rgb(29, 107, 58)");
    assert.equal(await page.getByRole("img", { name: "Logo" }).evaluate((el) => (el as HTMLImageElement).naturalWidth), 30);
    await look(page, "managed-login-branded-sign-in");
    await page.context().close();
  });
});
