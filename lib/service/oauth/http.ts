// The HTTP vocabulary shared by the OAuth endpoints: form bodies, cookies, client authentication (HTTP Basic or
// client_secret in the body), RFC 6749 JSON errors, redirects and the error page, with the headers these answers need
// (no caching of tokens, CORS for single-page apps on the token endpoints).
import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { RouteAnswer } from "../http-server";
import type { AppClientRecord, UserPoolRecord } from "../model";
import type { ServiceContext } from "../context";
import { isClientSecret } from "../client-secrets";
import { escapeHtml, page } from "./pages";

/** An RFC 6749 / RFC 6750 error code. */
export type OAuthErrorCode =
  | "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "invalid_scope"
  | "invalid_token" | "insufficient_scope" | "unsupported_token_type" | "access_denied" | "unsupported_response_type" | "server_error";

const JSON_TYPE = "application/json;charset=UTF-8";
const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };
/** The token, userInfo and revoke endpoints are called by browser apps from their own origin. */
export const CORS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "*",
};

/** A JSON answer that is never cached. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): RouteAnswer {
  return { status, body, text: JSON.stringify(body), contentType: JSON_TYPE, headers: { ...NO_STORE, ...CORS, ...headers } };
}

/** An OAuth error: `{"error": code}` (and a description), HTTP 400 unless told. */
export function oauthError(code: OAuthErrorCode, description?: string, status = 400, headers: Record<string, string> = {}): RouteAnswer {
  return json(status, { error: code, ...(description ? { error_description: description } : {}) }, headers);
}

/** A 302 to `location`, with cookies to set. */
export function redirect(location: string, cookies: string[] = []): RouteAnswer {
  return { status: 302, body: null, text: "", headers: { location, ...NO_STORE, ...(cookies.length ? { "set-cookie": cookies } : {}) } };
}

/** The page a browser sees when a request cannot be sent back to the app (bad client or redirect URI): never a redirect. */
export function errorPage(message: string, status = 400): RouteAnswer {
  return page(status, "Error", `<h1>An error was encountered with the requested page.</h1>\n<p role="alert">${escapeHtml(message)}</p>`);
}

/** `redirectUri` with `params` added to its query (code flow) or fragment (implicit flow). */
export function withParams(redirectUri: string, params: Record<string, string | undefined>, inFragment = false): string {
  const url = new URL(redirectUri);
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  if (inFragment) {
    url.hash = new URLSearchParams(entries).toString();
  } else {
    for (const [k, v] of entries) url.searchParams.set(k, v);
  }
  return url.toString();
}

/** A form-encoded body (a body of another type reads as empty). */
export function formOf(headers: IncomingHttpHeaders, body: string): URLSearchParams {
  const type = (headers["content-type"] ?? "").toLowerCase();
  return type.startsWith("application/x-www-form-urlencoded") ? new URLSearchParams(body) : new URLSearchParams();
}

/** The cookies of a request. */
export function cookiesOf(headers: IncomingHttpHeaders): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name && !out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

/** A Set-Cookie value: HttpOnly, SameSite=Lax, scoped to the domain's path; `maxAge` 0 deletes it. */
export function cookie(name: string, value: string, path: string, maxAge: number, secure: boolean): string {
  return `${name}=${value}; Path=${path}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The client id and secret of an `Authorization: Basic` value (each form-encoded, RFC 6749 2.3.1), or undefined when malformed. */
export function basicCredentials(authorization: string): { clientId: string; secret: string } | undefined {
  const decoded = Buffer.from(authorization.replace(/^basic\s+/i, "").trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  try {
    return { clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " ")), secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " ")) };
  } catch {
    return undefined;
  }
}

/**
 * The client credentials a token request presents: HTTP Basic (`client_id:client_secret`, form-encoded as RFC 6749
 * 2.3.1 says) or `client_id` (+ `client_secret`) in the body; `problem` when the Basic header is malformed or names
 * another client than the body.
 */
export function presentedClientCredentials(headers: IncomingHttpHeaders, form: URLSearchParams): { clientId?: string; secret?: string } | { problem: string } {
  const fromBody = { clientId: form.get("client_id") ?? undefined, secret: form.get("client_secret") ?? undefined };
  const authorization = headers.authorization ?? "";
  if (!/^basic\s+/i.test(authorization)) return fromBody;
  const basic = basicCredentials(authorization);
  if (!basic) return { problem: "Malformed HTTP Basic credentials." };
  if (fromBody.clientId !== undefined && fromBody.clientId !== basic.clientId) return { problem: "client_id does not match the HTTP Basic credentials." };
  return basic;
}

/**
 * Authenticates the client of a token or revoke request: HTTP Basic (`client_id:client_secret`, form-encoded as
 * RFC 6749 2.3.1 says) or `client_id` (+ `client_secret`) in the body. A client with a secret must present it.
 */
export function authenticateClient(ctx: ServiceContext, pool: UserPoolRecord, headers: IncomingHttpHeaders, form: URLSearchParams): { client: AppClientRecord } | { error: RouteAnswer } {
  const invalid = (description: string) => ({ error: oauthError("invalid_client", description) });
  const presented = presentedClientCredentials(headers, form);
  if ("problem" in presented) return invalid(presented.problem);
  const { clientId, secret } = presented;
  if (!clientId) return { error: oauthError("invalid_request", "client_id is required.") };
  const client = ctx.state.client(clientId);
  if (!client || client.UserPoolId !== pool.Id) return invalid("Client not found.");
  if (client.ClientSecret) {
    if (secret === undefined || !isClientSecret(client, secret)) return invalid("Client authentication failed.");
  } else if (secret) {
    return invalid("The client has no secret.");
  }
  return { client };
}
