// How a user pool domain maps to URLs of the local service. Two forms, both always on:
//  - path-based: `http://127.0.0.1:<port>/<domain prefix>/oauth2/authorize` (also `/<pool id>/oauth2/...` for a pool
//    without a domain): works with any HTTP client, no DNS or proxy needed;
//  - host-based: a request whose Host is `<prefix>.auth.<region>.amazoncognito.com` (as sent through a proxy or a browser
//    that routes that name here) or `<prefix>.localhost[:port]` is served at AWS's own paths (`/oauth2/authorize`).
// The endpoints below the base are AWS's: /oauth2/authorize, /login, /oauth2/token, /oauth2/userInfo, /oauth2/revoke,
// /logout, /oauth2/idpresponse where external identity providers send users back, and the self-service pages /signup,
// /confirmUser, /resendcode, /forgotPassword and /confirmForgotPassword, and /passkeys/add where a signed-in user adds a
// passkey.
import type { IncomingHttpHeaders } from "node:http";
import type { ServiceContext } from "../context";
import type { UserPoolRecord } from "../model";

/** The endpoint paths of a domain, relative to its base URL. */
export const ENDPOINTS = {
  authorize: "/oauth2/authorize",
  login: "/login",
  token: "/oauth2/token",
  userInfo: "/oauth2/userInfo",
  revoke: "/oauth2/revoke",
  logout: "/logout",
  idpResponse: "/oauth2/idpresponse",
  signUp: "/signup",
  confirmUser: "/confirmUser",
  resendCode: "/resendcode",
  forgotPassword: "/forgotPassword",
  confirmForgotPassword: "/confirmForgotPassword",
  addPasskey: "/passkeys/add",
} as const;

export type EndpointName = keyof typeof ENDPOINTS;

/** A request aimed at one pool's OAuth endpoints. */
export interface OAuthTarget {
  pool: UserPoolRecord;
  endpoint: EndpointName;
  /** The base URL of the domain as the client addressed it (no trailing slash). */
  base: string;
  /** The path cookies of this domain are scoped to. */
  cookiePath: string;
  /** Whether the base is https (cookies then get `Secure`). */
  secure: boolean;
}

const PREFIX = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const AWS_HOST = new RegExp(`^(${PREFIX})\\.auth\\.[a-z0-9-]+\\.amazoncognito\\.com$`);
const LOCALHOST_HOST = new RegExp(`^(${PREFIX})\\.localhost$`);

function endpointNamed(path: string): EndpointName | undefined {
  for (const [name, endpointPath] of Object.entries(ENDPOINTS)) if (endpointPath === path) return name as EndpointName;
  return undefined;
}

/** The pool whose domain prefix, or whose id, is `key`. */
export function poolOfDomainKey(ctx: ServiceContext, key: string): UserPoolRecord | undefined {
  return ctx.state.pools().find((p) => p.domain === key) ?? ctx.state.pool(key);
}

/** The OAuth endpoint a request is for, or undefined when it is not one (so other routes may answer it). */
export function resolveOAuthTarget(ctx: ServiceContext, headers: IncomingHttpHeaders, path: string): OAuthTarget | undefined {
  const host = (headers.host ?? "127.0.0.1").toLowerCase();
  const hostname = host.replace(/:\d+$/, "");
  const byHost = AWS_HOST.exec(hostname) ?? LOCALHOST_HOST.exec(hostname);
  if (byHost) {
    const endpoint = endpointNamed(path);
    const pool = ctx.state.pools().find((p) => p.domain === byHost[1]);
    if (!endpoint || !pool) return undefined;
    const secure = AWS_HOST.test(hostname) || headers["x-forwarded-proto"] === "https";
    return { pool, endpoint, base: `${secure ? "https" : "http"}://${host}`, cookiePath: "/", secure };
  }
  const match = /^\/([^/]+)(\/.*)$/.exec(path);
  if (!match) return undefined;
  const endpoint = endpointNamed(match[2]);
  if (!endpoint) return undefined;
  let key: string;
  try {
    key = decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  const pool = poolOfDomainKey(ctx, key);
  if (!pool) return undefined;
  return { pool, endpoint, base: `http://${host}/${match[1]}`, cookiePath: `/${match[1]}`, secure: false };
}

/** The base URL of a pool's endpoints on the service at `host` (path-based; the domain prefix when it has one). */
export function domainBaseUrl(pool: UserPoolRecord, host: string): string {
  return `http://${host}/${encodeURIComponent(pool.domain ?? pool.Id)}`;
}
