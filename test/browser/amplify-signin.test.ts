// Browser test of the README's front-end section: a page bundled with esbuild runs Amplify v6 in headless Chromium,
// configured with `userPoolEndpoint` and `identityPoolEndpoint` pointing at the simulator's local Cognito. It signs up
// (the code is read from /_local/codes, as a developer reads it), confirms, signs in with SRP, gets identity-pool
// credentials from fetchAuthSession, and calls a protected route of a `cors: true` simulator API with the ID token
// (401, readable by the page, without it). Skipped, with a message, without Chromium.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import type { Browser } from "playwright-core";
import { Simulator } from "@winglang/sdk/lib/simulator";
import { appDir, launchChromium, REPO, screenshotDir, skipWithoutChromium } from "./browser";
import type { AmplifyTest, LocalCognitoConfig } from "./amplify-page";

const EMAIL = "amplify-user@example.com";
const PASSWORD = "Amplify-Passw0rd!";

let dir: string | undefined;
let sim: Simulator | undefined;
let site: http.Server | undefined;
let browser: Browser | undefined;
let siteUrl = "";
let apiUrl = "";
let config: LocalCognitoConfig;

before(async () => {
  if (skipWithoutChromium) return;
  dir = appDir("cognito-amplify-", [
    "bring cloud;",
    'bring "$COGNITO" as cognito;',
    // `cors: true`: the default allowed headers include Authorization, the default headerKey.
    "let api = new cloud.Api(cors: true);",
    "let auth = new cognito.Cognito(api);",
    'api.get("/me", inflight (req) => {',
    "  if let caller = auth.caller(req) {",
    '    return { status: 200, body: "hello {caller.email ?? caller.username}" };',
    "  }",
    "  return { status: 500 };",
    "});",
    'auth.get("/me");',
  ]);
  const simdir = path.join(dir, "out");
  execFileSync(path.join(REPO, "node_modules", ".bin", "wing"), ["compile", "main.w", "-o", simdir], {
    cwd: dir,
    env: { ...process.env, WING_DISABLE_ANALYTICS: "1" },
    stdio: "pipe",
  });
  sim = new Simulator({ simfile: simdir, stateDir: path.join(dir, "state") });
  await sim.start();
  const attrs = sim.getResourceConfig("root/Default/Cognito/sim/LocalCognito").attrs;
  apiUrl = sim.getResourceConfig("root/Default/Api").attrs.url;
  config = { userPoolId: attrs.userPoolId, userPoolClientId: attrs.clientId, identityPoolId: attrs.identityPoolId, endpoint: attrs.endpoint };

  // The front end: the Amplify page, bundled for the browser, served from its own loopback origin.
  const bundle = path.join(dir, "app.js");
  const esbuild = await import("esbuild");
  await esbuild.build({
    entryPoints: [path.join(__dirname, "amplify-page.ts")], bundle: true, platform: "browser", format: "iife",
    target: "es2020", outfile: bundle, logLevel: "warning",
  });
  const js = fs.readFileSync(bundle);
  site = http.createServer((req, res) => {
    if (req.url === "/app.js") return res.writeHead(200, { "content-type": "text/javascript" }).end(js);
    res.writeHead(200, { "content-type": "text/html" }).end('<!doctype html><title>Sign up</title><h1 id="state">loading</h1><script src="/app.js"></script>');
  });
  await new Promise<void>((resolve) => site!.listen(0, "127.0.0.1", resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  await sim?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
});

/** The page's globals (amplify-page.ts). Functions given to page.evaluate run in the page, so each one casts inline. */
type PageGlobals = { amplifyTest: AmplifyTest };

test("Amplify v6 in a browser signs up, confirms, signs in and calls a protected route of the simulator's API", { skip: skipWithoutChromium, timeout: 180_000 }, async () => {
  const page = await browser!.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  // Every request the page makes: none may go to AWS.
  const hosts = new Set<string>();
  page.on("request", (r) => hosts.add(new URL(r.url()).host));
  try {
    await page.goto(siteUrl);
    await page.waitForFunction(() => "amplifyTest" in globalThis);
    await page.evaluate((c) => (globalThis as unknown as PageGlobals).amplifyTest.configure(c), config);

    const signedUp = await page.evaluate((a) => (globalThis as unknown as PageGlobals).amplifyTest.signUp(a.email, a.password), { email: EMAIL, password: PASSWORD });
    assert.deepEqual([signedUp.isSignUpComplete, signedUp.step], [false, "CONFIRM_SIGN_UP"]);
    assert.match(signedUp.userId ?? "", /^[0-9a-f-]{36}$/);

    // The developer reads the code where the README says: GET /_local/codes (also in the log and the Console).
    const listed = (await (await fetch(`${config.endpoint}/_local/codes?userPoolId=${config.userPoolId}&username=${encodeURIComponent(EMAIL)}`)).json()) as { codes: { code: string; purpose: string }[] };
    assert.equal(listed.codes[0]?.purpose, "SIGN_UP");
    const confirmed = await page.evaluate((a) => (globalThis as unknown as PageGlobals).amplifyTest.confirmSignUp(a.email, a.code), { email: EMAIL, code: listed.codes[0]!.code });
    assert.equal(confirmed.isSignUpComplete, true);

    const signedIn = await page.evaluate((a) => (globalThis as unknown as PageGlobals).amplifyTest.signIn(a.email, a.password), { email: EMAIL, password: PASSWORD });
    assert.deepEqual(signedIn, { isSignedIn: true, step: "DONE" });

    const session = await page.evaluate(() => (globalThis as unknown as PageGlobals).amplifyTest.session());
    assert.equal(session.email, EMAIL);
    assert.match(session.identityId ?? "", /^us-east-1:[0-9a-f-]{36}$/, "identityPoolEndpoint: GetId answered locally");
    assert.ok(session.accessKeyId && session.hasSessionToken, "identityPoolEndpoint: credentials came from the local identity pool");

    const denied = await page.evaluate((url) => (globalThis as unknown as PageGlobals).amplifyTest.get(url, {}), `${apiUrl}/me`);
    assert.equal(denied.status, 401, "the page can read the guard's 401 (CORS headers on it)");
    const allowed = await page.evaluate((a) => (globalThis as unknown as PageGlobals).amplifyTest.get(a.url, { Authorization: `Bearer ${a.token}` }), { url: `${apiUrl}/me`, token: session.idToken! });
    assert.deepEqual(allowed, { status: 200, body: `hello ${EMAIL}` });

    await page.evaluate((text) => {
      const h = (globalThis as unknown as { document: { getElementById(id: string): { textContent: string } } }).document.getElementById("state");
      h.textContent = text;
    }, `signed in as ${session.email}; GET /me: ${allowed.status}`);
    await page.screenshot({ path: path.join(screenshotDir(), "amplify-signed-in.png") });

    const foreign = [...hosts].filter((h) => !h.startsWith("127.0.0.1:") && !h.startsWith("localhost:"));
    assert.deepEqual(foreign, [], "every request stayed on loopback");
    assert.deepEqual(pageErrors, []);
  } finally {
    await page.close();
  }
});
