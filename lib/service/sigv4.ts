// Verification of AWS Signature Version 4 on an incoming HTTP request (Authorization header or presigned
// query string). The canonical request is rebuilt as the AWS SDK's signer builds it (./sigv4-canonical.ts), signed
// with the caller's secret (or the scope's signing key) for the same scope and date, and compared in constant time. Used for the local
// identity pool's temporary credentials (the simulator's AWS_IAM route guard) and for signed service calls.

import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Checksum, SourceData } from "@smithy/types";
import { ALGORITHM_IDENTIFIER, UNSIGNED_PAYLOAD, canonicalRequest, stringToSign } from "./sigv4-canonical";

/** An HTTP request as the server received it. */
export interface IncomingSignedRequest {
  /** HTTP method, e.g. "GET". */
  method: string;
  /** Path and query exactly as received (still percent-encoded), e.g. "/items/a%20b?x=1". */
  url: string;
  /**
   * Headers as received, any case. Pass Node's `req.headersDistinct` (or `req.headers`, which is the same
   * except that Node joins some repeated headers with ", " where SigV4 joins them with ","). Must include `host`.
   */
  headers: Record<string, string | string[] | undefined>;
  /** The raw body ("" when there is none). */
  body: string | Uint8Array;
}

/** What the verifier needs to know about an access key. */
export interface SigningCredentials {
  secretAccessKey: string;
  /** When set (temporary credentials), the request must carry exactly this X-Amz-Security-Token. */
  sessionToken?: string;
}

/**
 * What a verifier may hold instead of the secret: the SigV4 signing key of one scope (day, region, service), which
 * verifies (and could make) signatures of that scope only, and the SHA-256 (hex) of the session token.
 */
export interface ScopedSigningKey {
  signingKey: Uint8Array;
  sessionTokenSha256?: string;
}

/** The credential scope of a signature: "YYYYMMDD", region and service. */
export interface SigningScope {
  date: string;
  region: string;
  service: string;
}

/** Finds the secret (or the scope's signing key) of an access key id; undefined when the key is unknown. */
export type CredentialLookup = (
  accessKeyId: string,
  scope: SigningScope,
) => SigningCredentials | ScopedSigningKey | undefined | Promise<SigningCredentials | ScopedSigningKey | undefined>;

/** The SigV4 signing key of `secretAccessKey` for one scope (HMAC chain of RFC-style derivation, as the SDK does). */
export function scopedSigningKey(secretAccessKey: string, scope: SigningScope): Buffer {
  let key: Buffer = createHmac("sha256", `AWS4${secretAccessKey}`).update(scope.date, "utf8").digest();
  for (const part of [scope.region, scope.service, "aws4_request"]) key = createHmac("sha256", key).update(part, "utf8").digest();
  return key;
}

export interface SigV4VerifyOptions {
  /** The current time (default: now). */
  now?: Date;
  /** Largest accepted difference between X-Amz-Date and now (default 5 minutes, as AWS). */
  maxClockSkewMs?: number;
  /** When set, the credential scope must name this service (e.g. "execute-api"). */
  expectedService?: string;
  /** When set, the credential scope must name this region. */
  expectedRegion?: string;
  /** Accept `x-amz-content-sha256: UNSIGNED-PAYLOAD` (the body is then not covered). Default false. */
  allowUnsignedPayload?: boolean;
}

export type SigV4Verification =
  | {
      valid: true;
      accessKeyId: string;
      region: string;
      service: string;
      /** Lower-case names of the headers the signature covers. */
      signedHeaders: string[];
      /** True for query-string (presigned URL) authentication. */
      presigned: boolean;
    }
  | { valid: false; reason: string };

/** SHA-256 / HMAC-SHA256 on node:crypto with the Checksum interface @smithy/signature-v4 expects. */
export class NodeSha256 implements Checksum {
  private readonly secret: Buffer | undefined;
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;

  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : toBuffer(secret);
    this.hash = this.fresh();
  }

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh() {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", this.secret);
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

const LONG_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SIGNATURE_HEX = /^[0-9a-f]{64}$/;
const PAYLOAD_HASH_HEX = /^[0-9a-f]{64}$/;
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
/** Presigned URLs may live at most 7 days. */
const MAX_PRESIGNED_SECONDS = 7 * 24 * 60 * 60;

function parseLongDate(value: string): Date | undefined {
  const m = LONG_DATE.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getUTCHours() === h
    ? date
    : undefined;
}

/** Lower-cased header names; repeated headers joined with "," (each value trimmed), as SigV4 specifies. */
function normalizeHeaders(headers: IncomingSignedRequest["headers"]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const joined = Array.isArray(value) ? value.map((v) => v.trim()).join(",") : value;
    out.set(key, out.has(key) ? `${out.get(key)},${joined.trim()}` : joined);
  }
  return out;
}

type QueryBag = Record<string, string | string[]>;

/** Splits "path?query" and decodes the query into the shape the signer canonicalises (no "+" to space). */
function splitUrl(url: string): { path: string; query: QueryBag } | undefined {
  let raw = url;
  if (/^https?:\/\//i.test(raw)) {
    const parsed = new URL(raw);
    raw = `${parsed.pathname}${parsed.search}`;
  }
  const hash = raw.indexOf("#");
  if (hash >= 0) raw = raw.substring(0, hash);
  const q = raw.indexOf("?");
  const path = q >= 0 ? raw.substring(0, q) : raw;
  const query: QueryBag = Object.create(null) as QueryBag;
  if (q >= 0) {
    for (const part of raw.substring(q + 1).split("&")) {
      if (part === "") continue;
      const eq = part.indexOf("=");
      let key: string;
      let value: string;
      try {
        key = decodeURIComponent(eq >= 0 ? part.substring(0, eq) : part);
        value = eq >= 0 ? decodeURIComponent(part.substring(eq + 1)) : "";
      } catch {
        return undefined;
      }
      const existing = Object.hasOwn(query, key) ? query[key] : undefined;
      query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
  }
  return { path: path === "" ? "/" : path, query };
}

function singleQueryValue(query: QueryBag, name: string): string | undefined {
  const value = query[name];
  return typeof value === "string" ? value : undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = createHash("sha256").update(a, "utf8").digest();
  const y = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(x, y);
}

interface ParsedAuth {
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  longDate: string;
  presigned: boolean;
  expiresSeconds?: number;
  securityToken?: string;
}

function fail(reason: string): { valid: false; reason: string } {
  return { valid: false, reason };
}

/** Parses "AKID/20240101/us-east-1/execute-api/aws4_request". */
function parseCredential(value: string): Pick<ParsedAuth, "accessKeyId" | "shortDate" | "region" | "service"> | string {
  const parts = value.split("/");
  if (parts.length !== 5 || parts.some((p) => p === "")) return "malformed Credential";
  const [accessKeyId, shortDate, region, service, terminator] = parts as [string, string, string, string, string];
  if (terminator !== "aws4_request") return "credential scope must end with aws4_request";
  if (!/^\d{8}$/.test(shortDate)) return "malformed credential scope date";
  return { accessKeyId, shortDate, region, service };
}

function parseSignedHeaders(value: string): string[] | string {
  const names = value.split(";");
  if (names.some((n) => !HEADER_NAME.test(n))) return "malformed SignedHeaders";
  for (let i = 1; i < names.length; i++) {
    if (names[i - 1]! >= names[i]!) return "SignedHeaders must be sorted and unique";
  }
  return names;
}

function parseAuthorizationHeader(header: string, headers: Map<string, string>): ParsedAuth | string {
  const space = header.indexOf(" ");
  const algorithm = space >= 0 ? header.substring(0, space) : header;
  if (algorithm !== ALGORITHM_IDENTIFIER) return `unsupported authorization scheme ${JSON.stringify(algorithm.slice(0, 40))}`;
  const fields = new Map<string, string>();
  for (const part of header.substring(space + 1).split(",")) {
    const item = part.trim();
    const eq = item.indexOf("=");
    if (eq <= 0) return "malformed Authorization header";
    const key = item.substring(0, eq);
    if (fields.has(key)) return `duplicate ${key} in Authorization header`;
    fields.set(key, item.substring(eq + 1));
  }
  const credential = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (credential === undefined || signedHeaders === undefined || signature === undefined || fields.size !== 3) {
    return "Authorization header must have exactly Credential, SignedHeaders and Signature";
  }
  const scope = parseCredential(credential);
  if (typeof scope === "string") return scope;
  const names = parseSignedHeaders(signedHeaders);
  if (typeof names === "string") return names;
  if (!SIGNATURE_HEX.test(signature)) return "malformed Signature";
  const longDate = headers.get("x-amz-date");
  if (longDate === undefined) return "missing X-Amz-Date header";
  return {
    ...scope,
    signedHeaders: names,
    signature,
    longDate,
    presigned: false,
    securityToken: headers.get("x-amz-security-token"),
  };
}

function parsePresignedQuery(query: QueryBag): ParsedAuth | string {
  const get = (name: string) => singleQueryValue(query, name);
  const algorithm = get("X-Amz-Algorithm");
  const credential = get("X-Amz-Credential");
  const longDate = get("X-Amz-Date");
  const expires = get("X-Amz-Expires");
  const signedHeaders = get("X-Amz-SignedHeaders");
  const signature = get("X-Amz-Signature");
  if (algorithm !== ALGORITHM_IDENTIFIER) return "presigned URL: X-Amz-Algorithm must be AWS4-HMAC-SHA256";
  if (credential === undefined || longDate === undefined || expires === undefined || signedHeaders === undefined || signature === undefined) {
    return "presigned URL: missing X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders or X-Amz-Signature";
  }
  const scope = parseCredential(credential);
  if (typeof scope === "string") return scope;
  const names = parseSignedHeaders(signedHeaders);
  if (typeof names === "string") return names;
  if (!SIGNATURE_HEX.test(signature)) return "malformed X-Amz-Signature";
  if (!/^\d{1,7}$/.test(expires) || Number(expires) < 1 || Number(expires) > MAX_PRESIGNED_SECONDS) {
    return "presigned URL: X-Amz-Expires must be 1..604800 seconds";
  }
  const token = query["X-Amz-Security-Token"];
  if (Array.isArray(token)) return "presigned URL: repeated X-Amz-Security-Token";
  return { ...scope, signedHeaders: names, signature, longDate, presigned: true, expiresSeconds: Number(expires), securityToken: token };
}

/** The payload hash the signer used: from x-amz-content-sha256 when present (checked against the body). */
function payloadHashFor(
  declared: string | undefined,
  body: string | Uint8Array,
  allowUnsignedPayload: boolean,
): { hash: string } | { error: string } {
  const actual = createHash("sha256").update(body).digest("hex");
  if (declared === undefined) return { hash: actual };
  if (declared === UNSIGNED_PAYLOAD) {
    return allowUnsignedPayload ? { hash: declared } : { error: "UNSIGNED-PAYLOAD is not accepted" };
  }
  if (!PAYLOAD_HASH_HEX.test(declared)) return { error: `unsupported x-amz-content-sha256 ${JSON.stringify(declared.slice(0, 40))}` };
  if (declared !== actual) return { error: "body does not match x-amz-content-sha256" };
  return { hash: declared };
}

/**
 * Verifies the SigV4 signature of a received request. Returns who signed it (access key, region, service)
 * or a human-readable reason. Checks, in order: the Authorization header or presigned query parameters
 * are well formed; the date is within the allowed skew (or the presigned URL has not expired); the scope's
 * date, region and service; the access key is known; the session token matches; the body matches a
 * declared payload hash; and the signature recomputed over the same canonical request matches.
 */
export async function verifySigV4(
  request: IncomingSignedRequest,
  lookupCredentials: CredentialLookup,
  options: SigV4VerifyOptions = {},
): Promise<SigV4Verification> {
  const now = options.now ?? new Date();
  const maxSkew = options.maxClockSkewMs ?? 5 * 60 * 1000;
  const headers = normalizeHeaders(request.headers);
  const url = splitUrl(request.url);
  if (!url) return fail("malformed query string");

  const authorization = headers.get("authorization");
  const presignedSignature = url.query["X-Amz-Signature"];
  if (authorization !== undefined && presignedSignature !== undefined) {
    return fail("both an Authorization header and X-Amz-Signature are present");
  }
  if (authorization === undefined && presignedSignature === undefined) return fail("missing Authorization header");
  const auth = authorization !== undefined ? parseAuthorizationHeader(authorization, headers) : parsePresignedQuery(url.query);
  if (typeof auth === "string") return fail(auth);

  const signedAt = parseLongDate(auth.longDate);
  if (!signedAt) return fail("malformed X-Amz-Date");
  if (auth.longDate.substring(0, 8) !== auth.shortDate) return fail("credential scope date does not match X-Amz-Date");
  const ageMs = now.getTime() - signedAt.getTime();
  if (auth.presigned) {
    if (ageMs < -maxSkew) return fail("presigned URL is dated in the future");
    if (ageMs > auth.expiresSeconds! * 1000) return fail("presigned URL has expired");
  } else if (Math.abs(ageMs) > maxSkew) {
    return fail("request time is too skewed (X-Amz-Date more than the allowed skew from now)");
  }
  if (options.expectedService !== undefined && auth.service !== options.expectedService) {
    return fail(`credential scope names service ${auth.service}, expected ${options.expectedService}`);
  }
  if (options.expectedRegion !== undefined && auth.region !== options.expectedRegion) {
    return fail(`credential scope names region ${auth.region}, expected ${options.expectedRegion}`);
  }
  if (!auth.signedHeaders.includes("host")) return fail("the host header must be signed");

  const found = await lookupCredentials(auth.accessKeyId, { date: auth.shortDate, region: auth.region, service: auth.service });
  if (!found) return fail("unknown access key");
  const derived = "signingKey" in found;
  const expectedToken = derived ? found.sessionTokenSha256 : found.sessionToken;
  if (expectedToken !== undefined) {
    if (auth.securityToken === undefined) return fail("missing X-Amz-Security-Token for temporary credentials");
    const given = derived ? createHash("sha256").update(auth.securityToken, "utf8").digest("hex") : auth.securityToken;
    if (!sameSecret(given, expectedToken)) return fail("X-Amz-Security-Token does not match the access key");
  } else if (auth.securityToken !== undefined) {
    return fail("X-Amz-Security-Token given for credentials that have none");
  }

  const signedHeaderValues: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = headers.get(name);
    if (value === undefined) return fail(`signed header ${name} is missing from the request`);
    signedHeaderValues[name] = value;
  }

  const declaredHash = auth.presigned
    ? singleQueryValue(url.query, Object.keys(url.query).find((k) => k.toLowerCase() === "x-amz-content-sha256") ?? "")
    : headers.get("x-amz-content-sha256");
  const payload = payloadHashFor(declaredHash, request.body, options.allowUnsignedPayload ?? false);
  if ("error" in payload) return fail(payload.error);

  const canonical = canonicalRequest({
    method: request.method.toUpperCase(),
    path: url.path,
    query: url.query,
    headers: signedHeaderValues,
    payloadHash: payload.hash,
  });
  const scope = `${auth.shortDate}/${auth.region}/${auth.service}/aws4_request`;
  const signingKey = derived
    ? found.signingKey
    : scopedSigningKey(found.secretAccessKey, { date: auth.shortDate, region: auth.region, service: auth.service });
  const expected = createHmac("sha256", signingKey).update(stringToSign(auth.longDate, scope, canonical), "utf8").digest("hex");
  if (!timingSafeEqual(Buffer.from(expected, "utf8"), Buffer.from(auth.signature, "utf8"))) {
    return fail("signature does not match");
  }
  return {
    valid: true,
    accessKeyId: auth.accessKeyId,
    region: auth.region,
    service: auth.service,
    signedHeaders: auth.signedHeaders,
    presigned: auth.presigned,
  };
}
