// The local-only routes of the service, for tests, the Wing Console and the simulator's AWS_IAM route guard:
// delivered codes, a user list, the SigV4 signing key of one scope of an access key (what the guard verifies signatures
// with: never the secret key or the session token), SigV4 verification of requests signed with identity-pool
// credentials, and a health check, all under
// /_local/ and refused unless the caller is on loopback. Also serves the JWKS of the service's OpenID tokens at
// AWS's path, /.well-known/jwks_uri.
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { ServiceContext } from "./context";
import type { ExtraRoute, RouteAnswer } from "./http-server";
import { openIdKey, OPENID_ISSUER } from "./id-token-check";
import type { DeliveredCode, IssuedCredentials } from "./model";
import { scopedSigningKey, verifySigV4, type SigningCredentials } from "./sigv4";
import { jwkOf } from "./tokens";

/** The Console lists at most this many users. */
export const MAX_LISTED_USERS = 500;

/** Where the simulator's AWS_IAM guard gets what it needs to verify one access key's signatures of one scope. */
export const SIGNING_KEY_ROUTE = "/_local/sigv4/signing-key";

/**
 * The answer of `GET /_local/sigv4/signing-key?accessKeyId=&date=YYYYMMDD&region=&service=`: no secret key and no
 * session token, only the SigV4 signing key of that one scope (good for that day, region and service), the session
 * token's SHA-256, and what the credentials are bound to.
 */
export interface LocalSigningKey {
  accessKeyId: string;
  /** Hex. */
  signingKey: string;
  /** SHA-256 of the session token, hex. */
  sessionTokenSha256: string;
  /** Epoch seconds (the service's clock when they were issued, plus their lifetime), as Cognito's `Expiration`. */
  expiration: number;
  identityId: string;
  identityPoolId: string;
  roleArn: string;
  /** Credentials of the identity pool's unauthenticated (guest) role. */
  guest: boolean;
}

const JSON_TYPE = "application/json";

type RouteRequest = Parameters<ExtraRoute>[0] & {
  /** The TCP peer's address, when the HTTP server passes it on. */
  remoteAddress?: string;
};

const answer = (status: number, body: unknown): RouteAnswer => ({ status, body, contentType: JSON_TYPE });

/** Why credentials are not found when no credentials were ever issued under the key. */
const UNKNOWN_KEY = "unknown access key";

export function localRoutes(ctx: ServiceContext): ExtraRoute {
  const { state } = ctx;

  function codes(query: URLSearchParams): RouteAnswer {
    const poolId = query.get("userPoolId");
    if (!poolId) return answer(400, { message: "userPoolId is required." });
    const pool = state.pool(poolId);
    if (!pool) return answer(404, { message: `User pool ${poolId} does not exist.` });
    const name = query.get("username");
    // A username, an alias (email, phone) or a sub; codes of a since-deleted user still match by their username.
    const username = name === null ? undefined : state.findUser(pool, name)?.username ?? name;
    const delivered: DeliveredCode[] = [];
    for (const d of state.deliveries()) if (d.userPoolId === pool.Id && (username === undefined || d.username === username)) delivered.push(d);
    // Newest first; codes of the same second keep the reverse of their delivery order.
    const list = delivered.reverse().sort((a, b) => b.createdAt - a.createdAt);
    return answer(200, {
      codes: list.map((d) => ({
        userPoolId: d.userPoolId,
        username: d.username,
        purpose: d.purpose,
        code: d.code,
        destination: d.destination,
        deliveryMedium: d.deliveryMedium,
        createdAt: d.createdAt,
      })),
    });
  }

  function users(query: URLSearchParams): RouteAnswer {
    const poolId = query.get("userPoolId");
    if (!poolId) return answer(400, { message: "userPoolId is required." });
    const pool = state.pool(poolId);
    if (!pool) return answer(404, { message: `User pool ${poolId} does not exist.` });
    const list = [];
    for (const user of state.users(pool.Id)) {
      if (list.length >= MAX_LISTED_USERS) break;
      list.push({
        username: user.username,
        sub: user.sub,
        status: user.status,
        enabled: user.enabled,
        email: user.attributes.email ?? null,
        groups: [...state.groupNamesOf(pool.Id, user.username)].sort(),
      });
    }
    return answer(200, { users: list });
  }

  /** The credentials issued under `accessKeyId` while their identity and identity pool still exist, or why not. */
  function boundCredentials(accessKeyId: string): IssuedCredentials | string {
    const issued = state.credentials(accessKeyId);
    if (!issued) return UNKNOWN_KEY;
    const identity = state.identity(issued.IdentityId);
    if (!identity || identity.IdentityPoolId !== issued.IdentityPoolId || !state.identityPool(issued.IdentityPoolId)) {
      return "the identity of these credentials no longer exists";
    }
    return issued;
  }

  /** Whether credentials were issued for the identity pool's unauthenticated (guest) role. */
  function isGuest(issued: IssuedCredentials): boolean {
    return state.identityPool(issued.IdentityPoolId)?.Roles.unauthenticated === issued.RoleArn;
  }

  /** `GET /_local/sigv4/signing-key`: 404 for unknown keys and keys whose identity is gone; expired ones are answered (with their expiration). */
  function signingKey(query: URLSearchParams): RouteAnswer {
    const accessKeyId = query.get("accessKeyId") ?? "";
    const scope = { date: query.get("date") ?? "", region: query.get("region") ?? "", service: query.get("service") ?? "" };
    if (!/^\d{8}$/.test(scope.date) || !/^[a-z0-9-]{1,64}$/.test(scope.region) || !/^[a-z0-9-]{1,64}$/.test(scope.service)) {
      return answer(400, { message: "accessKeyId, date (YYYYMMDD), region and service are required." });
    }
    const issued = accessKeyId === "" ? UNKNOWN_KEY : boundCredentials(accessKeyId);
    if (typeof issued === "string") return answer(404, { message: `No credentials for access key ${JSON.stringify(accessKeyId)}: ${issued}.` });
    const found: LocalSigningKey = {
      accessKeyId: issued.AccessKeyId,
      signingKey: scopedSigningKey(issued.SecretKey, scope).toString("hex"),
      sessionTokenSha256: createHash("sha256").update(issued.SessionToken, "utf8").digest("hex"),
      expiration: issued.Expiration,
      identityId: issued.IdentityId,
      identityPoolId: issued.IdentityPoolId,
      roleArn: issued.RoleArn,
      guest: isGuest(issued),
    };
    return answer(200, found);
  }

  async function verify(body: string): Promise<RouteAnswer> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return answer(400, { message: "The body must be JSON: {method, url, headers, body}." });
    }
    const request = signedRequestOf(parsed);
    if (typeof request === "string") return answer(400, { message: request });
    let problem: string | undefined;
    const lookup = (accessKeyId: string): SigningCredentials | undefined => {
      const issued = boundCredentials(accessKeyId);
      if (typeof issued === "string") {
        if (issued !== UNKNOWN_KEY) problem = issued;
        return undefined;
      }
      if (issued.Expiration <= ctx.now()) {
        problem = "the credentials have expired";
        return undefined;
      }
      return { secretAccessKey: issued.SecretKey, sessionToken: issued.SessionToken };
    };
    const result = await verifySigV4(request, lookup, { now: new Date(ctx.nowMs()) });
    if (!result.valid) return answer(200, { valid: false, reason: problem ?? result.reason });
    const issued = state.credentials(result.accessKeyId)!;
    return answer(200, { valid: true, identityId: issued.IdentityId, identityPoolId: issued.IdentityPoolId, accessKeyId: issued.AccessKeyId, roleArn: issued.RoleArn, guest: isGuest(issued) });
  }

  async function jwks(): Promise<RouteAnswer> {
    const key = await openIdKey(ctx);
    await state.commit(); // a key made here, outside any operation, must be durable before it is published
    return answer(200, { keys: [jwkOf(key)] });
  }

  return async (request: RouteRequest) => {
    const { method, path, query, headers, body } = request;
    if (path === "/.well-known/jwks_uri" && method === "GET") return jwks();
    if (path === "/.well-known/openid-configuration" && method === "GET") {
      return answer(200, { issuer: OPENID_ISSUER, jwks_uri: `http://${headers.host ?? "127.0.0.1"}/.well-known/jwks_uri`, id_token_signing_alg_values_supported: ["RS256"], subject_types_supported: ["public"], response_types_supported: ["id_token"] });
    }
    if (path !== "/_local" && !path.startsWith("/_local/")) return undefined;
    const refusal = loopbackRefusal(request.remoteAddress, headers);
    if (refusal) return answer(403, { message: refusal });
    const route = `${method} ${path}`;
    switch (route) {
      case "GET /_local/health":
        return answer(200, { ok: true });
      case "GET /_local/codes":
        return codes(query);
      case "GET /_local/users":
        return users(query);
      case "POST /_local/sigv4/verify":
        return verify(body);
      case `GET ${SIGNING_KEY_ROUTE}`:
        return signingKey(query);
    }
    if (["/_local/health", "/_local/codes", "/_local/users", "/_local/sigv4/verify", SIGNING_KEY_ROUTE].includes(path)) return answer(405, { message: `${method} is not allowed on ${path}.` });
    return answer(404, { message: `No local route ${path}.` });
  };
}

/** The body of /_local/sigv4/verify as the verifier's request, or what is wrong with it. */
function signedRequestOf(value: unknown): { method: string; url: string; headers: Record<string, string | string[]>; body: string } | string {
  if (!value || typeof value !== "object" || Array.isArray(value)) return "The body must be a JSON object: {method, url, headers, body}.";
  const { method, url, headers, body } = value as Record<string, unknown>;
  if (typeof method !== "string" || method === "") return "method must be a non-empty string.";
  if (typeof url !== "string" || !url.startsWith("/")) return "url must be the request's path and query, starting with /.";
  if (!headers || typeof headers !== "object" || Array.isArray(headers)) return "headers must be an object.";
  const out: Record<string, string | string[]> = {};
  for (const [name, v] of Object.entries(headers)) {
    if (typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string"))) out[name] = v as string | string[];
    else return `header ${name} must be a string or a list of strings.`;
  }
  if (body !== undefined && body !== null && typeof body !== "string") return "body must be a string.";
  return { method, url, headers: out, body: typeof body === "string" ? body : "" };
}

/**
 * Why a request to a local route is refused, or undefined when it comes from this machine: the TCP peer must be a
 * loopback address (when the server tells it), the Host must name loopback (no DNS rebinding), and a browser page may
 * call only from a loopback origin (the server's CORS headers would otherwise let any web page read codes).
 */
export function loopbackRefusal(remoteAddress: string | undefined, headers: IncomingHttpHeaders): string | undefined {
  if (remoteAddress !== undefined && !isLoopbackAddress(remoteAddress)) return "Local routes answer only on loopback.";
  const host = first(headers.host);
  if (host !== undefined && !isLoopbackHost(hostnameOf(host))) return "Local routes answer only to a loopback Host.";
  const origin = first(headers.origin);
  if (origin !== undefined && origin !== "null") {
    let hostname: string;
    try {
      hostname = new URL(origin).hostname;
    } catch {
      return "Local routes refuse this Origin.";
    }
    if (!isLoopbackHost(hostname)) return "Local routes refuse cross-site browser requests.";
  } else if (origin === "null") return "Local routes refuse cross-site browser requests.";
  if (first(headers["sec-fetch-site"]) === "cross-site") return "Local routes refuse cross-site browser requests.";
  return undefined;
}

export function isLoopbackAddress(address: string): boolean {
  const a = address.startsWith("::ffff:") ? address.slice(7) : address;
  return a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h.endsWith(".localhost") || isLoopbackAddress(h);
}

function hostnameOf(host: string): string {
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  const colon = host.lastIndexOf(":");
  return colon >= 0 ? host.slice(0, colon) : host;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
