// The inflight `federatedSignIn(email)` of the simulator (platform/sim.w): a headless browser's walk through a federated
// sign-in with the test identity provider, over real HTTP, redirect by redirect. It asks the pool domain's
// /oauth2/authorize for the code flow with PKCE and `identity_provider=TestIdP`, follows the redirect to the test IdP,
// reads its sign-in page and submits the user's form there, follows the IdP's answer to /oauth2/idpresponse (with the
// cookie the authorize step set), takes the code from the redirect to the app's callback URL (which is never loaded)
// and exchanges it at /oauth2/token. Triggers, linking and attribute mapping run as for a person in a browser.
import { createHash, randomBytes } from "node:crypto";

/** Where the federated sign-in starts (platform/sim.w `TestIdpConnection`). */
export interface TestIdpConnection {
  readonly domainUrl: string;
  readonly clientId: string;
  readonly callbackUrl: string;
  readonly scopes: readonly string[];
  readonly providerName: string;
}

/** Who signs in (platform/backend.w `FederatedUserOptions`). */
export interface FederatedUser {
  readonly name?: string;
  readonly sub?: string;
  readonly emailVerified?: boolean;
  readonly claims?: Record<string, unknown>;
}

/** The tokens (platform/backend.w `AuthTokens`). */
export interface AuthTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
}

const MAX_REDIRECTS = 10;

/** Cookies per origin, as a browser keeps them for these loopback hosts. */
class CookieJar {
  private readonly byOrigin = new Map<string, Map<string, string>>();
  header(url: string): string {
    return [...(this.byOrigin.get(new URL(url).origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  keep(url: string, res: Response): void {
    const origin = new URL(url).origin;
    const jar = this.byOrigin.get(origin) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair!.indexOf("=");
      if (eq < 0) continue;
      const name = pair!.slice(0, eq).trim();
      const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a));
      if (expired) jar.delete(name);
      else jar.set(name, pair!.slice(eq + 1).trim());
    }
    this.byOrigin.set(origin, jar);
  }
}

function fail(message: string): never {
  throw new Error(`federatedSignIn: ${message}`);
}

/** One request without following redirects; cookies in and out. */
async function send(jar: CookieJar, url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { cookie: jar.header(url) };
  let body: string | undefined;
  if (init.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(init.form).toString();
  }
  const res = await fetch(url, { method: init.method ?? "GET", headers, body, redirect: "manual" });
  jar.keep(url, res);
  return res;
}

/** Follows redirects from `res` (at `url`) until one leaves for `stopAt` or a page is shown. */
async function follow(jar: CookieJar, url: string, res: Response, stopAt: string): Promise<{ url: string; res: Response }> {
  let current = { url, res };
  for (let hops = 0; hops < MAX_REDIRECTS; hops++) {
    const location = current.res.headers.get("location");
    if (current.res.status < 300 || current.res.status > 399 || !location) return current;
    const next = new URL(location, current.url).toString();
    if (next.startsWith(stopAt)) return { url: next, res: current.res };
    await current.res.arrayBuffer();
    current = { url: next, res: await send(jar, next) };
  }
  fail("too many redirects");
}

/** The value of the hidden `interaction` field of the test IdP's sign-in form. */
function interactionOf(html: string): string | undefined {
  return /name="interaction" value="([^"]+)"/.exec(html)?.[1];
}

export async function _federatedSignIn(conn: TestIdpConnection, email: string, user?: FederatedUser): Promise<AuthTokens> {
  if (!conn.domainUrl || !conn.callbackUrl) fail("the test identity provider needs hostedSignIn with a callback URL");
  if (!conn.scopes.includes("openid")) fail("hostedSignIn's scopes must include openid for an ID token");
  const jar = new CookieJar();
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(16).toString("base64url");
  const authorize = `${conn.domainUrl}/oauth2/authorize?${new URLSearchParams({
    client_id: conn.clientId, response_type: "code", redirect_uri: conn.callbackUrl, scope: conn.scopes.join(" "), state,
    identity_provider: conn.providerName, code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256",
  })}`;
  // The hosted UI sends the browser to the test IdP, which shows its sign-in page.
  const idpPage = await follow(jar, authorize, await send(jar, authorize), conn.callbackUrl);
  const html = await idpPage.res.text();
  const interaction = interactionOf(html);
  if (idpPage.res.status !== 200 || !interaction) fail(`expected the test IdP's sign-in page at ${idpPage.url}, got HTTP ${idpPage.res.status}: ${html.slice(0, 300)}`);
  const form: Record<string, string> = { interaction, email, name: user?.name ?? "", sub: user?.sub ?? "", claims: user?.claims ? JSON.stringify(user.claims) : "", action: "sign-in" };
  if (user?.emailVerified ?? true) form.email_verified = "true";
  const submit = new URL("authorize", idpPage.url).toString();
  // The IdP answers with a code for Cognito's /oauth2/idpresponse, which answers the app's callback.
  const landed = await follow(jar, submit, await send(jar, submit, { method: "POST", form }), conn.callbackUrl);
  if (!landed.url.startsWith(conn.callbackUrl)) {
    const body = await landed.res.text();
    const message = /role="alert"[^>]*>([^<]*)</.exec(body)?.[1] ?? body.slice(0, 300);
    fail(`the sign-in stopped at ${landed.url} (HTTP ${landed.res.status}): ${message}`);
  }
  const answer = new URL(landed.url).searchParams;
  if (answer.get("error")) fail(`${answer.get("error")}: ${(answer.get("error_description") ?? "").trim()}`);
  if (answer.get("state") !== state) fail("the callback's state is not the one sent");
  const code = answer.get("code") ?? fail("the callback carries no code");
  const tokenRes = await fetch(`${conn.domainUrl}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", client_id: conn.clientId, code, redirect_uri: conn.callbackUrl, code_verifier: verifier }).toString(),
  });
  const tokens = (await tokenRes.json()) as Record<string, unknown>;
  if (!tokenRes.ok) fail(`the token endpoint answered ${tokenRes.status}: ${JSON.stringify(tokens)}`);
  return {
    idToken: String(tokens.id_token ?? ""),
    accessToken: String(tokens.access_token ?? ""),
    refreshToken: String(tokens.refresh_token ?? ""),
    expiresIn: Number(tokens.expires_in ?? 0),
  };
}
