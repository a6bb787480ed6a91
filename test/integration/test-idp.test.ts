// The local test identity provider (lib/test-idp) as an OpenID Connect provider on its own: openid-client (a certified
// relying party library) discovers it, runs the code flow with PKCE, state and nonce, validates the RS256 ID token
// (issuer, audience, at_hash, nonce) and the RFC 9207 `iss` of the authorization response, and reads userinfo; then the
// refusals: unknown client or redirect URI (an error page, no redirect), bad client authentication, a reused code, a
// wrong PKCE verifier, an expired interaction, and the form's own errors (email, claims JSON, reserved claims).
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { startTestIdp, subjectOf, type RunningTestIdp } from "../../lib/test-idp/server";

type OpenIdClient = typeof import("openid-client");

const CALLBACK = "http://127.0.0.1:1/callback";
const SECRET = "rp-secret-value";

/** Posts the sign-in form of the page at `authorizeUrl` with `fields`; returns the IdP's answer (not followed). */
async function submit(authorizeUrl: string, fields: Record<string, string>): Promise<Response> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  const interaction = /name="interaction" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(interaction, html.slice(0, 500));
  return fetch(new URL("authorize", authorizeUrl), {
    method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ interaction, action: "sign-in", ...fields }).toString(),
  });
}

describe("the test identity provider", () => {
  let idp: RunningTestIdp;
  let client: OpenIdClient;

  before(async () => {
    idp = await startTestIdp();
    idp.registerClient({ clientId: "rp", clientSecret: SECRET, redirectUris: [CALLBACK] });
    client = await import("openid-client");
  });
  after(() => idp.close());

  const config = async (secret = SECRET) =>
    client.discovery(new URL(idp.issuer), "rp", secret, client.ClientSecretBasic(secret), { execute: [client.allowInsecureRequests] });

  it("openid-client runs the code flow with PKCE and nonce, validates the ID token and reads userinfo", async () => {
    const rp = await config();
    assert.equal(rp.serverMetadata().issuer, idp.issuer);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: CALLBACK, scope: "openid email profile", state, nonce, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256",
    });
    const res = await submit(url.toString(), { email: "ada@example.com", name: "Ada Lovelace", email_verified: "true", claims: JSON.stringify({ given_name: "Ada", groups: ["a", "b"] }) });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get("location")!);
    assert.equal(location.searchParams.get("iss"), idp.issuer);
    const tokens = await client.authorizationCodeGrant(rp, location, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    const claims = tokens.claims()!;
    assert.equal(claims.sub, subjectOf("ada@example.com"));
    assert.equal(claims.aud, "rp");
    assert.equal(claims.email, "ada@example.com");
    assert.equal(claims.email_verified, true);
    assert.equal(claims.name, "Ada Lovelace");
    assert.equal(claims.given_name, "Ada");
    assert.deepEqual(claims.groups, ["a", "b"]);
    const info = await client.fetchUserInfo(rp, tokens.access_token, claims.sub);
    assert.equal(info.email, "ada@example.com");
    // The code is single-use.
    await assert.rejects(client.authorizationCodeGrant(rp, location, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }), (e: { error?: string }) => e.error === "invalid_grant");
  });

  it("client_secret_post, a wrong secret, a wrong PKCE verifier and a wrong redirect_uri", async () => {
    const authorize = (challenge: string) => `${idp.issuer}/authorize?${new URLSearchParams({ client_id: "rp", redirect_uri: CALLBACK, response_type: "code", scope: "openid", state: "s", code_challenge: challenge, code_challenge_method: "S256" })}`;
    const verifier = "v".repeat(43);
    const challenge = (await import("node:crypto")).createHash("sha256").update(verifier).digest("base64url");
    const codeOf = async () => new URL((await submit(authorize(challenge), { email: "grace@example.com" })).headers.get("location")!).searchParams.get("code")!;
    const token = (form: Record<string, string>) => fetch(`${idp.issuer}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form).toString() });
    const base = { grant_type: "authorization_code", client_id: "rp", redirect_uri: CALLBACK, code_verifier: verifier };

    const wrongSecret = await token({ ...base, code: await codeOf(), client_secret: "nope" });
    assert.equal(wrongSecret.status, 401);
    assert.equal(((await wrongSecret.json()) as { error: string }).error, "invalid_client");
    const wrongVerifier = await token({ ...base, code: await codeOf(), client_secret: SECRET, code_verifier: "w".repeat(43) });
    assert.deepEqual([wrongVerifier.status, ((await wrongVerifier.json()) as { error: string }).error], [400, "invalid_grant"]);
    const wrongRedirect = await token({ ...base, code: await codeOf(), client_secret: SECRET, redirect_uri: "http://127.0.0.1:1/other" });
    assert.deepEqual([wrongRedirect.status, ((await wrongRedirect.json()) as { error: string }).error], [400, "invalid_grant"]);
    const ok = await token({ ...base, code: await codeOf(), client_secret: SECRET });
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as Record<string, unknown>;
    assert.equal(body.token_type, "Bearer");
    assert.equal(typeof body.id_token, "string");
  });

  it("an unknown client or redirect URI gets an error page, never a redirect; other errors go back to the client", async () => {
    const unknown = await fetch(`${idp.issuer}/authorize?client_id=who&redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code&scope=openid`, { redirect: "manual" });
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /role="alert">Unknown client_id/);
    const badRedirect = await fetch(`${idp.issuer}/authorize?client_id=rp&redirect_uri=${encodeURIComponent("https://evil.example/cb")}&response_type=code&scope=openid`, { redirect: "manual" });
    assert.equal(badRedirect.status, 400);
    assert.equal(badRedirect.headers.get("location"), null);
    const noOpenid = await fetch(`${idp.issuer}/authorize?client_id=rp&redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code&scope=email&state=x`, { redirect: "manual" });
    assert.equal(noOpenid.status, 302);
    const location = new URL(noOpenid.headers.get("location")!);
    assert.deepEqual([location.searchParams.get("error"), location.searchParams.get("state"), location.searchParams.get("iss")], ["invalid_scope", "x", idp.issuer]);
    const stale = await fetch(`${idp.issuer}/authorize`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "interaction=made-up&email=a%40b.c" });
    assert.equal(stale.status, 400);
    assert.match(await stale.text(), /unknown or older than ten minutes/);
  });

  it("the form refuses a bad email, claims that are not a JSON object, and claims the IdP sets itself, and changes nothing", async () => {
    const url = `${idp.issuer}/authorize?client_id=rp&redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code&scope=openid`;
    for (const [fields, message] of [
      [{ email: "nope" }, /Enter an email address/],
      [{ email: "a@example.com", claims: "[1]" }, /must be a JSON object/],
      [{ email: "a@example.com", claims: "{oops" }, /not valid JSON/],
      [{ email: "a@example.com", claims: JSON.stringify({ iss: "x", aud: "y" }) }, /sets iss, aud itself/],
    ] as const) {
      const res = await submit(url, fields);
      assert.equal(res.status, 400);
      const html = await res.text();
      assert.match(html, message);
      assert.match(html, /aria-invalid="true"/);
    }
  });
});
