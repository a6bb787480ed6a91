// The simulator's route guard: decides, with API Gateway's semantics, whether a request to a protected
// route reaches its handler. COGNITO_USER_POOLS checks the ID token (401 on failure); AWS_IAM verifies the
// request's SigV4 signature with the signing key of credentials the local identity pool issued (fetched from the local
// service once per access key and day; the guard never sees secret keys) and refuses guest credentials (403).
// `undefined` means "let it through". Imports no AWS SDK client.
import * as http from "node:http";
import { verifySigV4, type ScopedSigningKey, type SigningScope } from "../service/sigv4";
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
  /** The query string exactly as received (without "?"), when the caller has it: then it is what is verified. */
  readonly rawQuery?: string;
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

/** Most query strings tried for one request (see `signedUrlCandidates`). */
const MAX_QUERY_CANDIDATES = 16;

/**
 * The path and query strings the client may have signed, most likely first. With `rawQuery` (the query string as
 * received) that is the one. The simulator's Api hands handlers only a parsed query (Express's `qs`, then Wing joins
 * repeated values with ","), so `?a=1&a=2` and `?a[]=1&a[]=2` both arrive as `{a: "1,2"}`: each value with a comma is
 * tried as one value, as repeated keys, and as `key[]` / `key[i]` keys. (A signature is an HMAC: trying a few
 * canonical forms admits nothing that was not signed.)
 */
export function signedUrlCandidates(req: GuardedRequest): string[] {
  if (req.rawQuery !== undefined) return [req.rawQuery === "" ? req.path : `${req.path}?${req.rawQuery}`];
  const enc = encodeURIComponent;
  let queries: string[][] = [[]];
  for (const [key, value] of Object.entries(req.query ?? {})) {
    const parts = value.split(",");
    const forms = [[`${enc(key)}=${enc(value)}`]];
    if (parts.length > 1) forms.push(parts.map((p) => `${enc(key)}=${enc(p)}`));
    forms.push(parts.map((p) => `${enc(`${key}[]`)}=${enc(p)}`));
    forms.push(parts.map((p, i) => `${enc(`${key}[${i}]`)}=${enc(p)}`));
    const next: string[][] = [];
    for (const q of queries) for (const f of forms) if (next.length < MAX_QUERY_CANDIDATES) next.push([...q, ...f]);
    queries = next;
  }
  return queries.map((q) => (q.length === 0 ? req.path : `${req.path}?${q.join("&")}`));
}

/** The path and query string the client most likely signed, rebuilt from the request the handler sees. */
export function signedUrlOf(req: GuardedRequest): string {
  return signedUrlCandidates(req)[0]!;
}

/** Connections to the local service stay open: a guard fetches each access key's signing key once a day. */
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

/** What the guard knows about an access key for one scope (lib/service/local-routes.ts `LocalSigningKey`). */
interface KnownSigningKey {
  readonly signingKey: Uint8Array;
  readonly sessionTokenSha256: string;
  /** Epoch milliseconds. */
  readonly expiresAtMs: number;
  readonly identityPoolId: string;
  readonly roleArn: string;
  readonly guest: boolean;
}

/** Most (access key, scope) pairs a guard remembers; the oldest is forgotten first. */
const MAX_CACHED_KEYS = 1000;

/** Signing keys per `<endpoint> <accessKeyId> <scope>`, kept until the credentials expire: a repeated key costs a map lookup. */
const keyCache = new Map<string, KnownSigningKey>();
/** Look-ups under way, so that concurrent requests with a new key ask the service once. */
const pendingLookups = new Map<string, Promise<KnownSigningKey | undefined>>();

function signingKeyOf(body: string): KnownSigningKey | undefined {
  const c = JSON.parse(body) as Record<string, unknown>;
  const { signingKey, sessionTokenSha256, expiration, identityPoolId, roleArn, guest } = c;
  if (typeof signingKey !== "string" || !/^[0-9a-f]{64}$/.test(signingKey) || typeof sessionTokenSha256 !== "string" || typeof expiration !== "number" ||
    typeof identityPoolId !== "string" || typeof roleArn !== "string" || typeof guest !== "boolean") {
    return undefined;
  }
  return { signingKey: Buffer.from(signingKey, "hex"), sessionTokenSha256, expiresAtMs: expiration * 1000, identityPoolId, roleArn, guest };
}

/**
 * The signing key of `accessKeyId` for `scope` from the local service at `endpoint` (its loopback-only
 * `GET /_local/sigv4/signing-key`, which never returns the secret key or the session token), or undefined when it
 * knows no such key. Cached until the credentials expire.
 */
async function knownSigningKey(endpoint: string, accessKeyId: string, scope: SigningScope): Promise<KnownSigningKey | undefined> {
  const key = `${endpoint} ${accessKeyId} ${scope.date} ${scope.region} ${scope.service}`;
  const cached = keyCache.get(key);
  if (cached) return cached;
  let pending = pendingLookups.get(key);
  if (!pending) {
    pending = (async () => {
      const query = new URLSearchParams({ accessKeyId, date: scope.date, region: scope.region, service: scope.service });
      const res = await getJson(`${endpoint.replace(/\/+$/, "")}/_local/sigv4/signing-key?${query}`);
      if (res.status === 404 || res.status === 400) return undefined;
      if (res.status !== 200) throw new Error(`the local Cognito service answered ${res.status} for a signing key: ${res.body}`);
      const found = signingKeyOf(res.body);
      if (!found) throw new Error("the local Cognito service answered a malformed signing key");
      if (keyCache.size >= MAX_CACHED_KEYS) keyCache.delete(keyCache.keys().next().value!);
      keyCache.set(key, found);
      return found;
    })().finally(() => pendingLookups.delete(key));
    pendingLookups.set(key, pending);
  }
  return pending;
}

/** Why the credentials of a signed request were refused before (or despite) their signature. */
type CredentialProblem = "unknown" | "expired" | "foreign";

const CREDENTIAL_MESSAGES: Record<CredentialProblem, string> = {
  unknown: "The security token included in the request is invalid.",
  expired: "The security token included in the request is expired",
  foreign: "The security token included in the request is invalid.",
};

/** `arn:aws:iam::<account>:role/<name>` as the assumed-role ARN API Gateway names in its denial. */
function assumedRoleOf(roleArn: string): string {
  const m = /^arn:aws:iam::(\d*):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return m ? `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/CognitoIdentityCredentials` : roleArn;
}

/**
 * Checks the request's SigV4 signature (service `execute-api`, the pool's region) with the signing key of credentials
 * that the local identity pool issued, fetched once per access key and day from the local service and cached until
 * they expire: 403 when the signature is missing or invalid, or the credentials are unknown, expired, another
 * identity pool's, or the guest role's (on tf-aws the unauthenticated role may invoke nothing).
 */
export async function checkSigV4(conn: CognitoConnection, req: GuardedRequest): Promise<GuardResponse | undefined> {
  const authorization = headerValue(req.headers, "authorization");
  if (!authorization || !authorization.startsWith("AWS4-HMAC-SHA256")) {
    return deny(403, "Missing Authentication Token");
  }
  const now = Date.now();
  let problem: CredentialProblem | undefined;
  let guestRole: string | undefined;
  const lookup = async (accessKeyId: string, scope: SigningScope): Promise<ScopedSigningKey | undefined> => {
    const known = await knownSigningKey(conn.endpoint, accessKeyId, scope);
    if (!known) problem = "unknown";
    else if (known.expiresAtMs <= now) problem = "expired";
    else if (known.identityPoolId !== conn.identityPoolId) problem = "foreign";
    else {
      guestRole = known.guest ? known.roleArn : undefined;
      return { signingKey: known.signingKey, sessionTokenSha256: known.sessionTokenSha256 };
    }
    return undefined;
  };
  const options = { now: new Date(now), expectedService: "execute-api", expectedRegion: conn.region };
  for (const url of signedUrlCandidates(req)) {
    const verdict = await verifySigV4({ method: req.method, url, headers: req.headers ?? {}, body: req.body ?? "" }, lookup, options);
    if (problem) return deny(403, CREDENTIAL_MESSAGES[problem]);
    if (verdict.valid) {
      if (guestRole === undefined) return undefined;
      return deny(403, `User: ${assumedRoleOf(guestRole)} is not authorized to perform: execute-api:Invoke on resource: ${req.method} ${req.path}`);
    }
    if (verdict.reason !== "signature does not match") break;
  }
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
