// Browser test of passkeys with Chromium's own WebAuthn stack: headless Chromium with a DevTools virtual authenticator
// (CTAP2, internal transport, resident keys, user verification) on a page served from http://localhost:<port>. The
// page calls the service's StartWebAuthnRegistration over Cognito's JSON protocol, hands the options to
// navigator.credentials.create, and completes with CompleteWebAuthnRegistration; then it signs in: the WEB_AUTHN
// request options (lib/service/webauthn.ts, as the USER_AUTH flow issues them) go to navigator.credentials.get, and the
// assertion is verified by the service's check. The service runs in this process (its operations served by the
// service's own HTTP layer), so that the test can stand in for the USER_AUTH flow. Skipped without Chromium.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { Browser } from "playwright-core";
import { ServiceContext, type OperationTable } from "../../lib/service/context";
import { createHttpServer } from "../../lib/service/http-server";
import { identityProviderOperations, UNSIGNED_IDENTITY_PROVIDER_OPERATIONS } from "../../lib/service";
import { CognitoState } from "../../lib/service/state";
import { DurableStore } from "../../lib/service/store";
import { passkeyRequestOptions, verifyPasskeyAnswer, type PasskeyChallenge } from "../../lib/service/webauthn";
import { launchChromium, screenshotDir, skipWithoutChromium } from "./browser";

const PASSWORD = "Chromium-passk3y!";

let dir: string | undefined;
let store: DurableStore | undefined;
let server: http.Server | undefined;
let browser: Browser | undefined;
let ops: OperationTable;
let ctx: ServiceContext;
let poolId = "";
let pageUrl = "";
/** WEB_AUTHN challenges handed to the page, by handle (what a USER_AUTH session would keep). */
const challenges = new Map<string, { username: string; expected: PasskeyChallenge }>();

/** The page: plain JavaScript, talking to the service with fetch as an SDK in a browser does. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>Passkeys</title>
<style>body{font:16px sans-serif;margin:2em} pre{background:#eee;padding:1em;white-space:pre-wrap}</style>
<h1 id="state">ready</h1><pre id="log"></pre>
<script>
const toB64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
const fromB64 = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4)), (c) => c.charCodeAt(0));
const log = (line) => (document.getElementById("log").textContent += line + "\\n");
async function cognito(operation, body) {
  const res = await fetch("/", { method: "POST", headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService." + operation }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(operation + ": " + json.__type + ": " + json.message);
  return json;
}
window.registerPasskey = async (accessToken) => {
  const { CredentialCreationOptions: o } = await cognito("StartWebAuthnRegistration", { AccessToken: accessToken });
  const publicKey = { ...o, challenge: fromB64(o.challenge), user: { ...o.user, id: fromB64(o.user.id) }, excludeCredentials: o.excludeCredentials.map((c) => ({ ...c, id: fromB64(c.id) })) };
  const cred = await navigator.credentials.create({ publicKey });
  const Credential = {
    id: cred.id, rawId: toB64(cred.rawId), type: cred.type, authenticatorAttachment: cred.authenticatorAttachment, clientExtensionResults: cred.getClientExtensionResults(),
    response: { clientDataJSON: toB64(cred.response.clientDataJSON), attestationObject: toB64(cred.response.attestationObject), transports: cred.response.getTransports() },
  };
  await cognito("CompleteWebAuthnRegistration", { AccessToken: accessToken, Credential });
  const { Credentials } = await cognito("ListWebAuthnCredentials", { AccessToken: accessToken });
  log("registered " + cred.id + " for relying party " + o.rp.id);
  document.getElementById("state").textContent = "passkey registered";
  return Credentials;
};
window.signInWithPasskey = async (username) => {
  const { handle, options } = await (await fetch("/test/web-authn-challenge", { method: "POST", body: JSON.stringify({ username }) })).json();
  const o = JSON.parse(options);
  const publicKey = { ...o, challenge: fromB64(o.challenge), allowCredentials: o.allowCredentials.map((c) => ({ ...c, id: fromB64(c.id) })) };
  const cred = await navigator.credentials.get({ publicKey });
  const credential = {
    id: cred.id, rawId: toB64(cred.rawId), type: cred.type, authenticatorAttachment: cred.authenticatorAttachment, clientExtensionResults: cred.getClientExtensionResults(),
    response: { clientDataJSON: toB64(cred.response.clientDataJSON), authenticatorData: toB64(cred.response.authenticatorData), signature: toB64(cred.response.signature), userHandle: cred.response.userHandle ? toB64(cred.response.userHandle) : undefined },
  };
  const answer = async () => (await fetch("/test/web-authn-answer", { method: "POST", body: JSON.stringify({ handle, credential: JSON.stringify(credential) }) })).json();
  const first = await answer();
  const replay = await answer();
  log("signed in as " + first.username + " (counter " + first.counter + "); replay: " + replay.error);
  document.getElementById("state").textContent = "signed in with a passkey";
  return { first, replay };
};
</script>`;

/** The page and the two routes standing in for USER_AUTH's WEB_AUTHN challenge and its answer. */
async function pageRoutes(request: { method: string; path: string; body: string }) {
  if (request.method === "GET" && request.path === "/passkeys") return { status: 200, body: null, text: PAGE, contentType: "text/html" };
  if (request.method !== "POST") return undefined;
  const pool = ctx.state.pool(poolId)!;
  if (request.path === "/test/web-authn-challenge") {
    const { username } = JSON.parse(request.body) as { username: string };
    const user = ctx.state.userByUsername(pool, username)!;
    const { credentialRequestOptions, expected } = await passkeyRequestOptions(ctx, pool, user);
    const handle = String(challenges.size + 1);
    challenges.set(handle, { username, expected });
    return { status: 200, body: { handle, options: credentialRequestOptions } };
  }
  if (request.path === "/test/web-authn-answer") {
    const { handle, credential } = JSON.parse(request.body) as { handle: string; credential: string };
    const { username, expected } = challenges.get(handle)!;
    try {
      const passkey = await verifyPasskeyAnswer(ctx, pool, ctx.state.userByUsername(pool, username)!, expected, credential);
      return { status: 200, body: { username: passkey.username, counter: passkey.counter } };
    } catch (e) {
      return { status: 200, body: { error: `${(e as Error).name}: ${(e as Error).message}` } };
    }
  }
  return undefined;
}

before(async () => {
  if (skipWithoutChromium) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-passkeys-browser-"));
  store = await DurableStore.open(dir);
  const state = new CognitoState(store);
  ctx = new ServiceContext(state, "us-east-1", () => undefined);
  ops = identityProviderOperations(ctx);
  server = createHttpServer({
    identityProvider: ops, identity: {}, unsigned: new Set(UNSIGNED_IDENTITY_PROVIDER_OPERATIONS), extraRoutes: [pageRoutes],
    afterOperation: () => state.commit(), log: () => undefined,
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  pageUrl = `http://localhost:${(server.address() as AddressInfo).port}/passkeys`;
  const created = (await ops.CreateUserPool!({ PoolName: "browser-passkeys", Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] } } })) as { UserPool: { Id: string } };
  poolId = created.UserPool.Id;
  await ops.SetUserPoolMfaConfig!({ UserPoolId: poolId, WebAuthnConfiguration: { RelyingPartyId: "localhost", UserVerification: "required" } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test("Chromium's virtual authenticator registers a passkey and signs in with it", { skip: skipWithoutChromium, timeout: 120_000 }, async () => {
  const client = (await ops.CreateUserPoolClient!({ UserPoolId: poolId, ClientName: "web", ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH"] })) as { UserPoolClient: { ClientId: string } };
  await ops.AdminCreateUser!({ UserPoolId: poolId, Username: "chromium-user", MessageAction: "SUPPRESS" });
  await ops.AdminSetUserPassword!({ UserPoolId: poolId, Username: "chromium-user", Password: PASSWORD, Permanent: true });
  const auth = (await ops.AdminInitiateAuth!({
    UserPoolId: poolId, ClientId: client.UserPoolClient.ClientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "chromium-user", PASSWORD },
  })) as { AuthenticationResult: { AccessToken: string } };
  await ctx.state.commit();

  const context = await browser!.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await page.goto(pageUrl);

  const listed = (await page.evaluate((token) => (window as unknown as { registerPasskey(t: string): Promise<unknown> }).registerPasskey(token), auth.AuthenticationResult.AccessToken)) as Array<Record<string, unknown>>;
  assert.equal(listed.length, 1);
  assert.equal(listed[0]!.RelyingPartyId, "localhost");
  assert.equal(listed[0]!.AuthenticatorAttachment, "platform");
  assert.deepEqual(listed[0]!.AuthenticatorTransports, ["internal"]);
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  assert.equal(credentials.length, 1);
  assert.equal(credentials[0]!.rpId, "localhost");
  assert.equal(credentials[0]!.isResidentCredential, true);
  assert.equal(Buffer.from(credentials[0]!.credentialId, "base64").toString("base64url"), listed[0]!.CredentialId);

  const { first, replay } = (await page.evaluate((name) => (window as unknown as { signInWithPasskey(n: string): Promise<unknown> }).signInWithPasskey(name), "chromium-user")) as {
    first: { username: string; counter: number };
    replay: { error: string };
  };
  assert.equal(first.username, "chromium-user");
  const after = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  assert.equal(first.counter, after.credentials[0]!.signCount, "the stored counter is the authenticator's");
  assert.match(replay.error, /^NotAuthorizedException/, "the same assertion does not answer twice");

  const shot = path.join(screenshotDir(), "passkeys-chromium.png");
  await page.screenshot({ path: shot });
  assert.ok(fs.statSync(shot).size > 0);
  await context.close();
});
