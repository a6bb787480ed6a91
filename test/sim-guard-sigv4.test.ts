// Tests the AWS_IAM route guard (lib/sim/route-guard.ts) against the real local service: a request signed with
// credentials this identity pool issued passes; unsigned, altered, wrongly signed requests, wrong session tokens,
// wrong scopes, unknown or expired credentials and credentials of another identity pool get 403. The guard fetches
// each access key's credentials once (through a counting loopback proxy here) and keeps them until they expire.
// Pools are built by lib/sim/local-cognito.ts's `createPools`, calls go through lib/inflight/client.ts, as in the simulator.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from "@aws-sdk/client-cognito-identity";
import { startCognitoService, type RunningCognitoService } from "../lib/service/index";
import { createPools, type SimPoolConfig } from "../lib/sim/local-cognito";
import { _adminConfirmUser, _getCredentialsForIdentity, _getId, _signIn, _signUp, type CognitoConnection } from "../lib/inflight/client";
import { checkSigV4, type GuardedRequest } from "../lib/sim/route-guard";
import { Sha256Js } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import { signHeaders, type IdentityCredentials } from "./sigv4-signer";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-guard-sigv4-"));
let service: RunningCognitoService;
/** Moves the service's clock, so that credentials can be issued already expired or about to expire. */
let clockOffsetMs = 0;
/** A loopback proxy in front of the service that counts the guard's credential look-ups. */
let proxy: http.Server;
let lookups: string[] = [];
let conn: CognitoConnection;
let other: CognitoConnection;
let credentials: IdentityCredentials;
let otherCredentials: IdentityCredentials;
/** A pool that allows guests, its connection, and guest (unauthenticated role) and signed-in credentials of it. */
let guestConn: CognitoConnection;
let guestCredentials: IdentityCredentials;
let memberCredentials: IdentityCredentials;

const config = (name: string): SimPoolConfig => ({
  name,
  region: "us-east-1",
  usernameAttributes: ["email"],
  autoVerifiedAttributes: ["email"],
  allowUnauthenticatedIdentities: false,
});

let users = 0;

async function credentialsOf(c: CognitoConnection): Promise<IdentityCredentials> {
  const email = `iam-${c.identityPoolId.slice(-6)}-${++users}@wing.cloud`;
  await _signUp(c, email, "Iam-Passw0rd!");
  await _adminConfirmUser(c, email);
  const { idToken } = await _signIn(c, email, "Iam-Passw0rd!");
  const identityId = await _getId(c, c.userPoolId, c.identityPoolId, idToken);
  return (await _getCredentialsForIdentity(c, idToken, identityId)) as unknown as IdentityCredentials;
}

before(async () => {
  service = await startCognitoService({ port: 0, dataDir, log: () => {}, clock: () => Date.now() + clockOffsetMs });
  proxy = http.createServer((req, res) => {
    lookups.push(req.url ?? "");
    fetch(`${service.url}${req.url ?? "/"}`, { method: req.method }).then(
      async (answer) => res.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text()),
      () => res.writeHead(502).end(),
    );
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const connOf = (ids: { userPoolId: string; clientId: string; identityPoolId: string }): CognitoConnection => ({
    endpoint: service.url,
    region: "us-east-1",
    headerKey: "Authorization",
    ...ids,
  });
  conn = connOf(await createPools(service, config("guarded")));
  other = connOf(await createPools(service, config("other")));
  guestConn = connOf(await createPools(service, { ...config("guests"), allowUnauthenticatedIdentities: true }));
  const identity = new CognitoIdentityClient({ region: "us-east-1", endpoint: service.url, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId: guestConn.identityPoolId }));
  const guest = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId }));
  guestCredentials = { ...(guest.Credentials as unknown as IdentityCredentials) };
  identity.destroy();
  credentials = await credentialsOf(conn);
  otherCredentials = await credentialsOf(other);
  memberCredentials = await credentialsOf(guestConn);
});

after(async () => {
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await service.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const API = "http://127.0.0.1:4000";

async function signed(method: string, pathAndQuery: string, body: string, creds = credentials): Promise<GuardedRequest> {
  const url = new URL(pathAndQuery, API);
  const query: Record<string, string> = {};
  url.searchParams.forEach((v, k) => (query[k] = v));
  const headers = await signHeaders(method, url.toString(), "us-east-1", creds, body);
  // The simulator's Api hands headers to the handler in lower case.
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, path: url.pathname, query, headers: lower, body };
}

test("a request signed with this identity pool's credentials passes", async () => {
  assert.equal(await checkSigV4(conn, await signed("GET", "/reports?year=2024&q=a%20b", "")), undefined);
  assert.equal(await checkSigV4(conn, await signed("POST", "/reports/7", '{"total":7}')), undefined);
});

test("missing, altered and wrongly signed requests get 403", async () => {
  const unsigned = await checkSigV4(conn, { method: "GET", path: "/reports", headers: { host: "127.0.0.1:4000" } });
  assert.equal(unsigned?.status, 403);
  assert.deepEqual(JSON.parse(unsigned.body), { message: "Missing Authentication Token" });

  const bearer = await checkSigV4(conn, { method: "GET", path: "/reports", headers: { authorization: "Bearer abc" } });
  assert.equal(bearer?.status, 403);

  const good = await signed("POST", "/reports/7", '{"total":7}');
  const cases: Record<string, GuardedRequest> = {
    "other body": { ...good, body: '{"total":8}' },
    "other path": { ...good, path: "/reports/8" },
    "other method": { ...good, method: "PUT" },
    "added query": { ...good, query: { x: "1" } },
    "wrong secret": await signed("GET", "/reports", "", { ...credentials, SecretKey: `${credentials.SecretKey}x` }),
    "unknown key": await signed("GET", "/reports", "", { ...credentials, AccessKeyId: "ASIAUNKNOWNKEY000000" }),
  };
  for (const [name, req] of Object.entries(cases)) {
    const denied = await checkSigV4(conn, req);
    assert.equal(denied?.status, 403, name);
    assert.equal(typeof JSON.parse(denied.body).message, "string", name);
  }
});

test("credentials of another identity pool get 403", async () => {
  const denied = await checkSigV4(conn, await signed("GET", "/reports", "", otherCredentials));
  assert.equal(denied?.status, 403);
  assert.equal(await checkSigV4(other, await signed("GET", "/reports", "", otherCredentials)), undefined);
});

/** The same pools, but the guard reaches the service through the counting proxy. */
const proxied = (): CognitoConnection => ({ ...conn, endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });

/** Credentials issued with the service's clock moved by `offsetSeconds` (their expiry moves with it). */
async function credentialsIssuedAt(offsetSeconds: number): Promise<IdentityCredentials> {
  clockOffsetMs = offsetSeconds * 1000;
  try {
    return await credentialsOf(conn);
  } finally {
    clockOffsetMs = 0;
  }
}

const messageOf = (denied: { body: string } | undefined) => (JSON.parse(denied!.body) as { message: string }).message;

test("the guard fetches an access key's signing key once, also under concurrent first requests", async () => {
  const c = proxied();
  const fresh = await credentialsOf(conn);
  lookups = [];
  const first = await Promise.all(Array.from({ length: 5 }, async () => checkSigV4(c, await signed("GET", "/reports", "", fresh))));
  assert.deepEqual(first, [undefined, undefined, undefined, undefined, undefined]);
  for (let i = 0; i < 20; i++) assert.equal(await checkSigV4(c, await signed("POST", `/reports/${i}`, `{"n":${i}}`, fresh)), undefined);
  assert.equal(lookups.length, 1);
  assert.match(lookups[0]!, new RegExp(`^/_local/sigv4/signing-key\\?accessKeyId=${fresh.AccessKeyId}&date=\\d{8}&region=us-east-1&service=execute-api$`));
  // Cached credentials still check every signature.
  const tampered = await checkSigV4(c, { ...(await signed("GET", "/reports", "", fresh)), path: "/admin" });
  assert.equal(tampered?.status, 403);
  assert.match(messageOf(tampered), /signature we calculated does not match/);
});

test("unknown access keys are asked about every time and refused", async () => {
  const c = proxied();
  lookups = [];
  for (let i = 0; i < 2; i++) {
    const denied = await checkSigV4(c, await signed("GET", "/reports", "", { ...credentials, AccessKeyId: "ASIAUNKNOWNKEY000001" }));
    assert.equal(denied?.status, 403);
    assert.equal(messageOf(denied), "The security token included in the request is invalid.");
  }
  assert.equal(lookups.length, 2);
});

test("a wrong or missing session token gets 403, also with cached credentials", async () => {
  assert.equal(await checkSigV4(conn, await signed("GET", "/reports", "")), undefined);
  const wrongToken = await checkSigV4(conn, await signed("GET", "/reports", "", { ...credentials, SessionToken: `${credentials.SessionToken}x` }));
  assert.equal(wrongToken?.status, 403);
  const withoutToken = await signed("GET", "/reports", "", { ...credentials, SessionToken: undefined as unknown as string });
  assert.equal(withoutToken.headers?.["x-amz-security-token"], undefined);
  assert.equal((await checkSigV4(conn, withoutToken))?.status, 403);
  const otherPoolsToken = await checkSigV4(conn, await signed("GET", "/reports", "", { ...credentials, SessionToken: otherCredentials.SessionToken }));
  assert.equal(otherPoolsToken?.status, 403);
});

test("a signature scoped to another region or service gets 403", async () => {
  const otherRegion = await signHeaders("GET", `${API}/reports`, "eu-west-1", credentials, "");
  const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
  assert.equal((await checkSigV4(conn, { method: "GET", path: "/reports", headers: lower(otherRegion) }))?.status, 403);
  const s3Signer = new SignatureV4({
    service: "s3",
    region: "us-east-1",
    sha256: Sha256Js,
    credentials: { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretKey, sessionToken: credentials.SessionToken },
  });
  const s3 = await s3Signer.sign({ method: "GET", protocol: "http:", hostname: "127.0.0.1", port: 4000, path: "/reports", query: {}, headers: { host: "127.0.0.1:4000" } });
  assert.equal((await checkSigV4(conn, { method: "GET", path: "/reports", headers: lower(s3.headers as Record<string, string>) }))?.status, 403);
});

test("expired credentials get 403 The security token included in the request is expired", async () => {
  const expired = await credentialsIssuedAt(-2 * 60 * 60); // issued two hours ago, so expired an hour ago
  const denied = await checkSigV4(proxied(), await signed("GET", "/reports", "", expired));
  assert.equal(denied?.status, 403);
  assert.equal(messageOf(denied), "The security token included in the request is expired");
});

test("cached credentials are refused once they expire", async () => {
  const c = proxied();
  const shortLived = await credentialsIssuedAt(-(60 * 60 - 2)); // an hour's lifetime, issued 2 s short of an hour ago
  const expiresAtMs = Date.parse((shortLived as unknown as { Expiration: string }).Expiration);
  assert.ok(expiresAtMs - Date.now() < 3000, "the credentials expire within 3 s");
  lookups = [];
  assert.equal(await checkSigV4(c, await signed("GET", "/reports", "", shortLived)), undefined);
  await new Promise((resolve) => setTimeout(resolve, expiresAtMs - Date.now() + 100));
  const denied = await checkSigV4(c, await signed("GET", "/reports", "", shortLived));
  assert.equal(denied?.status, 403);
  assert.equal(messageOf(denied), "The security token included in the request is expired");
  assert.equal(lookups.length, 1, "the expiry is known from the cache");
});

test("credentials of the unauthenticated (guest) role get 403, as on tf-aws where that role may invoke nothing", async () => {
  const denied = await checkSigV4(guestConn, await signed("GET", "/reports", "", guestCredentials));
  assert.equal(denied?.status, 403);
  assert.match(messageOf(denied), /^User: arn:aws:sts::\d+:assumed-role\/.+ is not authorized to perform: execute-api:Invoke/);
  assert.equal(await checkSigV4(guestConn, await signed("GET", "/reports", "", memberCredentials)), undefined, "a signed-in identity of the same pool passes");
});

/** A request signed over `pathAndQuery` as the client sent it, handed to the guard as the simulator's Api parses it. */
async function signedAsSimulatorParses(pathAndQuery: string, parsedQuery: Record<string, string>): Promise<GuardedRequest> {
  const url = new URL(pathAndQuery, API);
  // The AWS SDK's signer, given every value of a repeated key (as a client sending this query signs it).
  const query: Record<string, string[]> = {};
  url.searchParams.forEach((value, key) => (query[key] ??= []).push(value));
  const signer = new SignatureV4({
    service: "execute-api", region: "us-east-1", sha256: Sha256Js,
    credentials: { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretKey, sessionToken: credentials.SessionToken },
  });
  const request = await signer.sign({ method: "GET", protocol: "http:", hostname: "127.0.0.1", port: 4000, path: url.pathname, query, headers: { host: "127.0.0.1:4000" } });
  const lower = Object.fromEntries(Object.entries(request.headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: "GET", path: url.pathname, query: parsedQuery, headers: lower, body: "" };
}

test("correct signatures over repeated query keys and bracket keys pass; altered ones do not", async () => {
  // What Express's qs parser and Wing's sanitizeParamLikeObject make of these queries.
  const cases: Array<[string, Record<string, string>]> = [
    ["/reports?a=1&a=2", { a: "1,2" }],
    ["/reports?a=2&a=1&b=x", { a: "2,1", b: "x" }],
    ["/reports?ids[]=1&ids[]=2", { ids: "1,2" }],
    ["/reports?ids[0]=7&ids[1]=8&q=z", { ids: "7,8", q: "z" }],
    ["/reports?tags=a,b", { tags: "a,b" }],
  ];
  for (const [pathAndQuery, parsed] of cases) {
    assert.equal(await checkSigV4(conn, await signedAsSimulatorParses(pathAndQuery, parsed)), undefined, pathAndQuery);
  }
  const good = await signedAsSimulatorParses("/reports?a=1&a=2", { a: "1,2" });
  assert.equal((await checkSigV4(conn, { ...good, query: { a: "1,3" } }))?.status, 403);
  assert.equal((await checkSigV4(conn, { ...good, query: { a: "1" } }))?.status, 403);
  // With the raw query string at hand, it alone is verified.
  assert.equal(await checkSigV4(conn, { ...good, query: {}, rawQuery: "a=1&a=2" }), undefined);
  assert.equal((await checkSigV4(conn, { ...good, rawQuery: "a=1&a=3" }))?.status, 403);
});
