// Tests the COGNITO_USER_POOLS route guard (lib/sim/route-guard.ts) and the caller helper (lib/inflight/client.ts) against
// a pool-like JWKS served on loopback by a real HTTP server, with keys generated here: valid ID tokens pass
// (raw or Bearer, in any header-name case, in a custom header), everything else gets API Gateway's 401. Also
// bundles the guard as Wing bundles a protected route (esbuild, CommonJS) to check that it carries no AWS SDK.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { SignJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload } from "jose";
import { checkUserPoolToken, signedUrlOf } from "../lib/sim/route-guard";
import { _caller } from "../lib/inflight/client";
import { issuerOf, jwksUrlOf, tokenFromHeader, type CognitoConnection } from "../lib/inflight/id-token";
import { cachedKeySet } from "../lib/inflight/jwks";

const REGION = "us-east-1";
const POOL = "us-east-1_TestPool1";
const CLIENT = "abcdefghijklmnopqrstuvwxyz";
const KID = "kid-1";

let server: http.Server;
let conn: CognitoConnection;
let signingKey: CryptoKey;
let otherKey: CryptoKey;
let jwksRequests = 0;
let publicJwk: JWK;

before(async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair("RS256")).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: "RS256", use: "sig" };
  publicJwk = jwk;
  server = http.createServer((req, res) => {
    if (req.url === `/${POOL}/.well-known/jwks.json` || req.url === `/other-prefix/${POOL}/.well-known/jwks.json`) {
      jwksRequests++;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  conn = {
    endpoint: `http://127.0.0.1:${port}`,
    region: REGION,
    userPoolId: POOL,
    clientId: CLIENT,
    identityPoolId: `${REGION}:00000000-0000-4000-8000-000000000000`,
    headerKey: "Authorization",
  };
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface TokenOptions {
  claims?: JWTPayload;
  key?: CryptoKey;
  kid?: string;
  expiresIn?: string | number;
}

async function idToken(options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    sub: "5f0c2a4e-1111-4222-8333-944445555666",
    "cognito:username": "5f0c2a4e-1111-4222-8333-944445555666",
    email: "ada@wing.cloud",
    "cognito:groups": ["admins"],
    token_use: "id",
    aud: CLIENT,
    iss: issuerOf(REGION, POOL),
    auth_time: now,
    ...options.claims,
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: options.kid ?? KID })
    .setIssuedAt(now)
    .setExpirationTime(options.expiresIn ?? "1h")
    .sign(options.key ?? signingKey);
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const claimsOf = (segment: string) => JSON.parse(Buffer.from(segment, "base64url").toString()) as Record<string, unknown>;

/** A token with this exact header and payload, validly signed by the pool's key (only the header or claims are wrong). */
async function resigned(header: Record<string, unknown>, payload: string): Promise<string> {
  const { createSign } = await import("node:crypto");
  const { KeyObject } = await import("node:crypto");
  const input = `${b64url(header)}.${payload}`;
  const signature = createSign("RSA-SHA256").update(input).sign(KeyObject.from(signingKey)).toString("base64url");
  return `${input}.${signature}`;
}

const request = (headers: Record<string, string>) => ({ method: "GET", path: "/hello", headers });

async function status(headers: Record<string, string>, c: CognitoConnection = conn): Promise<number> {
  const denied = await checkUserPoolToken(c, request(headers));
  return denied?.status ?? 200;
}

test("the JWKS url and issuer follow Cognito's layout", () => {
  assert.equal(jwksUrlOf({ endpoint: "", region: "eu-west-1", userPoolId: "eu-west-1_abc" }), "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/jwks.json");
  assert.equal(jwksUrlOf({ endpoint: "http://127.0.0.1:9/", region: REGION, userPoolId: POOL }), `http://127.0.0.1:9/${POOL}/.well-known/jwks.json`);
  assert.equal(issuerOf(REGION, POOL), `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`);
});

test("a valid ID token passes, raw or Bearer, whatever the header name's case", async () => {
  const token = await idToken();
  assert.equal(await status({ authorization: `Bearer ${token}` }), 200);
  assert.equal(await status({ authorization: token }), 200);
  assert.equal(await status({ Authorization: `bearer ${token}` }), 200);
  assert.equal(tokenFromHeader(`Bearer   ${token} `), token);
  // The helper the refusal cases below re-sign with makes valid tokens when header and claims are right.
  const [, payload] = token.split(".");
  assert.equal(await status({ authorization: await resigned({ alg: "RS256", kid: KID, typ: "JWT" }, payload!) }), 200);
  // An aud array that holds the client is accepted, as jose and aws-jwt-verify accept it.
  assert.equal(await status({ authorization: await idToken({ claims: { aud: ["someone-else", CLIENT] } }) }), 200);
});

test("headerKey is honoured", async () => {
  const token = await idToken();
  const custom = { ...conn, headerKey: "X-Id-Token" };
  assert.equal(await status({ "x-id-token": token }, custom), 200);
  assert.equal(await status({ authorization: `Bearer ${token}` }, custom), 401);
});

test("missing, malformed, forged, tampered, foreign and non-ID tokens get 401 Unauthorized", async () => {
  const token = await idToken();
  const [header, payload, signature] = token.split(".");
  const tamperedPayload = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), "cognito:groups": ["root"] }),
  ).toString("base64url");
  const hs256 = await new SignJWT({ token_use: "id", aud: CLIENT, iss: issuerOf(REGION, POOL), sub: "x" })
    .setProtectedHeader({ alg: "HS256", kid: KID })
    .setExpirationTime("1h")
    .sign(new TextEncoder().encode("a-shared-secret-that-is-long-enough!"));
  const cases: Record<string, Record<string, string>> = {
    missing: {},
    empty: { authorization: "Bearer " },
    malformed: { authorization: "Bearer not-a-jwt" },
    forged: { authorization: await idToken({ key: otherKey }) },
    tampered: { authorization: `${header}.${tamperedPayload}.${signature}` },
    "unknown kid": { authorization: await idToken({ key: otherKey, kid: "kid-unknown" }) },
    "other pool": { authorization: await idToken({ claims: { iss: issuerOf(REGION, "us-east-1_OtherPool") } }) },
    "other client": { authorization: await idToken({ claims: { aud: "zyxwvutsrqponmlkjihgfedcba" } }) },
    "access token": { authorization: await idToken({ claims: { token_use: "access", aud: CLIENT } }) },
    "HS256 token": { authorization: hs256 },
    "alg none": { authorization: `${b64url({ alg: "none", kid: KID })}.${payload}.` },
    "alg none, signature kept": { authorization: `${b64url({ alg: "none", kid: KID })}.${payload}.${signature}` },
    "RS256 header on an HS256 token": { authorization: `${b64url({ alg: "RS256", kid: KID })}.${hs256.split(".").slice(1).join(".")}` },
    "alg in another case": { authorization: await resigned({ alg: "rs256", kid: KID }, payload!) },
    "crit header": { authorization: await resigned({ alg: "RS256", kid: KID, crit: ["exp"], exp: 1 }, payload!) },
    "unencoded payload (b64: false)": { authorization: await resigned({ alg: "RS256", kid: KID, b64: false, crit: ["b64"] }, payload!) },
    "no kid": { authorization: await resigned({ alg: "RS256" }, payload!) },
    "no exp": { authorization: await resigned({ alg: "RS256", kid: KID }, b64url({ ...claimsOf(payload!), exp: undefined })) },
    "exp not a number": { authorization: await resigned({ alg: "RS256", kid: KID }, b64url({ ...claimsOf(payload!), exp: "9999999999" })) },
    "nbf in the future": { authorization: await resigned({ alg: "RS256", kid: KID }, b64url({ ...claimsOf(payload!), nbf: Math.floor(Date.now() / 1000) + 600 })) },
    "iat not a number": { authorization: await resigned({ alg: "RS256", kid: KID }, b64url({ ...claimsOf(payload!), iat: "now" })) },
    "payload an array": { authorization: await resigned({ alg: "RS256", kid: KID }, b64url([claimsOf(payload!)])) },
    "aud array without the client": { authorization: await idToken({ claims: { aud: ["someone-else"] } }) },
    "padded signature": { authorization: `${token}=` },
    "four segments": { authorization: `${token}.${signature}` },
    "signature of another token": { authorization: `${header}.${payload}.${(await idToken({ claims: { jti: "other" } })).split(".")[2]}` },
  };
  for (const [name, headers] of Object.entries(cases)) {
    const denied = await checkUserPoolToken(conn, request(headers));
    assert.equal(denied?.status, 401, name);
    assert.deepEqual(JSON.parse(denied.body), { message: "Unauthorized" }, name);
    assert.equal(denied.headers["content-type"], "application/json", name);
  }
});

test("an expired token gets 401 The incoming token has expired", async () => {
  const expired = await idToken({ expiresIn: Math.floor(Date.now() / 1000) - 60 });
  const denied = await checkUserPoolToken(conn, request({ authorization: `Bearer ${expired}` }));
  assert.equal(denied?.status, 401);
  assert.deepEqual(JSON.parse(denied.body), { message: "The incoming token has expired" });
});

test("the JWKS is fetched once and cached across checks", async () => {
  const before = jwksRequests;
  for (let i = 0; i < 20; i++) assert.equal(await status({ authorization: await idToken() }), 200);
  assert.ok(jwksRequests - before <= 1, `fetched the JWKS ${jwksRequests - before} times`);
});

test("the JWKS is fetched without the global fetch (no undici in a guarded route's process)", async () => {
  const globalFetch = globalThis.fetch;
  globalThis.fetch = () => Promise.reject(new Error("the guard must not use the global fetch"));
  try {
    // Another JWKS URL (the server also serves it under a prefix): a key set not cached yet, so this check fetches it.
    const fresh = { ...conn, endpoint: `${conn.endpoint}/other-prefix` };
    const before = jwksRequests;
    // A token of its own (a token verified before is trusted again without its key).
    assert.equal(await status({ authorization: await idToken({ claims: { jti: "not-seen-before" } }) }, fresh), 200);
    assert.equal(jwksRequests - before, 1);
  } finally {
    globalThis.fetch = globalFetch;
  }
});

test("a JWKS that cannot be had refuses the token, and a later check fetches it again", async () => {
  const down = { ...conn, userPoolId: "us-east-1_NoSuchPl" }; // the server answers 404
  assert.equal(await status({ authorization: await idToken({ claims: { iss: issuerOf(REGION, "us-east-1_NoSuchPl") } }) }, down), 401);
  let calls = 0;
  const keys = cachedKeySet("http://unused.invalid/jwks.json", async () => {
    calls++;
    if (calls === 1) throw new Error("unreachable");
    return { keys: [publicJwk] };
  });
  await assert.rejects(async () => keys(KID));
  await keys(KID);
  assert.equal(calls, 2);
});

test("an unknown kid fetches the JWKS again (a rotated key), at most every 30 seconds", async (t) => {
  t.mock.timers.enable({ apis: ["Date"], now: Date.now() });
  let calls = 0;
  const oldKey = { ...publicJwk, kid: "old" };
  const newKey = { ...publicJwk, kid: "new" };
  const keys = cachedKeySet("http://unused.invalid/jwks.json", async () => {
    calls++;
    return { keys: calls === 1 ? [oldKey] : [oldKey, newKey] };
  });
  await keys("old");
  // Right after a fetch, an unknown kid is refused without asking again (no fetch per forged token).
  await assert.rejects(async () => keys("new"), { code: "ERR_JWKS_NO_MATCHING_KEY" });
  assert.equal(calls, 1);
  t.mock.timers.tick(30_000);
  await keys("new");
  assert.equal(calls, 2);
  await assert.rejects(async () => keys("never"), { code: "ERR_JWKS_NO_MATCHING_KEY" });
  assert.equal(calls, 2);
});

test("only RSA signature keys for RS256 of 2048 bits or more are used; a kid two keys share is refused", async () => {
  const { generateKeyPairSync } = await import("node:crypto");
  const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });
  const jwks = {
    keys: [
      { ...publicJwk, kid: "enc", use: "enc" },
      { ...publicJwk, kid: "ps256", alg: "PS256" },
      { ...publicJwk, kid: "wrap-only", key_ops: ["wrapKey"] },
      { ...small, kid: "small" },
      { kty: "oct", kid: "hmac", k: "c2VjcmV0" },
      { ...publicJwk, kid: "twice" },
      { ...publicJwk, kid: "twice" },
      { ...publicJwk, kid: "good", use: undefined, alg: undefined, key_ops: ["verify"] },
    ],
  };
  const keys = cachedKeySet("http://unused.invalid/jwks.json", async () => jwks);
  for (const kid of ["enc", "ps256", "wrap-only", "small", "hmac", "twice"]) {
    await assert.rejects(async () => keys(kid), { code: "ERR_JWKS_NO_MATCHING_KEY" }, kid);
  }
  await keys("good");
});

test("a token verified once still expires on time", async () => {
  const exp = Math.floor(Date.now() / 1000) + 1;
  const token = await idToken({ expiresIn: exp });
  assert.equal(await status({ authorization: token }), 200);
  await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
  const denied = await checkUserPoolToken(conn, request({ authorization: token }));
  assert.equal(denied?.status, 401);
  assert.deepEqual(JSON.parse(denied.body), { message: "The incoming token has expired" });
});

test("caller() returns the verified claims, or nil without a valid token", async () => {
  const caller = await _caller(conn, { Authorization: `Bearer ${await idToken()}` });
  assert.equal(caller?.sub, "5f0c2a4e-1111-4222-8333-944445555666");
  assert.equal(caller?.username, "5f0c2a4e-1111-4222-8333-944445555666");
  assert.equal(caller?.email, "ada@wing.cloud");
  assert.deepEqual(caller?.groups, ["admins"]);
  assert.equal(caller?.claims.token_use, "id");
  assert.equal(await _caller(conn, { Authorization: "Bearer nope" }), undefined);
  assert.equal(await _caller(conn, undefined), undefined);
  const noGroups = await _caller(conn, { authorization: await idToken({ claims: { "cognito:groups": undefined, email: undefined } }) });
  assert.deepEqual(noGroups?.groups, []);
  assert.equal(noGroups?.email, undefined);
});

test("the signed url is rebuilt from path and query", () => {
  assert.equal(signedUrlOf({ method: "GET", path: "/a/b" }), "/a/b");
  assert.equal(signedUrlOf({ method: "GET", path: "/a", query: { x: "1 2", "y&": "z" } }), "/a?x=1%202&y%26=z");
});

/** What a protected route's bundle takes from lib/sim/route-guard.ts: the packages it includes and its size. */
function guardBundle(): { packages: string[]; bytes: number } {
  // Wing bundles each inflight with esbuild from a CommonJS entry that `require`s the extern.
  const result = buildSync({
    stdin: { contents: 'module.exports = require("./lib/sim/route-guard.ts");', resolveDir: path.resolve(__dirname, ".."), loader: "js" },
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    keepNames: true,
    metafile: true,
    write: false,
  });
  const packages = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const inPackage = input.split("node_modules/").pop()!;
    if (inPackage === input) continue;
    const parts = inPackage.split("/");
    packages.add(parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!);
  }
  return { packages: [...packages].sort(), bytes: result.outputFiles[0]!.contents.length };
}

test("the guard's bundle holds no package: no AWS SDK client, no JWT library (node:crypto verifies)", () => {
  const { packages } = guardBundle();
  assert.deepEqual(packages, []);
});

test("the guard's bundle stays small", () => {
  const { bytes } = guardBundle();
  assert.ok(bytes < 100_000, `the guard bundles ${bytes} bytes`);
});
