// SigV4's canonical request and string to sign (AWS's "Create a canonical request" and "Create a string to sign"),
// on node:crypto alone. ./sigv4.ts verifies signatures with it. It depends on no SDK package, so the simulator's
// route guard, which verifies SigV4 for AWS_IAM routes, bundles only this (the SDK's signer pulls in @smithy/core).
// It canonicalises as the AWS SDK v3 signer does for every service but S3: paths normalised ("." and ".." segments,
// empty segments dropped) and escaped again, query parameters sorted by their escaped names, header values with runs
// of spaces and tabs folded to one space.
import { createHash } from "node:crypto";

/** The algorithm of an `Authorization: AWS4-HMAC-SHA256 ...` header or `X-Amz-Algorithm` parameter. */
export const ALGORITHM_IDENTIFIER = "AWS4-HMAC-SHA256";
/** The `x-amz-content-sha256` value of a request whose body the signature does not cover. */
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

/** Decoded query parameters, a repeated name holding its values in order. */
export type CanonicalQuery = Record<string, string | string[]>;

/** What goes into the canonical request. */
export interface CanonicalRequestParts {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The path as received (still percent-encoded). */
  readonly path: string;
  /** The decoded query; `X-Amz-Signature` (any case) is left out of the canonical form. */
  readonly query: CanonicalQuery;
  /** The signed headers, lower-case names to values. */
  readonly headers: Readonly<Record<string, string>>;
  /** The payload hash the signer used (hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`). */
  readonly payloadHash: string;
}

/** RFC 3986 escaping, as SigV4 wants it: `encodeURIComponent` plus `!'()*`. */
export function escapeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonical URI: segments normalised, then escaped once more (a received "%20" becomes "%2520"). */
export function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const lead = path.startsWith("/") ? "/" : "";
  const trail = segments.length > 0 && path.endsWith("/") ? "/" : "";
  return escapeRfc3986(`${lead}${segments.join("/")}${trail}`).replace(/%2F/g, "/");
}

/** The canonical query string: `name=value` pairs escaped, sorted by name (a repeated name's pairs sorted too). */
export function canonicalQueryString(query: CanonicalQuery): string {
  const pairs = new Map<string, string>();
  for (const [name, value] of Object.entries(query)) {
    if (name.toLowerCase() === "x-amz-signature") continue;
    const escaped = escapeRfc3986(name);
    const values = typeof value === "string" ? [value] : value;
    pairs.set(escaped, values.map((v) => `${escaped}=${escapeRfc3986(v)}`).sort().join("&"));
  }
  return [...pairs.keys()]
    .sort()
    .map((name) => pairs.get(name)!)
    .filter((joined) => joined !== "")
    .join("&");
}

/** A header value as it is signed: line breaks to spaces, runs of spaces and tabs to one, no space at either end. */
export function canonicalHeaderValue(value: string): string {
  return value.replace(/[\r\n]/g, " ").replace(/[ \t]+/g, " ").replace(/^ | $/g, "");
}

/** The canonical request, as the signer hashes it. */
export function canonicalRequest(parts: CanonicalRequestParts): string {
  const names = Object.keys(parts.headers).sort();
  return [
    parts.method,
    canonicalPath(parts.path),
    canonicalQueryString(parts.query),
    ...names.map((name) => `${name}:${canonicalHeaderValue(parts.headers[name]!)}`),
    "",
    names.join(";"),
    parts.payloadHash,
  ].join("\n");
}

/** The string to sign for `canonical` at `longDate` ("YYYYMMDDTHHMMSSZ") in `scope` ("date/region/service/aws4_request"). */
export function stringToSign(longDate: string, scope: string, canonical: string): string {
  return [ALGORITHM_IDENTIFIER, longDate, scope, createHash("sha256").update(canonical, "utf8").digest("hex")].join("\n");
}
