// Test support: a real external OpenID Connect provider on loopback for the federation tests, panva's certified
// oidc-provider (nobody here wrote it), with its development login form (devInteractions: any login name signs in as
// that account) and the claims of the accounts the test gives; grants are given without a consent page. And a small
// browser (one cookie jar, redirects followed by hand) that walks a federated sign-in from /oauth2/authorize through
// the IdP's login form back to the app's callback.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { Account } from "oidc-provider";
import { CookieJar } from "./hosted-ui";

/** An OAuth client registered at the IdP (the user pool, as the relying party). */
export interface IdpClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  token_endpoint_auth_method: "client_secret_post" | "client_secret_basic";
}

export interface OidcIdp {
  /** The issuer (`http://127.0.0.1:<port>`), its discovery document at `/.well-known/openid-configuration`. */
  issuer: string;
  /** Each account's claims by login name; changes show at the next sign-in. */
  accounts: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts oidc-provider on a free loopback port with `clients`. */
export async function startOidcIdp(clients: IdpClient[]): Promise<OidcIdp> {
  const { default: Provider } = await import("oidc-provider");
  const accounts = new Map<string, Record<string, unknown>>();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({ ...c, grant_types: ["authorization_code"], response_types: ["code"] })),
    cookies: { keys: ["federation-test-cookie-key"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "given_name", "family_name"] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx: unknown, id: string): Promise<Account> {
      return { accountId: id, claims: () => ({ sub: id, ...(accounts.get(id) ?? {}) }) };
    },
    // Every client is trusted: the grant is given at once, with no consent page.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async loadExistingGrant(ctx: any) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  });
  server.on("request", provider.callback());
  return {
    issuer,
    accounts,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** What the IdP's user does on its login page. */
export type IdpUserAction = { login: string } | { cancel: true };

/** Where a federated sign-in ended: the app's callback URL (with `code` or `error`), or a page shown on the way. */
export interface FederatedSignInResult {
  callback?: URL;
  status: number;
  html?: string;
  /** Every URL the browser was sent to, in order. */
  visited: string[];
}

/**
 * Opens `authorizeUrl` and follows redirects like a browser until the app's `callbackUrl`; on the IdP's login form,
 * signs in as `action.login` (or cancels). Returns without a callback when a page other than that form is shown.
 */
export async function walkFederatedSignIn(authorizeUrl: string, callbackUrl: string, action: IdpUserAction, jar = new CookieJar()): Promise<FederatedSignInResult> {
  const visited: string[] = [];
  let url = authorizeUrl;
  let init: RequestInit = {};
  for (let step = 0; step < 20; step++) {
    visited.push(url);
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string> | undefined), cookie: jar.header() } });
    jar.take(res);
    init = {};
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url);
      if (next.toString().startsWith(callbackUrl)) return { callback: next, status: res.status, visited };
      url = next.toString();
      continue;
    }
    const html = await res.text();
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"[\s\S]*?name="prompt" value="login"/.exec(html);
    if (res.status !== 200 || !form) return { status: res.status, html, visited };
    if ("cancel" in action) {
      url = new URL(`${new URL(form[1], url).pathname}/abort`, url).toString();
      continue;
    }
    url = new URL(form[1], url).toString();
    init = {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ prompt: "login", login: action.login, password: "any password" }).toString(),
    };
  }
  throw new Error(`federated sign-in did not end: ${visited.join(" -> ")}`);
}
