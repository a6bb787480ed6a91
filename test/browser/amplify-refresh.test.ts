// Amplify v6 in headless Chromium against the local service: a page bundled with esbuild from the installed aws-amplify,
// served on loopback, configured with `userPoolEndpoint`, signs in (USER_PASSWORD_AUTH); then the page's clock and the service's clock
// move two hours forward, and fetchAuthSession() must come back with new tokens that the service issued through
// GetTokensFromRefreshToken (the only refresh call Amplify 6.15+ makes), seen on the wire.
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { AdminConfirmSignUpCommand, CreateUserPoolClientCommand, GetTokensFromRefreshTokenCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { build } from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { createPoolAndClient } from "../support/local-service";
import { startClockedService, type ClockedService } from "../support/clocked-service";

const CHROMIUM = "/usr/bin/chromium";
const PASSWORD = "Corr3ct-Horse!";
const PAGE_SCRIPT = `
import { Amplify } from "aws-amplify";
import { signIn, fetchAuthSession } from "aws-amplify/auth";
window.amplifyTest = {
  configure: (cognito) => Amplify.configure({ Auth: { Cognito: cognito } }),
  // USER_PASSWORD_AUTH: SRP in page JavaScript costs seconds on a busy machine, and the refresh is what is tested here.
  signIn: (username, password) => signIn({ username, password, options: { authFlowType: "USER_PASSWORD_AUTH" } }),
  session: async (forceRefresh) => {
    const s = await fetchAuthSession({ forceRefresh });
    return { accessToken: s.tokens?.accessToken?.toString(), idToken: s.tokens?.idToken?.toString() };
  },
  /** The refresh token Amplify keeps (localStorage, keyed by client and user). */
  refreshToken: () => Object.keys(localStorage).filter((k) => k.endsWith(".refreshToken")).map((k) => localStorage.getItem(k))[0],
};
`;

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;

let s: ClockedService;
let browser: Browser | undefined;
let site: http.Server;
let siteUrl: string;

before(async () => {
  s = await startClockedService();
  const bundle = await build({
    stdin: { contents: PAGE_SCRIPT, resolveDir: path.resolve(__dirname, ".."), loader: "js" },
    bundle: true, write: false, format: "iife", platform: "browser", target: "es2020", logLevel: "silent",
  });
  const script = bundle.outputFiles[0].text;
  site = http.createServer((req, res) => {
    if (req.url === "/app.js") return res.writeHead(200, { "content-type": "text/javascript" }).end(script);
    res.writeHead(200, { "content-type": "text/html" }).end('<!doctype html><title>amplify</title><script src="/app.js"></script>');
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  if (fs.existsSync(CHROMIUM)) {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync"],
    });
  }
});

after(async () => {
  await browser?.close();
  site.closeAllConnections();
  await new Promise<void>((resolve) => site.close(() => resolve()));
  await s.stop();
});

test("Amplify v6 refreshes an expired access token through GetTokensFromRefreshToken", { timeout: 60_000 }, async (t) => {
  if (!browser) return t.skip(`no Chromium at ${CHROMIUM}`);
  const { userPoolId, clientId } = await createPoolAndClient(s.idp, {}, { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] });
  await s.idp.send(new SignUpCommand({ ClientId: clientId, Username: "amy", Password: PASSWORD }));
  await s.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: "amy" }));

  const t0 = Date.now();
  const mark = (what: string) => process.env.AMPLIFY_TIMING && console.log(what, Date.now() - t0);
  const page = await browser.newPage();
  const targets: string[] = [];
  page.on("request", (request) => {
    const target = request.headers()["x-amz-target"];
    if (target) targets.push(target.replace("AWSCognitoIdentityProviderService.", ""));
  });
  await page.clock.install({ time: new Date(s.nowMs()) });
  await page.goto(siteUrl);
  await page.waitForFunction(() => "amplifyTest" in window);
  await page.evaluate((cognito) => (window as unknown as { amplifyTest: { configure(c: unknown): void } }).amplifyTest.configure(cognito), {
    userPoolId, userPoolClientId: clientId, userPoolEndpoint: s.url,
  });
  const signedIn = await page.evaluate(() => (window as unknown as { amplifyTest: { signIn(u: string, p: string): Promise<{ isSignedIn: boolean }> } }).amplifyTest.signIn("amy", "Corr3ct-Horse!"));
  mark("signed in");
  assert.equal(signedIn.isSignedIn, true);
  assert.deepEqual(targets, ["InitiateAuth"]);
  type Session = { accessToken?: string; idToken?: string };
  const session = () => page.evaluate(() => (window as unknown as { amplifyTest: { session(f: boolean): Promise<Session> } }).amplifyTest.session(false));
  const first = await session();
  assert.ok(first.accessToken);

  // Two hours later, on both clocks: the access token (1 hour) has expired for the page and for the service.
  s.advance(7200);
  await page.clock.fastForward("02:00:00");
  mark("forwarded");
  const refreshed = await session();
  mark("refreshed");
  assert.ok(refreshed.accessToken && refreshed.accessToken !== first.accessToken, "new tokens");
  assert.deepEqual(targets.slice(1), ["GetTokensFromRefreshToken"]);
  const [before, after] = [claimsOf(first.accessToken!), claimsOf(refreshed.accessToken!)];
  assert.equal(after.origin_jti, before.origin_jti, "issued from the same sign-in's refresh token");
  assert.ok((after.iat as number) >= (before.iat as number) + 7200, "issued by the service after the clock moved");
  assert.ok((after.exp as number) * 1000 > s.nowMs(), "valid on the service's clock");
  await page.close();
});

test("Amplify v6 keeps working with a rotating client: it stores each new refresh token, the old one is dead", { timeout: 60_000 }, async (t) => {
  if (!browser) return t.skip(`no Chromium at ${CHROMIUM}`);
  const { userPoolId } = await createPoolAndClient(s.idp);
  const rotating = await s.idp.send(new CreateUserPoolClientCommand({
    UserPoolId: userPoolId, ClientName: "rotating", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"], RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 0 },
  }));
  const clientId = rotating.UserPoolClient!.ClientId!;
  await s.idp.send(new SignUpCommand({ ClientId: clientId, Username: "rob", Password: PASSWORD }));
  await s.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: "rob" }));

  const page = await browser.newPage();
  type Api = { configure(c: unknown): void; signIn(u: string, p: string): Promise<{ isSignedIn: boolean }>; session(f: boolean): Promise<{ accessToken?: string }>; refreshToken(): string | null };
  const api = <T>(fn: (a: Api) => T | Promise<T>) => page.evaluate(`(${fn.toString()})(window.amplifyTest)`) as Promise<T>;
  await page.clock.install({ time: new Date(s.nowMs()) });
  await page.goto(siteUrl);
  await page.waitForFunction(() => "amplifyTest" in window);
  await page.evaluate((cognito) => (window as unknown as { amplifyTest: Api }).amplifyTest.configure(cognito), { userPoolId, userPoolClientId: clientId, userPoolEndpoint: s.url });
  assert.equal((await page.evaluate(() => (window as unknown as { amplifyTest: Api }).amplifyTest.signIn("rob", "Corr3ct-Horse!"))).isSignedIn, true);
  const firstRefresh = await api((a) => a.refreshToken());
  assert.ok(firstRefresh);

  const tokens: string[] = [];
  for (let round = 0; round < 2; round++) {
    s.advance(7200);
    await page.clock.fastForward("02:00:00");
    const session = await api((a) => a.session(false));
    assert.ok(session.accessToken);
    tokens.push(session.accessToken!);
    const stored = await api((a) => a.refreshToken());
    assert.ok(stored && stored !== firstRefresh, `round ${round}: Amplify stored the rotated-in refresh token`);
  }
  assert.notEqual(tokens[0], tokens[1]);
  await assert.rejects(s.idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: firstRefresh! })), { name: "NotAuthorizedException" });
  await page.close();
});
