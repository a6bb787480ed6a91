// The HTTP face of the local Cognito service: Cognito's JSON 1.1 protocols on `POST /` (cognito-idp and cognito-identity,
// told apart by X-Amz-Target), the per-pool JWKS and OpenID discovery documents, CORS for browsers, and the local-only
// routes under /_local/. Client input never produces a 5xx: every failure is an AWS-shaped 4xx.
import * as http from "node:http";
import { randomUUID } from "node:crypto";
import { CognitoError, unknownOperation } from "./errors";
import { parseJsonInput, type Input } from "./input";
import type { OperationTable } from "./context";
import { requestBegun } from "./idle-work";
import { runAsRequestFrom } from "./request-source";

/** Bodies larger than this are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** The operations whose requests AWS takes up to 2 MB (a branding style carries its image files), and that size. */
const LARGE_BODY_OPERATIONS = new Set(["CreateManagedLoginBranding", "UpdateManagedLoginBranding"]);
export const MAX_LARGE_BODY_BYTES = 2 * 1024 * 1024;

/** Local-only routes: no CORS headers, so no web page can read them. */
const LOCAL_ONLY_PREFIX = "/_local/";
const IDP_PREFIX = "AWSCognitoIdentityProviderService.";
const IDENTITY_PREFIX = "AWSCognitoIdentityService.";

/** A GET or POST route outside the AWS protocols (well-known documents, local-only helpers). */
export type ExtraRoute = (request: { method: string; path: string; query: URLSearchParams; headers: http.IncomingHttpHeaders; body: string; remoteAddress?: string }) =>
  Promise<RouteAnswer | undefined> | RouteAnswer | undefined;

export interface RouteAnswer {
  status: number;
  body: unknown;
  contentType?: string;
  /** Sent as is instead of `body` as JSON (HTML pages, empty redirects). */
  text?: string;
  /** Extra response headers (Location, Set-Cookie, Cache-Control, ...). */
  headers?: Record<string, string | string[]>;
}

export interface ProtocolTables {
  /** cognito-idp operations by name. */
  identityProvider: OperationTable;
  /** cognito-identity operations by name. */
  identity: OperationTable;
  /** Operations that AWS serves without a SigV4 signature. Every other one needs one (any credentials are accepted). */
  unsigned: Set<string>;
  /** Routes tried, in order, for anything that is not a protocol request. */
  extraRoutes: ExtraRoute[];
  /** Runs each protocol operation, given the request's headers (e.g. to serve it in its signing region). */
  aroundOperation?: <T>(headers: http.IncomingHttpHeaders, run: () => Promise<T>) => Promise<T>;
  /**
   * Runs after every protocol operation and before the response, to make its writes durable. Leave it out when every
   * operation already waits for its own writes (and what it read) to be durable before it resolves or throws: with
   * group commit, a second wait here would wait for the next COMMIT and fdatasync, which other requests' writes keep
   * busy, and so add a whole commit cycle to every answer.
   */
  afterOperation?: () => Promise<void>;
  log: (line: string) => void;
}

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "*",
  "access-control-expose-headers": "x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date",
  "access-control-max-age": "86400",
};

export function createHttpServer(tables: ProtocolTables): http.Server {
  return http.createServer((req, res) => {
    const answered = requestBegun();
    handle(tables, req, res)
      .catch((e: unknown) => {
        tables.log(`[error] unhandled: ${(e as Error)?.stack ?? String(e)}`);
        if (!res.headersSent) send(res, 500, { __type: "InternalErrorException", message: "Internal error" }, "InternalErrorException");
      })
      .finally(answered);
  });
}

async function handle(tables: ProtocolTables, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const method = req.method ?? "GET";
  // Prefixing the origin keeps authority-form targets ("//[", "//:99999/") from throwing.
  const url = new URL(`http://local${(req.url ?? "/").startsWith("/") ? "" : "/"}${req.url ?? "/"}`);
  if (method === "OPTIONS") {
    res.writeHead(url.pathname.startsWith(LOCAL_ONLY_PREFIX) ? 204 : 200, url.pathname.startsWith(LOCAL_ONLY_PREFIX) ? {} : CORS_HEADERS).end();
    return;
  }
  const target = headerValue(req.headers["x-amz-target"]);
  const large = method === "POST" && target?.startsWith(IDP_PREFIX) === true && LARGE_BODY_OPERATIONS.has(target.slice(IDP_PREFIX.length));
  let body: string;
  try {
    body = await readBody(req, large ? MAX_LARGE_BODY_BYTES : MAX_BODY_BYTES);
  } catch (e) {
    if (e instanceof CognitoError) return sendError(res, e);
    throw e;
  }
  if (method === "POST" && target) return dispatch(tables, target, req, body, res);
  for (const route of tables.extraRoutes) {
    const answer = await route({ method, path: url.pathname, query: url.searchParams, headers: req.headers, body, remoteAddress: req.socket.remoteAddress });
    if (answer?.text !== undefined || answer?.headers) return sendRaw(res, answer);
    if (answer) return send(res, answer.status, answer.body, undefined, answer.contentType, !url.pathname.startsWith(LOCAL_ONLY_PREFIX));
  }
  if (method === "POST" && url.pathname === "/") return sendError(res, unknownOperation("Missing X-Amz-Target header"));
  send(res, 404, { message: "Not Found" });
}

async function dispatch(tables: ProtocolTables, target: string, req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
  let table: OperationTable | undefined;
  let name = "";
  if (target.startsWith(IDP_PREFIX)) {
    table = tables.identityProvider;
    name = target.slice(IDP_PREFIX.length);
  } else if (target.startsWith(IDENTITY_PREFIX)) {
    table = tables.identity;
    name = target.slice(IDENTITY_PREFIX.length);
  }
  const operation = table && Object.hasOwn(table, name) ? table[name] : undefined;
  if (!operation) return sendError(res, unknownOperation(`Unknown operation ${target}`));
  try {
    if (!tables.unsigned.has(name) && !/^AWS4-HMAC-SHA256 /.test(headerValue(req.headers.authorization) ?? "")) {
      throw new CognitoError("MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    const origin = headerValue(req.headers.origin);
    if (!tables.unsigned.has(name) && origin !== undefined && !isLoopbackOrigin(origin)) {
      // Any credentials sign an admin call locally, so a web page elsewhere must not be able to make one.
      throw new CognitoError("AccessDeniedException", `Admin operations are not served to web pages from ${origin}`, 403);
    }
    const input = parseInput(body);
    const run = () => runAsRequestFrom(req.socket.remoteAddress, () => operation(input));
    const output = tables.aroundOperation ? await tables.aroundOperation(req.headers, async () => run()) : await run();
    await tables.afterOperation?.();
    send(res, 200, output);
  } catch (e) {
    if (e instanceof CognitoError) {
      await tables.afterOperation?.(); // failed attempts, burnt codes and lockouts are writes too
      return sendError(res, e);
    }
    tables.log(`[error] ${name}: ${(e as Error)?.stack ?? String(e)}`);
    send(res, 500, { __type: "InternalErrorException", message: "Internal error" }, "InternalErrorException");
  }
}

function parseInput(body: string): Input {
  return parseJsonInput(body);
}

function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      if (!tooLarge) chunks.push(chunk);
    });
    req.on("end", () => (tooLarge ? reject(new CognitoError("RequestEntityTooLargeException", `Request body is larger than ${maxBytes} bytes`, 413)) : resolve(Buffer.concat(chunks).toString("utf8"))));
    req.on("error", reject);
  });
}

/** True when a browser Origin names this machine: localhost, [::1] or an IPv4 loopback address (parsed, not prefixed). */
function isLoopbackOrigin(origin: string): boolean {
  try {
    const host = new URL(origin).hostname.toLowerCase();
    return host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || /^127(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(host);
  } catch {
    return false;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function sendError(res: http.ServerResponse, e: CognitoError): void {
  send(res, e.status, { __type: e.type, message: e.message }, e.type);
}

function send(res: http.ServerResponse, status: number, body: unknown, errorType?: string, contentType = "application/x-amz-json-1.1", cors = true): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    ...(cors ? CORS_HEADERS : {}),
    "content-type": contentType,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
  };
  if (errorType) headers["x-amzn-errortype"] = errorType;
  res.writeHead(status, headers).end(text);
}

/** A route's answer with its own headers and, when given, a raw text body (the OAuth endpoints' pages and redirects). */
function sendRaw(res: http.ServerResponse, answer: RouteAnswer): void {
  const text = answer.text ?? JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...(answer.contentType ? { "content-type": answer.contentType } : {}),
    ...answer.headers,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
  }).end(text);
}
