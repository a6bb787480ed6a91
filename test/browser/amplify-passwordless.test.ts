// Browser test of passwordless sign-in and passkeys with Amplify v6 (aws-amplify/auth) in headless Chromium, against the
// local service (userPoolEndpoint), on a page served from http://localhost:<port> with Chromium's DevTools virtual
// authenticator (CTAP2, internal, resident keys, user verification). The pool allows PASSWORD, EMAIL_OTP and WEB_AUTHN,
// with WebAuthnConfiguration RelyingPartyId "localhost". Codes are read from the service's /_local/codes route, as a
// developer reads them. Screenshots of each stage go to screenshotDir(). Skipped, with a message, without Chromium.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import { CreateUserPoolClientCommand, CreateUserPoolCommand, SetUserPoolMfaConfigCommand } from "@aws-sdk/client-cognito-identity-provider";
import { startTestService, type TestService } from "../support/local-service";
import { launchChromium, screenshotDir, skipWithoutChromium } from "./browser";
import type { PasswordlessConfig, PasswordlessTest } from "./amplify-passwordless-page";

let t: TestService | undefined;
let site: http.Server | undefined;
let browser: Browser | undefined;
let bundleDir: string | undefined;
let siteUrl = "";
let config: PasswordlessConfig;

/** The page's globals (amplify-passwordless-page.ts). Functions given to page.evaluate run in the page. */
type PageGlobals = { passwordlessTest: PasswordlessTest };
/** Calls `passwordlessTest[method](...args)` in the page. */
function call<M extends keyof PasswordlessTest>(page: Page, method: M, ...args: Parameters<PasswordlessTest[M]>): Promise<Awaited<ReturnType<PasswordlessTest[M]>>> {
  return page.evaluate(
    ({ method, args }) => ((globalThis as unknown as PageGlobals).passwordlessTest[method] as (...a: unknown[]) => unknown)(...args),
    { method, args: args as unknown[] },
  ) as Promise<Awaited<ReturnType<PasswordlessTest[M]>>>;
}

before(async () => {
  if (skipWithoutChromium) return;
  t = await startTestService();
  const pool = await t.idp.send(new CreateUserPoolCommand({
    PoolName: "amplify-passwordless", UsernameAttributes: ["email"], AutoVerifiedAttributes: ["email"],
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"] } },
  }));
  const userPoolId = pool.UserPool!.Id!;
  await t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, WebAuthnConfiguration: { RelyingPartyId: "localhost", UserVerification: "required" } }));
  const client = await t.idp.send(new CreateUserPoolClientCommand({
    UserPoolId: userPoolId, ClientName: "web", ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], PreventUserExistenceErrors: "ENABLED",
  }));
  config = { userPoolId, userPoolClientId: client.UserPoolClient!.ClientId!, endpoint: t.url };

  bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-amplify-passwordless-"));
  const bundle = path.join(bundleDir, "app.js");
  const esbuild = await import("esbuild");
  await esbuild.build({
    entryPoints: [path.join(__dirname, "amplify-passwordless-page.ts")], bundle: true, platform: "browser", format: "iife",
    target: "es2020", outfile: bundle, logLevel: "warning",
  });
  const js = fs.readFileSync(bundle);
  site = http.createServer((req, res) => {
    if (req.url === "/app.js") return res.writeHead(200, { "content-type": "text/javascript" }).end(js);
    res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><meta charset="utf-8"><title>Passwordless with Amplify</title>
<style>body{font:16px sans-serif;margin:2em} pre{background:#eee;padding:1em;white-space:pre-wrap}</style>
<h1 id="state">loading</h1><pre id="log"></pre><script src="/app.js"></script>`);
  });
  await new Promise<void>((resolve) => site!.listen(0, "127.0.0.1", resolve));
  // http://localhost is a secure context: the page may use passkeys of relying party "localhost".
  siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  await t?.stop();
  if (bundleDir) fs.rmSync(bundleDir, { recursive: true, force: true });
});

/** A fresh browser context (its own storage) with a virtual platform authenticator and the configured page. */
async function openPage(): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession; authenticatorId: string; hosts: Set<string>; errors: string[] }> {
  const context = await browser!.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  const hosts = new Set<string>();
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => hosts.add(new URL(r.url()).host));
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await page.goto(siteUrl);
  await page.waitForFunction(() => "passwordlessTest" in globalThis);
  await page.evaluate((c) => (globalThis as unknown as PageGlobals).passwordlessTest.configure(c), config);
  return { context, page, cdp, authenticatorId, hosts, errors };
}

async function latestCode(email: string, purpose: string): Promise<string> {
  const res = await fetch(`${config.endpoint}/_local/codes?userPoolId=${config.userPoolId}&username=${encodeURIComponent(email)}`);
  const { codes } = (await res.json()) as { codes: Array<{ code: string; purpose: string }> };
  const found = codes.find((c) => c.purpose === purpose);
  assert.ok(found, `a ${purpose} code was delivered to ${email}`);
  return found.code;
}

const shot = async (page: Page, name: string) => {
  const file = path.join(screenshotDir(), name);
  await page.screenshot({ path: file });
  assert.ok(fs.statSync(file).size > 0);
};
const onlyLoopback = (hosts: Set<string>) => [...hosts].filter((h) => !h.startsWith("127.0.0.1:") && !h.startsWith("localhost:"));

test("Amplify v6: passwordless sign-up with autoSignIn, email-code sign-in, a passkey associated, listed, used and deleted", { skip: skipWithoutChromium, timeout: 240_000 }, async () => {
  const email = "passwordless@example.com";
  const { context, page, cdp, authenticatorId, hosts, errors } = await openPage();
  try {
    // Sign up without a password; the confirmation code signs the user in through autoSignIn (USER_AUTH with the Session).
    const signedUp = await call(page, "passwordlessSignUp", email);
    assert.deepEqual(signedUp, { isSignUpComplete: false, step: "CONFIRM_SIGN_UP" });
    const auto = await call(page, "confirmAndAutoSignIn", email, await latestCode(email, "SIGN_UP"));
    assert.deepEqual(auto, { confirmStep: "COMPLETE_AUTO_SIGN_IN", isSignedIn: true, step: "DONE", email });
    await shot(page, "amplify-passwordless-1-sign-up.png");
    await call(page, "signOut");

    // USER_AUTH with an email code.
    const started = await call(page, "startEmailCodeSignIn", email);
    assert.equal(started.step, "CONFIRM_SIGN_IN_WITH_EMAIL_CODE");
    assert.equal(started.medium, "EMAIL");
    assert.match(started.destination ?? "", /^p\*+@e\*+/);
    const confirmed = await call(page, "confirmCode", await latestCode(email, "SIGN_IN"));
    assert.deepEqual(confirmed, { isSignedIn: true, step: "DONE", email });
    await shot(page, "amplify-passwordless-2-email-code.png");

    // A passkey, made by Chromium's virtual authenticator through associateWebAuthnCredential.
    const associated = await call(page, "associatePasskey");
    assert.equal(associated.length, 1);
    assert.equal(associated[0]!.relyingPartyId, "localhost");
    assert.equal(associated[0]!.attachment, "platform");
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0]!.rpId, "localhost");
    assert.equal(Buffer.from(credentials[0]!.credentialId, "base64").toString("base64url"), associated[0]!.credentialId);

    // Sign out, then in with the passkey (Amplify answers the WEB_AUTHN challenge with navigator.credentials.get).
    await call(page, "signOut");
    const withPasskey = await call(page, "passkeySignIn", email);
    assert.deepEqual(withPasskey, { isSignedIn: true, step: "DONE", email });
    const used = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    assert.ok(used.credentials[0]!.signCount >= 1, "the authenticator signed");
    await shot(page, "amplify-passwordless-3-passkey-sign-in.png");

    // A second passkey (another authenticator), listed page by page, then both deleted.
    await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    assert.equal((await call(page, "associatePasskey")).length, 2);
    const pages = await call(page, "listPasskeys", 1);
    assert.equal(pages.length, 2, "pageSize 1: two pages");
    assert.deepEqual(pages.flat().sort(), [...new Set(pages.flat())].sort());
    assert.equal(await call(page, "deletePasskey", pages[0]![0]!), 1);
    assert.equal(await call(page, "deletePasskey", pages[1]![0]!), 0);
    await shot(page, "amplify-passwordless-4-passkeys-deleted.png");

    // Without a passkey, WEB_AUTHN is no longer offered: the preference falls back to the choice.
    await call(page, "signOut");
    const fallback = await call(page, "tryPasskeySignIn", email);
    assert.deepEqual(fallback, { step: "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION", availableChallenges: ["EMAIL_OTP"] });
    await shot(page, "amplify-passwordless-5-no-passkey.png");

    assert.deepEqual(onlyLoopback(hosts), [], "every request stayed on loopback");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
