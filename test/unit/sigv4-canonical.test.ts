// Differential test of lib/service/sigv4-canonical.ts: for many paths, queries and header values, our canonical
// request and string to sign must equal what the AWS SDK v3 signer (@smithy/signature-v4) builds from the same parts.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { HttpRequest } from "@smithy/types";
import { canonicalRequest, stringToSign } from "../../lib/service/sigv4-canonical";
import { NodeSha256 } from "../../lib/service/sigv4";

/** The SDK signer's canonical request and string to sign (its protected builders, reached through a subclass). */
class Reference extends SignatureV4 {
  constructor() {
    super({ region: "us-east-1", service: "execute-api", credentials: { accessKeyId: "AKID", secretAccessKey: "secret" }, sha256: NodeSha256 });
  }
  async build(request: HttpRequest, payloadHash: string, longDate: string, scope: string): Promise<[string, string]> {
    const lower: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.headers)) lower[k.toLowerCase()] = v;
    const self = this as unknown as {
      createCanonicalRequest(r: HttpRequest, h: Record<string, string>, p: string): string;
      createStringToSign(d: string, s: string, c: string, a: string): Promise<string>;
    };
    const { getCanonicalHeaders } = await import("@smithy/signature-v4");
    const headers = getCanonicalHeaders({ headers: lower } as HttpRequest, undefined, new Set(Object.keys(lower)));
    const canonical = self.createCanonicalRequest(request, headers, payloadHash);
    return [canonical, await self.createStringToSign(longDate, scope, canonical, "AWS4-HMAC-SHA256")];
  }
}

const PATHS = ["/", "", "/items", "/items/", "/a/./b/../c", "//double//slash/", "/a%20b/%C3%BC", "/sp ace", "/!'()*", "/a+b", "/%2F", "/../x", "/~tilde/-_."];
const QUERIES: Record<string, string | string[]>[] = [
  {},
  { a: "1" },
  { b: "2", a: "1", A: "0" },
  { "x y": "a b", "k!": "v*" },
  { list: ["b", "a", "c"] },
  { empty: "" },
  { "X-Amz-Signature": "ignored", z: "é" },
  { "a[]": ["2", "1"], "a": "x" },
  { none: [] },
];
const HEADERS: Record<string, string>[] = [
  { host: "127.0.0.1:1234" },
  { host: "h", "x-amz-date": "20240101T000000Z", "content-type": "application/json" },
  { host: "h", "x-custom": "  many   spaces\tand\ttabs  " },
  { host: "h", "x-lines": "one\r\ntwo" },
];

test("our canonical request and string to sign equal the AWS SDK signer's", async () => {
  const reference = new Reference();
  const scope = "20240101/us-east-1/execute-api/aws4_request";
  let compared = 0;
  for (const path of PATHS) {
    for (const query of QUERIES) {
      for (const headers of HEADERS) {
        for (const method of ["GET", "POST"]) {
          const payloadHash = method === "GET" ? createHash("sha256").update("").digest("hex") : "UNSIGNED-PAYLOAD";
          const request = { method, protocol: "https:", hostname: "h", path, query, headers } as HttpRequest;
          const [expectedCanonical, expectedToSign] = await reference.build(request, payloadHash, "20240101T000000Z", scope);
          const ours = canonicalRequest({ method, path, query, headers, payloadHash });
          assert.equal(ours, expectedCanonical, `canonical request of ${method} ${path} ${JSON.stringify(query)} ${JSON.stringify(headers)}`);
          assert.equal(stringToSign("20240101T000000Z", scope, ours), expectedToSign);
          compared++;
        }
      }
    }
  }
  assert.equal(compared, PATHS.length * QUERIES.length * HEADERS.length * 2);
});
