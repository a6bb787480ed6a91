// The simulator's route guard: decides, with API Gateway's semantics, whether a request to a protected
// route reaches its handler. COGNITO_USER_POOLS checks the ID token (401 on failure); AWS_IAM asks the
// local service to verify the request's SigV4 signature (403 on failure). `undefined` means "let it through".
import * as http from "node:http";
import {
  headerValue,
  tokenFromHeader,
  verifyIdToken,
  type CognitoConnection,
} from "./id-token";

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

/** The path and query string the client signed, rebuilt from the request the handler sees. */
export function signedUrlOf(req: GuardedRequest): string {
  const query = Object.entries(req.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
  return query === "" ? req.path : `${req.path}?${query}`;
}

/** Connections to the local service stay open between requests: the guard asks it once per request. */
const keepAlive = new http.Agent({ keepAlive: true });

function postJson(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: "POST", agent: keepAlive, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

interface SigV4Verdict {
  valid: boolean;
  identityPoolId?: string;
  reason?: string;
}

/**
 * Checks the request's SigV4 signature with the local service, which knows the credentials its identity
 * pools issued: 403 when it is missing, invalid, or made with another identity pool's credentials.
 */
export async function checkSigV4(conn: CognitoConnection, req: GuardedRequest): Promise<GuardResponse | undefined> {
  const authorization = headerValue(req.headers, "authorization");
  if (!authorization || !authorization.startsWith("AWS4-HMAC-SHA256")) {
    return deny(403, "Missing Authentication Token");
  }
  const body = JSON.stringify({ method: req.method, url: signedUrlOf(req), headers: req.headers ?? {}, body: req.body ?? "" });
  const res = await postJson(`${conn.endpoint.replace(/\/+$/, "")}/_local/sigv4/verify`, body);
  if (res.status !== 200) return deny(403, "Forbidden");
  const verdict = JSON.parse(res.body) as SigV4Verdict;
  if (!verdict.valid) return deny(403, "The request signature we calculated does not match the signature you provided.");
  if (verdict.identityPoolId !== conn.identityPoolId) return deny(403, "The security token included in the request is invalid.");
  return undefined;
}

/** The guard of a route: `iamAuth` picks AWS_IAM over COGNITO_USER_POOLS. */
export async function authorize(
  conn: CognitoConnection,
  iamAuth: boolean,
  req: GuardedRequest,
): Promise<GuardResponse | undefined> {
  return iamAuth ? checkSigV4(conn, req) : checkUserPoolToken(conn, req);
}
