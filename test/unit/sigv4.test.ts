// Tests of SigV4 request verification: requests signed by @smithy/signature-v4 (with the SDK's pure-JS
// SHA-256) and by real AWS SDK v3 clients are sent over loopback HTTP, captured as the server sees them and
// verified; then every kind of tampering is replayed against the verifier and must be refused with a reason.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256Js } from "@smithy/core/checksum";
import { buildQueryString } from "@smithy/core/protocols";
import { CognitoIdentityProviderClient, ListUserPoolsCommand } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoIdentityClient, ListIdentityPoolsCommand } from "@aws-sdk/client-cognito-identity";
import { createHash } from "node:crypto";
import {
  scopedSigningKey,
  verifySigV4,
  type CredentialLookup,
  type IncomingSignedRequest,
  type SigV4VerifyOptions,
  type SigningCredentials,
} from "../../lib/service/sigv4";

const LONG_TERM = { accessKeyId: "AKIALOCALTEST0000001", secretAccessKey: "long-term-secret/abc+123" };
const TEMPORARY = {
  accessKeyId: "ASIALOCALTEST0000002",
  secretAccessKey: "temporary-secret-xyz",
  sessionToken: "IQoJb3JpZ2luX2VjEJ//////////session-token==",
};
const KEYS: Record<string, SigningCredentials> = {
  [LONG_TERM.accessKeyId]: { secretAccessKey: LONG_TERM.secretAccessKey },
  [TEMPORARY.accessKeyId]: { secretAccessKey: TEMPORARY.secretAccessKey, sessionToken: TEMPORARY.sessionToken },
};
const lookup = (id: string) => KEYS[id];

/** A loopback server that records each request as received and answers with a fixed JSON body. */
async function startCapture(t: { after(fn: () => Promise<void>): void }, replyBody = "{}") {
  const received: IncomingSignedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
      res.end(replyBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, received };
}

/** Sends a signed smithy request over the wire exactly as signed. */
function send(port: number, signed: { method: string; path: string; query?: Record<string, any>; headers: Record<string, string>; body?: any }) {
  const qs = buildQueryString(signed.query ?? {});
  return new Promise<void>((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, method: signed.method, path: `${signed.path}${qs ? `?${qs}` : ""}`, headers: signed.headers },
      (res) => {
        res.resume();
        res.on("end", resolve);
      },
    );
    req.on("error", reject);
    req.end(signed.body ?? undefined);
  });
}

function signer(credentials: typeof LONG_TERM | typeof TEMPORARY, service = "execute-api", region = "us-east-1") {
  return new SignatureV4({ credentials, region, service, sha256: Sha256Js });
}

async function expectInvalid(request: IncomingSignedRequest, reason: RegExp, options: SigV4VerifyOptions = {}, lookupFn: CredentialLookup = lookup) {
  const result = await verifySigV4(request, lookupFn, options);
  assert.equal(result.valid, false, `expected rejection (${reason}) of ${request.method} ${request.url}`);
  if (!result.valid) assert.match(result.reason, reason);
}

/** A copy of a captured request with some fields replaced; a patch that changes nothing is a test bug. */
const clone = (r: IncomingSignedRequest, patch: Partial<IncomingSignedRequest> = {}): IncomingSignedRequest => {
  for (const [key, value] of Object.entries(patch)) {
    assert.notDeepEqual(value, r[key as keyof IncomingSignedRequest], `patch of ${key} must change it`);
  }
  return { ...r, headers: { ...r.headers }, ...patch };
};

test("GET with a query string signed by SignatureV4 verifies as received over HTTP", async (t) => {
  const { port, received } = await startCapture(t);
  const signed = await signer(LONG_TERM).sign({
    method: "GET",
    protocol: "http:",
    hostname: "127.0.0.1",
    port,
    path: "/prod/items/a%20b/%C3%BC",
    query: { q: "hello world & more", tag: ["y", "x"], empty: "", "sp ace": "~*'()!" },
    headers: { host: `127.0.0.1:${port}`, accept: "application/json", "x-custom": "  two   spaces  " },
  });
  await send(port, signed);
  const req = received[0]!;
  const result = await verifySigV4(req, lookup);
  assert.deepEqual(result, {
    valid: true,
    accessKeyId: LONG_TERM.accessKeyId,
    region: "us-east-1",
    service: "execute-api",
    signedHeaders: ["accept", "host", "x-amz-content-sha256", "x-amz-date", "x-custom"],
    presigned: false,
  });
  assert.equal((await verifySigV4(req, lookup, { expectedService: "execute-api", expectedRegion: "us-east-1" })).valid, true);

  // Tampering with the path, the query or a signed header is refused.
  await expectInvalid(clone(req, { url: req.url.replace("/items/", "/ITEMS/") }), /signature does not match/);
  await expectInvalid(clone(req, { url: req.url.replace("hello", "jello") }), /signature does not match/);
  await expectInvalid(clone(req, { url: `${req.url}&extra=1` }), /signature does not match/);
  await expectInvalid(clone(req, { url: req.url.replace(/&?empty=/, "") }), /signature does not match/);
  await expectInvalid(clone(req, { url: req.url.replace("&tag=x", "") }), /signature does not match/);
  await expectInvalid(clone(req, { url: `${req.url}&bad=%E0%A4%A` }), /malformed query string/);
  await expectInvalid(clone(req, { method: "DELETE" }), /signature does not match/);
  await expectInvalid({ ...clone(req), headers: { ...req.headers, accept: "text/html" } }, /signature does not match/);
  await expectInvalid({ ...clone(req), headers: { ...req.headers, host: "evil.example:443" } }, /signature does not match/);
  const withoutCustom = clone(req);
  delete withoutCustom.headers["x-custom"];
  await expectInvalid(withoutCustom, /signed header x-custom is missing/);
  // Unsigned extra headers do not matter.
  assert.equal((await verifySigV4({ ...clone(req), headers: { ...req.headers, "user-agent": "other", "x-forwarded-for": "1.2.3.4" } }, lookup)).valid, true);
  // A body on a request signed without one is refused.
  await expectInvalid(clone(req, { body: "smuggled" }), /body does not match/);
  await expectInvalid(req, /names service execute-api, expected s3/, { expectedService: "s3" });
  await expectInvalid(req, /names region us-east-1, expected eu-west-1/, { expectedRegion: "eu-west-1" });
});

test("POST with a JSON body and temporary credentials verifies; body, token and key tampering are refused", async (t) => {
  const { port, received } = await startCapture(t);
  const body = JSON.stringify({ message: "héllo", n: 42 });
  const signed = await signer(TEMPORARY).sign({
    method: "POST",
    protocol: "http:",
    hostname: "127.0.0.1",
    port,
    path: "/prod/orders",
    query: {},
    headers: {
      host: `127.0.0.1:${port}`,
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
    },
    body,
  });
  assert.equal(signed.headers["x-amz-security-token"], TEMPORARY.sessionToken);
  await send(port, signed);
  const req = received[0]!;
  const ok = await verifySigV4(req, lookup);
  assert.equal(ok.valid, true);
  assert.equal(ok.valid && ok.accessKeyId, TEMPORARY.accessKeyId);

  await expectInvalid(clone(req, { body: body.replace("42", "43") }), /body does not match x-amz-content-sha256/);
  const noSha = clone(req);
  delete noSha.headers["x-amz-content-sha256"];
  await expectInvalid(noSha, /signed header x-amz-content-sha256 is missing/);
  await expectInvalid({ ...clone(req), headers: { ...req.headers, "content-type": "text/plain" } }, /signature does not match/);
  await expectInvalid({ ...clone(req), headers: { ...req.headers, "x-amz-security-token": "other-token" } }, /Security-Token does not match/);
  const noToken = clone(req);
  delete noToken.headers["x-amz-security-token"];
  await expectInvalid(noToken, /missing X-Amz-Security-Token/);
  await expectInvalid(req, /unknown access key/, {}, () => undefined);
  await expectInvalid(req, /signature does not match/, {}, () => ({ secretAccessKey: "wrong", sessionToken: TEMPORARY.sessionToken }));
  await expectInvalid(req, /given for credentials that have none/, {}, () => ({ secretAccessKey: TEMPORARY.secretAccessKey }));
  // Async lookups work too.
  assert.equal((await verifySigV4(req, async (id) => KEYS[id])).valid, true);
});

test("X-Amz-Date must be within the allowed clock skew and match the scope", async (t) => {
  const { port, received } = await startCapture(t);
  const signingDate = new Date();
  const signed = await signer(LONG_TERM).sign(
    { method: "GET", protocol: "http:", hostname: "127.0.0.1", port, path: "/", query: {}, headers: { host: `127.0.0.1:${port}` } },
    { signingDate },
  );
  await send(port, signed);
  const req = received[0]!;
  const at = (ms: number) => ({ now: new Date(signingDate.getTime() + ms) });
  assert.equal((await verifySigV4(req, lookup, at(4 * 60_000))).valid, true);
  assert.equal((await verifySigV4(req, lookup, at(-4 * 60_000))).valid, true);
  await expectInvalid(req, /too skewed/, at(6 * 60_000));
  await expectInvalid(req, /too skewed/, at(-6 * 60_000));
  await expectInvalid(req, /too skewed/, { ...at(90_000), maxClockSkewMs: 60_000 });
  const amzDate = String(req.headers["x-amz-date"]);
  const shifted = `${amzDate.slice(0, 9)}${amzDate[9] === "0" ? "1" : "0"}${amzDate.slice(10)}`;
  await expectInvalid({ ...clone(req), headers: { ...req.headers, "x-amz-date": shifted } }, /signature does not match|too skewed/, {
    now: signingDate,
    maxClockSkewMs: 24 * 3600_000,
  });
  await expectInvalid({ ...clone(req), headers: { ...req.headers, "x-amz-date": "2024-01-01T00:00:00Z" } }, /malformed X-Amz-Date/);
  await expectInvalid({ ...clone(req), headers: { ...req.headers, "x-amz-date": "20240101T000000Z" } }, /scope date does not match/);
  const noDate = clone(req);
  delete noDate.headers["x-amz-date"];
  await expectInvalid(noDate, /missing X-Amz-Date/);
});

test("missing or garbled Authorization headers are refused with a reason", async (t) => {
  const { port, received } = await startCapture(t);
  const signed = await signer(LONG_TERM).sign({
    method: "GET", protocol: "http:", hostname: "127.0.0.1", port, path: "/x", query: {}, headers: { host: `127.0.0.1:${port}` },
  });
  await send(port, signed);
  const req = received[0]!;
  const auth = String(req.headers.authorization);
  const withAuth = (value: string) => ({ ...clone(req), headers: { ...req.headers, authorization: value } });
  const noAuth = clone(req);
  delete noAuth.headers.authorization;
  await expectInvalid(noAuth, /missing Authorization header/);
  await expectInvalid(withAuth("Bearer abc.def.ghi"), /unsupported authorization scheme/);
  await expectInvalid(withAuth(auth.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256")), /unsupported authorization scheme/);
  await expectInvalid(withAuth("AWS4-HMAC-SHA256"), /malformed Authorization header/);
  await expectInvalid(withAuth("AWS4-HMAC-SHA256 garbage"), /malformed Authorization header/);
  await expectInvalid(withAuth(auth.replace(/, Signature=[0-9a-f]+/, "")), /exactly Credential, SignedHeaders and Signature/);
  await expectInvalid(withAuth(`${auth}, Extra=1`), /exactly Credential, SignedHeaders and Signature/);
  await expectInvalid(withAuth(auth.replace("Signature=", "Signature=ZZ")), /malformed Signature/);
  await expectInvalid(withAuth(auth.replace(/Signature=([0-9a-f])/, (_m, c: string) => `Signature=${c === "0" ? "1" : "0"}`)), /signature does not match/);
  await expectInvalid(withAuth(auth.replace("/aws4_request", "/aws5_request")), /must end with aws4_request/);
  await expectInvalid(withAuth(auth.replace(/Credential=[^/]+\//, "Credential=")), /malformed Credential/);
  await expectInvalid(withAuth(auth.replace(/Credential=[^/]+\//, "Credential=AKIAUNKNOWN/")), /unknown access key/);
  await expectInvalid(withAuth(auth.replace("SignedHeaders=", "SignedHeaders=zzz;")), /sorted and unique/);
  await expectInvalid(withAuth(auth.replace("SignedHeaders=", "SignedHeaders=Bad Name;")), /malformed SignedHeaders/);
  await expectInvalid(withAuth(auth.replace(/SignedHeaders=host;/, "SignedHeaders=")), /host header must be signed/);
  await expectInvalid(withAuth(auth.replace("/us-east-1/", "/eu-west-1/")), /signature does not match/);
  await expectInvalid(withAuth(auth.replace("/execute-api/", "/lambda/")), /signature does not match/);
  await expectInvalid(clone(req, { url: "/x?X-Amz-Signature=00" }), /both an Authorization header and X-Amz-Signature/);
});

test("UNSIGNED-PAYLOAD is refused unless allowed", async (t) => {
  const { port, received } = await startCapture(t);
  const signed = await signer(LONG_TERM).sign({
    method: "PUT", protocol: "http:", hostname: "127.0.0.1", port, path: "/blob", query: {},
    headers: { host: `127.0.0.1:${port}`, "x-amz-content-sha256": "UNSIGNED-PAYLOAD", "content-length": "5" },
    body: "hello",
  });
  await send(port, signed);
  const req = received[0]!;
  await expectInvalid(req, /UNSIGNED-PAYLOAD is not accepted/);
  assert.equal((await verifySigV4(req, lookup, { allowUnsignedPayload: true })).valid, true);
  await expectInvalid({ ...clone(req), headers: { ...req.headers, "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" } }, /unsupported x-amz-content-sha256/);
});

test("presigned URLs (query-string authentication) verify until they expire", async (t) => {
  const { port, received } = await startCapture(t);
  const signingDate = new Date();
  for (const credentials of [LONG_TERM, TEMPORARY]) {
    const presigned = await signer(credentials).presign(
      { method: "GET", protocol: "http:", hostname: "127.0.0.1", port, path: "/prod/report", query: { year: "2024" }, headers: { host: `127.0.0.1:${port}` } },
      { expiresIn: 300, signingDate },
    );
    assert.ok(presigned.query?.["X-Amz-Signature"]);
    await send(port, presigned);
  }
  for (const req of received) {
    assert.equal(req.headers.authorization, undefined);
    const result = await verifySigV4(req, lookup, { now: new Date(signingDate.getTime() + 60_000) });
    assert.equal(result.valid, true, JSON.stringify(result));
    assert.equal(result.valid && result.presigned, true);
    await expectInvalid(req, /has expired/, { now: new Date(signingDate.getTime() + 301_000) });
    await expectInvalid(req, /dated in the future/, { now: new Date(signingDate.getTime() - 600_000) });
    await expectInvalid(clone(req, { url: req.url.replace("year=2024", "year=2025") }), /signature does not match/);
    await expectInvalid(clone(req, { url: req.url.replace("X-Amz-Expires=300", "X-Amz-Expires=3000") }), /signature does not match/);
    await expectInvalid(clone(req, { url: req.url.replace("X-Amz-Expires=300", "X-Amz-Expires=999999") }), /X-Amz-Expires must be/);
    await expectInvalid(clone(req, { url: req.url.replace("/report", "/other") }), /signature does not match/);
    await expectInvalid(clone(req, { url: req.url.replace(/X-Amz-Credential=[^&]+&?/, "") }), /presigned URL: missing/);
    await expectInvalid(clone(req, { url: req.url.replace("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=HMAC") }), /X-Amz-Algorithm must be/);
    await expectInvalid({ ...clone(req), headers: { ...req.headers, host: "elsewhere:1" } }, /signature does not match/);
  }
  const temporary = received[1]!;
  await expectInvalid(clone(temporary, { url: temporary.url.replace(/X-Amz-Security-Token=[^&]+&?/, "") }), /missing X-Amz-Security-Token/, {
    now: new Date(signingDate.getTime() + 1000),
  });
});

test("real AWS SDK v3 clients' signed calls verify (cognito-idp and cognito-identity)", async (t) => {
  const { port, received } = await startCapture(t, JSON.stringify({ UserPools: [], IdentityPools: [] }));
  const endpoint = `http://127.0.0.1:${port}`;
  const idp = new CognitoIdentityProviderClient({ region: "eu-central-1", endpoint, credentials: TEMPORARY, maxAttempts: 1 });
  const identity = new CognitoIdentityClient({ region: "eu-central-1", endpoint, credentials: LONG_TERM, maxAttempts: 1 });
  t.after(() => {
    idp.destroy();
    identity.destroy();
  });
  await idp.send(new ListUserPoolsCommand({ MaxResults: 10 }));
  await identity.send(new ListIdentityPoolsCommand({ MaxResults: 5 }));
  assert.equal(received.length, 2);

  const [idpReq, identityReq] = received as [IncomingSignedRequest, IncomingSignedRequest];
  const idpResult = await verifySigV4(idpReq, lookup);
  assert.equal(idpResult.valid, true, JSON.stringify(idpResult));
  assert.ok(idpResult.valid);
  assert.equal(idpResult.service, "cognito-idp");
  assert.equal(idpResult.region, "eu-central-1");
  assert.equal(idpResult.accessKeyId, TEMPORARY.accessKeyId);
  assert.ok(idpResult.signedHeaders.includes("x-amz-target"));
  const identityResult = await verifySigV4(identityReq, lookup, { expectedService: "cognito-identity" });
  assert.equal(identityResult.valid, true, JSON.stringify(identityResult));

  // The operation name and the body are covered.
  await expectInvalid(
    { ...clone(idpReq), headers: { ...idpReq.headers, "x-amz-target": "AWSCognitoIdentityProviderService.DeleteUserPool" } },
    /signature does not match/,
  );
  await expectInvalid(clone(idpReq, { body: JSON.stringify({ MaxResults: 60 }) }), /signature does not match|body does not match/);
});

test("timings per call (printed, not asserted)", async (t) => {
  const { port, received } = await startCapture(t);
  const signed = await signer(TEMPORARY).sign({
    method: "POST", protocol: "http:", hostname: "127.0.0.1", port, path: "/p", query: { a: "1" },
    headers: { host: `127.0.0.1:${port}`, "content-type": "application/json" }, body: '{"x":1}',
  });
  await send(port, signed);
  const req = received[0]!;
  const rounds = 500;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) assert.equal((await verifySigV4(req, lookup)).valid, true);
  console.log(`sigv4 verifySigV4: ${(Number(process.hrtime.bigint() - start) / 1e6 / rounds).toFixed(4)} ms/call`);
});

test("a scoped signing key (what the simulator's guard holds) verifies like the secret, raw repeated and bracket query keys included", async (t) => {
  const { port, received } = await startCapture(t);
  const signer = new SignatureV4({ service: "execute-api", region: "us-east-1", sha256: Sha256Js, credentials: TEMPORARY });
  const query = { a: ["2", "1"], "ids[]": ["7", "8"], "f[x]": "y" };
  const signed = await signer.sign({ method: "GET", protocol: "http:", hostname: "127.0.0.1", port, path: "/items", query, headers: { host: `127.0.0.1:${port}` } });
  await send(port, signed as never);
  const req = received[0]!;
  assert.match(req.url, /a=2&a=1|a=1&a=2/);
  const date = String(req.headers["x-amz-date"]).slice(0, 8);
  const scope = { date, region: "us-east-1", service: "execute-api" };
  const tokenHash = createHash("sha256").update(TEMPORARY.sessionToken).digest("hex");
  const derived: CredentialLookup = (id, s) => (id === TEMPORARY.accessKeyId && s.date === date ? { signingKey: scopedSigningKey(TEMPORARY.secretAccessKey, s), sessionTokenSha256: tokenHash } : undefined);
  assert.equal((await verifySigV4(req, derived)).valid, true);
  assert.equal((await verifySigV4(req, lookup)).valid, true, "the same request verifies with the secret");
  const wrongToken: CredentialLookup = (_id, s) => ({ signingKey: scopedSigningKey(TEMPORARY.secretAccessKey, s), sessionTokenSha256: "0".repeat(64) });
  assert.deepEqual(await verifySigV4(req, wrongToken), { valid: false, reason: "X-Amz-Security-Token does not match the access key" });
  const otherScope: CredentialLookup = (_id, s) => ({ signingKey: scopedSigningKey(TEMPORARY.secretAccessKey, { ...s, region: "eu-west-1" }), sessionTokenSha256: tokenHash });
  assert.deepEqual(await verifySigV4(req, otherScope), { valid: false, reason: "signature does not match" });
  assert.equal((await verifySigV4({ ...req, url: req.url.replace("a=1", "a=3") }, derived)).valid, false);
});
