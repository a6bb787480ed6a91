// A small but real OpenID Connect provider for local development and tests, on loopback (node:http + node:crypto):
// the identity provider a `Cognito` with `testIdentityProvider: true` (and `npm start -- --test-idp`) federates with,
// so the whole federated path runs offline. It speaks what Cognito needs from an OIDC IdP and what an OIDC library
// expects: discovery (`/.well-known/openid-configuration`), `/jwks`, `/authorize` (authorization code flow; `state`,
// `nonce`, PKCE S256/plain; a page where the developer types or picks a user), `/token` (client_secret_basic or
// client_secret_post, single-use codes bound to client, redirect URI and verifier; RS256 ID tokens with `at_hash`),
// and `/userinfo` (GET or POST, Bearer). Authorization responses carry `iss` (RFC 9207). Users are not checked:
// whoever is typed signs in, with exactly the claims typed. Its state lives in memory (codes for a minute, pending
// sign-ins for ten minutes, access tokens for an hour); the key pair is new each run.
import { createHash, randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { presentedClientCredentials, safeEqual } from "../service/oauth/http";
import { accessTokenHash, newSigningKey, pkceMatches, signJwt, type SigningKey } from "./signing";
import { errorPage, signInPage, type HtmlAnswer, type RecentUser, type TypedUser } from "./page";

/** A relying party registered at the test IdP (the user pool's side of the federation). */
export interface TestIdpClient {
  clientId: string;
  clientSecret: string;
  /** The exact redirect URIs it may use (`<domain>/oauth2/idpresponse`). */
  redirectUris: string[];
  /** Also accepts the redirect URIs this says yes to (the standalone service: any of its pools' idpresponse). */
  acceptsRedirectUri?: (uri: string) => boolean;
}

export interface TestIdpOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  log?: (line: string) => void;
}

export interface RunningTestIdp {
  /** `http://<host>:<port>`: the issuer, with its discovery document at `/.well-known/openid-configuration`. */
  issuer: string;
  port: number;
  /** Registers (or replaces) a relying party. */
  registerClient(client: TestIdpClient): void;
  close(): Promise<void>;
}

/** A sign-in waiting for the developer to say who they are. */
interface Interaction {
  client: TestIdpClient;
  redirectUri: string;
  state?: string;
  nonce?: string;
  scope: string;
  codeChallenge?: string;
  codeChallengeMethod: string;
  expiresAt: number;
}

/** An issued authorization code. */
interface IssuedCode {
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  codeChallengeMethod: string;
  nonce?: string;
  scope: string;
  claims: Record<string, unknown>;
  authTime: number;
  expiresAt: number;
}

const INTERACTION_SECONDS = 600;
const CODE_SECONDS = 60;
const TOKEN_SECONDS = 3600;
const MAX_BODY_BYTES = 64 * 1024;
const MAX_RECENT_USERS = 8;
const SCOPES = ["openid", "email", "profile"];
/** Claims the developer may not set: the IdP sets them. */
const RESERVED_CLAIMS = new Set(["iss", "aud", "exp", "iat", "nbf", "nonce", "auth_time", "at_hash", "azp", "jti", "sub", "email", "email_verified", "name"]);
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

/** The subject a typed email stands for when no `sub` is given: stable, so the same email is the same user. */
export function subjectOf(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 32);
}

/** Expiring entries in memory. */
class Expiring<T extends { expiresAt: number }> {
  private readonly entries = new Map<string, T>();
  set(key: string, value: T): void {
    this.sweep();
    this.entries.set(key, value);
  }
  get(key: string | undefined): T | undefined {
    const value = key === undefined ? undefined : this.entries.get(key);
    return value && value.expiresAt > now() ? value : undefined;
  }
  take(key: string | undefined): T | undefined {
    const value = this.get(key);
    if (key !== undefined) this.entries.delete(key);
    return value;
  }
  private sweep(): void {
    const t = now();
    for (const [key, value] of this.entries) if (value.expiresAt <= t) this.entries.delete(key);
  }
}

const now = () => Math.floor(Date.now() / 1000);
const opaque = () => randomBytes(32).toString("base64url");

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return { status, text: JSON.stringify(body), headers: { "content-type": "application/json", "cache-control": "no-store", pragma: "no-cache", "access-control-allow-origin": "*", ...headers } };
}
const oauthError = (error: string, description: string, status = 400, headers: Record<string, string> = {}) => json(status, { error, error_description: description }, headers);
const html = (page: HtmlAnswer): Answer => ({ status: page.status, headers: page.headers, text: page.html });
const redirect = (location: string): Answer => ({ status: 302, headers: { location, "cache-control": "no-store" }, text: "" });

/** `redirectUri` with the authorization response parameters in its query. */
function back(redirectUri: string, params: Record<string, string | undefined>): Answer {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return redirect(url.toString());
}

/** Starts the test IdP. */
export async function startTestIdp(options: TestIdpOptions = {}): Promise<RunningTestIdp> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? (() => undefined);
  const key: SigningKey = await newSigningKey();
  const clients = new Map<string, TestIdpClient>();
  const interactions = new Expiring<Interaction>();
  const codes = new Expiring<IssuedCode>();
  const accessTokens = new Expiring<{ claims: Record<string, unknown>; expiresAt: number }>();
  const recent: RecentUser[] = [];
  let issuer = "";

  const discovery = () => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/userinfo`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    code_challenge_methods_supported: ["S256", "plain"],
    scopes_supported: SCOPES,
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "email", "email_verified", "name"],
    authorization_response_iss_parameter_supported: true,
  });

  /** GET /authorize: checks the request, then shows the sign-in page. */
  function authorize(query: URLSearchParams): Answer {
    const client = clients.get(query.get("client_id") ?? "");
    if (!client) return html(errorPage(`Unknown client_id ${JSON.stringify(query.get("client_id") ?? "")}.`));
    const redirectUri = query.get("redirect_uri") ?? "";
    if (!client.redirectUris.includes(redirectUri) && !client.acceptsRedirectUri?.(redirectUri)) return html(errorPage(`redirect_uri ${JSON.stringify(redirectUri)} is not registered for client ${client.clientId}.`));
    const state = query.get("state") ?? undefined;
    const fail = (error: string, description: string) => back(redirectUri, { error, error_description: description, state, iss: issuer });
    if (query.get("response_type") !== "code") return fail("unsupported_response_type", "Only response_type=code is supported.");
    const scope = query.get("scope") ?? "";
    if (!scope.split(" ").includes("openid")) return fail("invalid_scope", "The scope must include openid.");
    const codeChallenge = query.get("code_challenge") ?? undefined;
    const codeChallengeMethod = query.get("code_challenge_method") ?? "plain";
    if (codeChallenge !== undefined && !["S256", "plain"].includes(codeChallengeMethod)) return fail("invalid_request", "code_challenge_method must be S256 or plain.");
    const interaction = opaque();
    interactions.set(interaction, {
      client, redirectUri, state, nonce: query.get("nonce") ?? undefined, scope, codeChallenge, codeChallengeMethod, expiresAt: now() + INTERACTION_SECONDS,
    });
    return html(signInPage(interaction, client.clientId, recent, { email: query.get("login_hint") ?? undefined }));
  }

  /** POST /authorize: the developer's answer on the sign-in page. */
  function signIn(form: URLSearchParams): Answer {
    const id = form.get("interaction") ?? undefined;
    const pending = interactions.get(id);
    if (!pending) return html(errorPage("This sign-in is unknown or older than ten minutes. Go back to the app and sign in again."));
    const respond = (params: Record<string, string | undefined>) => {
      interactions.take(id);
      return back(pending.redirectUri, { ...params, state: pending.state, iss: issuer });
    };
    if (form.get("action") === "cancel") return respond({ error: "access_denied", error_description: "The user cancelled the sign-in." });
    const typed: TypedUser = {
      email: (form.get("email") ?? "").trim(), name: (form.get("name") ?? "").trim(), sub: (form.get("sub") ?? "").trim(),
      emailVerified: form.get("email_verified") === "true", claims: (form.get("claims") ?? "").trim(),
    };
    const again = (field: "email" | "sub" | "claims", message: string) => html(signInPage(id!, pending.client.clientId, recent, typed, { field, message }));
    if (!typed.email || !EMAIL_PATTERN.test(typed.email)) return again("email", "Enter an email address, for example ada@example.com.");
    if (typed.sub && typed.sub.length > 255) return again("sub", "The subject may have at most 255 characters.");
    let extra: Record<string, unknown> = {};
    if (typed.claims) {
      try {
        const parsed = JSON.parse(typed.claims) as unknown;
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return again("claims", "More claims must be a JSON object, for example {\"given_name\": \"Ada\"}.");
        extra = parsed as Record<string, unknown>;
      } catch (e) {
        return again("claims", `More claims are not valid JSON (${(e as Error).message}).`);
      }
      const reserved = Object.keys(extra).filter((name) => RESERVED_CLAIMS.has(name));
      if (reserved.length) return again("claims", `The IdP sets ${reserved.join(", ")} itself: use the fields above, or leave ${reserved.length > 1 ? "them" : "it"} out.`);
    }
    const sub = typed.sub || subjectOf(typed.email!);
    const claims: Record<string, unknown> = { ...extra, sub, email: typed.email, email_verified: typed.emailVerified, ...(typed.name ? { name: typed.name } : {}) };
    remember({ email: typed.email!, name: typed.name || undefined, sub, emailVerified: typed.emailVerified ?? false, claims: extra });
    const code = opaque();
    codes.set(code, {
      clientId: pending.client.clientId, redirectUri: pending.redirectUri, codeChallenge: pending.codeChallenge, codeChallengeMethod: pending.codeChallengeMethod,
      nonce: pending.nonce, scope: pending.scope, claims, authTime: now(), expiresAt: now() + CODE_SECONDS,
    });
    log(`Test IdP: ${typed.email} (sub ${sub}) signed in for ${pending.client.clientId}`);
    return respond({ code });
  }

  function remember(user: RecentUser): void {
    const at = recent.findIndex((u) => u.sub === user.sub);
    if (at >= 0) recent.splice(at, 1);
    recent.unshift(user);
    recent.splice(MAX_RECENT_USERS);
  }

  /** The client of a token request: HTTP Basic or client_id + client_secret in the body (RFC 6749 2.3.1). */
  function authenticate(headers: http.IncomingHttpHeaders, form: URLSearchParams): TestIdpClient | Answer {
    const invalid = (description: string) => oauthError("invalid_client", description, 401, { "www-authenticate": 'Basic realm="test-idp"' });
    const presented = presentedClientCredentials(headers, form);
    if ("problem" in presented) return invalid(presented.problem);
    const { clientId, secret } = presented;
    const client = clients.get(clientId ?? "");
    if (!client || secret === undefined || !safeEqual(secret, client.clientSecret)) return invalid("Client authentication failed.");
    return client;
  }

  /** POST /token: authorization_code only. */
  function token(headers: http.IncomingHttpHeaders, form: URLSearchParams): Answer {
    const client = authenticate(headers, form);
    if ("status" in client) return client;
    if (form.get("grant_type") !== "authorization_code") return oauthError("unsupported_grant_type", "Only authorization_code is supported.");
    const issued = codes.take(form.get("code") ?? undefined);
    if (!issued || issued.clientId !== client.clientId) return oauthError("invalid_grant", "The authorization code is unknown, used or expired.");
    if (form.get("redirect_uri") !== issued.redirectUri) return oauthError("invalid_grant", "redirect_uri does not match the authorization request.");
    if (issued.codeChallenge !== undefined) {
      const verifier = form.get("code_verifier");
      if (!verifier || !pkceMatches(issued.codeChallenge, issued.codeChallengeMethod, verifier)) return oauthError("invalid_grant", "The code_verifier does not match the code_challenge.");
    } else if (form.get("code_verifier")) {
      return oauthError("invalid_grant", "No code_challenge was sent for this code.");
    }
    const accessToken = opaque();
    const issuedAt = now();
    accessTokens.set(accessToken, { claims: issued.claims, expiresAt: issuedAt + TOKEN_SECONDS });
    const idToken = signJwt(key, {
      ...issued.claims,
      iss: issuer, aud: client.clientId, iat: issuedAt, exp: issuedAt + TOKEN_SECONDS, auth_time: issued.authTime,
      at_hash: accessTokenHash(accessToken), ...(issued.nonce !== undefined ? { nonce: issued.nonce } : {}),
    });
    return json(200, { access_token: accessToken, token_type: "Bearer", expires_in: TOKEN_SECONDS, id_token: idToken, scope: issued.scope });
  }

  /** GET or POST /userinfo with a Bearer access token (RFC 6750). */
  function userInfo(headers: http.IncomingHttpHeaders): Answer {
    const bearer = /^bearer\s+(\S+)$/i.exec(headers.authorization ?? "")?.[1];
    const found = accessTokens.get(bearer);
    if (!found) return json(401, { error: "invalid_token" }, { "www-authenticate": 'Bearer error="invalid_token"' });
    return json(200, found.claims);
  }

  async function route(req: http.IncomingMessage, body: string): Promise<Answer> {
    const url = new URL(req.url ?? "/", issuer);
    const method = req.method ?? "GET";
    const form = (req.headers["content-type"] ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded") ? new URLSearchParams(body) : new URLSearchParams();
    switch (`${method} ${url.pathname}`) {
      case "GET /.well-known/openid-configuration":
        return json(200, discovery());
      case "GET /jwks":
        return json(200, { keys: [key.publicJwk] });
      case "GET /authorize":
        return authorize(url.searchParams);
      case "POST /authorize":
        return signIn(form);
      case "POST /token":
        return token(req.headers, form);
      case "GET /userinfo":
      case "POST /userinfo":
        return userInfo(req.headers);
      case "GET /":
        return json(200, { issuer, discovery: `${issuer}/.well-known/openid-configuration`, note: "The local test identity provider of @winglibs/cognito." });
      default:
        return json(404, { error: "not_found", error_description: `${method} ${url.pathname} is not an endpoint of the test IdP.` });
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      const answer: Promise<Answer> = size > MAX_BODY_BYTES ? Promise.resolve(json(413, { error: "invalid_request", error_description: "The body is too large." })) : route(req, Buffer.concat(chunks).toString("utf8"));
      answer
        .catch((e: unknown) => json(500, { error: "server_error", error_description: (e as Error).message }))
        .then((a) => res.writeHead(a.status, a.headers).end(a.text));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  issuer = `http://${host}:${port}`;
  log(`Test identity provider at ${issuer}`);
  return {
    issuer,
    port,
    registerClient(client) {
      clients.set(client.clientId, { ...client, redirectUris: [...client.redirectUris] });
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
