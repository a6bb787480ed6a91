// The simulator's route guard: decides, with API Gateway's semantics, whether a request to a protected
// route reaches its handler. COGNITO_USER_POOLS checks the ID token (401 on failure); AWS_IAM verifies the
// request's SigV4 signature with the credentials the local identity pool issued, fetched from the local service
// once per access key (403 on failure). `undefined` means "let it through". Imports no AWS SDK client.
import * as http from "node:http";
import { verifySigV4, type SigningCredentials } from "../service/sigv4";
import {
  headerValue,
  tokenFromHeader,
  verifyIdToken,
  type CognitoConnection,
} from "../inflight/id-token";
import { verifyScopedAccessToken } from "../inflight/access-token";

/** What a guarded route answers instead of calling its handler. */
export interface GuardResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The parts of a `cloud.ApiRequest` the guard reads. */
export interface GuardedRequest {
  readonly method: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

function deny(status: number, message: string): GuardResponse {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify({ message }) };
}

/** Checks the ID token in `conn.headerKey`: 401 `Unauthorized` (or `The incoming token has expired`). */
export async function checkUserPoolToken(conn: CognitoConnection, req: GuardedRequest): Promise<GuardResponse | undefined> {
  const check = await verifyIdToken(conn, tokenFromHeader(headerValue(req.headers, conn.headerKey)));
  if (check.ok) return undefined;
  return deny(401, check.reason === "expired" ? "The incoming token has expired" : "Unauthorized");
}

/**
 * For a route protected with OAuth scopes: an access token of the pool carrying one of `scopes` (API Gateway's
 * `authorizationScopes`); an ID token, or an access token without such a scope, gets 401 `Unauthorized`.
 */
export async function checkScopedAccessToken(conn: CognitoConnection, req: GuardedRequest, scopes: readonly string[]): Promise<GuardResponse | undefined> {
  const check = await verifyScopedAccessToken(conn, tokenFromHeader(headerValue(req.headers, conn.headerKey)), scopes);
  if (check.ok) return undefined;
  return deny(401, check.reason === "expired" ? "The incoming token has expired" : "Unauthorized");
}

/** The path and query string the client signed, rebuilt from the request the handler sees. */
export function signedUrlOf(req: GuardedRequest): string {
  const query = Object.entries(req.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
  return query === "" ? req.path : `${req.path}?${query}`;
}

/** Connections to the local service stay open: a guard fetches each access key's credentials once. */
const keepAlive = new http.Agent({ keepAlive: true });

function getJson(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "GET", agent: keepAlive }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Identity-pool credentials as the guard keeps them (lib/service/local-routes.ts `LocalCredentials`). */
interface KnownCredentials {
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** Epoch milliseconds. */
  readonly expiresAtMs: number;
  readonly identityPoolId: string;
}

/** Most access keys a guard remembers; the oldest is forgotten first. */
const MAX_CACHED_CREDENTIALS = 1000;

/** Credentials per `<endpoint> <accessKeyId>`, kept until they expire: a repeated key costs a map lookup. */
const credentialCache = new Map<string, KnownCredentials>();
/** Look-ups under way, so that concurrent requests with a new key ask the service once. */
const pendingLookups = new Map<string, Promise<KnownCredentials | undefined>>();

function credentialsOf(body: string): KnownCredentials | undefined {
  const c = JSON.parse(body) as Record<string, unknown>;
  const { secretKey, sessionToken, expiration, identityPoolId } = c;
  if (typeof secretKey !== "string" || typeof sessionToken !== "string" || typeof expiration !== "number" || typeof identityPoolId !== "string") {
    return undefined;
  }
  return { secretAccessKey: secretKey, sessionToken, expiresAtMs: expiration * 1000, identityPoolId };
}

/**
 * The credentials the local service at `endpoint` issued under `accessKeyId` (from its loopback-only
 * `GET /_local/credentials/<accessKeyId>`), or undefined when it knows no such key. Cached until they expire.
 */
async function knownCredentials(endpoint: string, accessKeyId: string): Promise<KnownCredentials | undefined> {
  const key = `${endpoint} ${accessKeyId}`;
  const cached = credentialCache.get(key);
  if (cached) return cached;
  let pending = pendingLookups.get(key);
  if (!pending) {
    pending = (async () => {
      const res = await getJson(`${endpoint.replace(/\/+$/, "")}/_local/credentials/${encodeURIComponent(accessKeyId)}`);
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw new Error(`the local Cognito service answered ${res.status} for credentials: ${res.body}`);
      const found = credentialsOf(res.body);
      if (!found) throw new Error("the local Cognito service answered malformed credentials");
      if (credentialCache.size >= MAX_CACHED_CREDENTIALS) credentialCache.delete(credentialCache.keys().next().value!);
      credentialCache.set(key, found);
      return found;
    })().finally(() => pendingLookups.delete(key));
    pendingLookups.set(key, pending);
  }
  return pending;
}

/** Why the credentials of a signed request were refused before its signature was checked. */
type CredentialProblem = "unknown" | "expired" | "foreign";

const CREDENTIAL_MESSAGES: Record<CredentialProblem, string> = {
  unknown: "The security token included in the request is invalid.",
  expired: "The security token included in the request is expired",
  foreign: "The security token included in the request is invalid.",
};

/**
 * Checks the request's SigV4 signature (service `execute-api`, the pool's region) with the credentials that the
 * local identity pool issued, fetched once per access key from the local service and cached until they expire:
 * 403 when the signature is missing or invalid, or the credentials are unknown, expired, or another identity
 * pool's.
 */
export async function checkSigV4(conn: CognitoConnection, req: GuardedRequest): Promise<GuardResponse | undefined> {
  const authorization = headerValue(req.headers, "authorization");
  if (!authorization || !authorization.startsWith("AWS4-HMAC-SHA256")) {
    return deny(403, "Missing Authentication Token");
  }
  const now = Date.now();
  let problem: CredentialProblem | undefined;
  const lookup = async (accessKeyId: string): Promise<SigningCredentials | undefined> => {
    const known = await knownCredentials(conn.endpoint, accessKeyId);
    if (!known) problem = "unknown";
    else if (known.expiresAtMs <= now) problem = "expired";
    else if (known.identityPoolId !== conn.identityPoolId) problem = "foreign";
    else return { secretAccessKey: known.secretAccessKey, sessionToken: known.sessionToken };
    return undefined;
  };
  const verdict = await verifySigV4(
    { method: req.method, url: signedUrlOf(req), headers: req.headers ?? {}, body: req.body ?? "" },
    lookup,
    { now: new Date(now), expectedService: "execute-api", expectedRegion: conn.region },
  );
  if (verdict.valid) return undefined;
  if (problem) return deny(403, CREDENTIAL_MESSAGES[problem]);
  return deny(403, "The request signature we calculated does not match the signature you provided.");
}

/** The guard of a route: `iamAuth` picks AWS_IAM over COGNITO_USER_POOLS; `scopes` require a scoped access token. */
export async function authorize(
  conn: CognitoConnection,
  iamAuth: boolean,
  req: GuardedRequest,
  scopes: readonly string[] = [],
): Promise<GuardResponse | undefined> {
  if (iamAuth) return checkSigV4(conn, req);
  return scopes.length > 0 ? checkScopedAccessToken(conn, req, scopes) : checkUserPoolToken(conn, req);
}
