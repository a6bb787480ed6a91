// Test support: drives the hosted sign-in page over plain HTTP as a browser would (follow the authorize redirect, keep
// the cookies, read the CSRF field, post the form) and returns where the page sent the browser back to. Used by the
// OAuth integration tests and, through test/oauth-tools.w, by the Wing simulator tests.

/** One browser's cookie jar, enough for the hosted page (name → value, no path or expiry logic). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

export interface HostedSignInResult {
  /** The URL the sign-in ended on (the app's callback with `code` and `state`, or an error redirect). */
  location: string;
  /** The HTML of the last page shown when the sign-in did not redirect (e.g. a wrong password). */
  html?: string;
  status: number;
  jar: CookieJar;
}

/** The value of the hidden CSRF field of a hosted page. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no CSRF field in the page: ${html.slice(0, 300)}`);
  return match[1];
}

/** The form action of a hosted page, HTML-unescaped. */
export function actionOf(html: string): string {
  const match = /<form method="post" action="([^"]+)"/.exec(html);
  if (!match) throw new Error("no form in the page");
  return match[1].replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
}

/**
 * Opens `authorizeUrl`, signs in with `username` and `password` on the hosted page, answers each further step with
 * `steps` (form fields, e.g. `{ code: "123456" }`), and returns where the browser was sent.
 */
export async function hostedSignIn(authorizeUrl: string, username: string, password: string, steps: Array<Record<string, string>> = [], jar = new CookieJar()): Promise<HostedSignInResult> {
  let response = await fetch(authorizeUrl, { redirect: "manual", headers: { cookie: jar.header() } });
  jar.take(response);
  let location = response.headers.get("location");
  if (response.status !== 302 || !location) return { location: authorizeUrl, status: response.status, html: await response.text(), jar };
  if (!new URL(location).pathname.endsWith("/login")) return { location, status: response.status, jar };
  response = await fetch(location, { headers: { cookie: jar.header() } });
  jar.take(response);
  let html = await response.text();
  const forms = [{ username, password }, ...steps];
  for (const fields of forms) {
    const body = new URLSearchParams({ _csrf: csrfOf(html), step: "username" in fields ? "password" : "challenge", ...fields });
    response = await fetch(actionOf(html), {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
      body: body.toString(),
    });
    jar.take(response);
    location = response.headers.get("location");
    if (response.status === 302 && location) return { location, status: 302, jar };
    html = await response.text();
    if (response.status !== 200) break;
  }
  return { location: "", status: response.status, html, jar };
}

/**
 * Signs in on the hosted page with the code flow and PKCE (S256) and exchanges the code: the access token a front end
 * would get. `domainUrl` is the pool domain's base URL (Cognito.domainUrl).
 */
export async function hostedSignInAccessToken(domainUrl: string, clientId: string, callbackUrl: string, scope: string, username: string, password: string): Promise<string> {
  const { createHash, randomBytes } = await import("node:crypto");
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const authorize = `${domainUrl}/oauth2/authorize?${new URLSearchParams({ client_id: clientId, response_type: "code", redirect_uri: callbackUrl, scope, state: "wing", code_challenge: challenge, code_challenge_method: "S256" })}`;
  const signIn = await hostedSignIn(authorize, username, password);
  const code = signIn.location ? new URL(signIn.location).searchParams.get("code") : null;
  if (!code) throw new Error(`hosted sign-in did not return a code: ${signIn.location || signIn.html?.match(/role="alert"[^>]*>([^<]*)/)?.[1] || signIn.status}`);
  const res = await fetch(`${domainUrl}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", client_id: clientId, code, redirect_uri: callbackUrl, code_verifier: verifier }).toString(),
  });
  const tokens = (await res.json()) as { access_token?: string; error?: string };
  if (!tokens.access_token) throw new Error(`token exchange failed: ${tokens.error}`);
  return tokens.access_token;
}
