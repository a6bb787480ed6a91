// The local-only routes of the real service: delivered codes (newest first, filtered by username, alias or sub), the
// user list for the Wing Console (and its cap), the identity-pool credentials behind an access key (for the AWS_IAM
// route guard), SigV4 verification input checks, health, the OpenID JWKS, and the refusal of anything that is not a
// loopback caller (peer address, Host, browser Origin).
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { AdminAddUserToGroupCommand, AdminDisableUserCommand, ConfirmSignUpCommand, CreateGroupCommand, ForgotPasswordCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { CreateIdentityPoolCommand, DeleteIdentitiesCommand, GetCredentialsForIdentityCommand, GetIdCommand, SetIdentityPoolRolesCommand } from "@aws-sdk/client-cognito-identity";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";
import { ServiceContext } from "../../lib/service/context";
import { identityProviderOperations } from "../../lib/service/index";
import { isLoopbackAddress, localRoutes, loopbackRefusal, MAX_LISTED_USERS, type LocalSigningKey } from "../../lib/service/local-routes";
import { scopedSigningKey } from "../../lib/service/sigv4";
import { createHash } from "node:crypto";
import { Sha256Js } from "@smithy/core/checksum";
import { getSigningKey } from "@smithy/signature-v4";
import { CognitoState } from "../../lib/service/state";
import { DurableStore } from "../../lib/service/store";
import { newUser } from "../../lib/service/user-records";

const PASSWORD = "Passw0rd!local";

interface CodeEntry {
  userPoolId: string;
  username: string;
  purpose: string;
  code: string;
  destination: string;
  deliveryMedium: string;
  createdAt: number;
}

/** A GET with full control of the headers (fetch would not let a test set Host). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "GET", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown> }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("local-only routes", () => {
  let t: TestService;
  let userPoolId: string;
  let clientId: string;

  before(async () => {
    t = await startTestService();
    ({ userPoolId, clientId } = await createPoolAndClient(t.idp, { AliasAttributes: ["email"], AutoVerifiedAttributes: ["email"] }));
  });
  after(async () => {
    await t.stop();
  });

  async function codes(query: string): Promise<{ status: number; codes: CodeEntry[] }> {
    const res = await fetch(`${t.url}/_local/codes?${query}`);
    const body = (await res.json()) as { codes?: CodeEntry[] };
    return { status: res.status, codes: body.codes ?? [] };
  }

  test("GET /_local/health answers ok", async () => {
    const res = await fetch(`${t.url}/_local/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true });
  });

  test("GET /_local/codes lists delivered codes newest first, by username, email alias or sub", async () => {
    const signUp = async (username: string) => {
      const out = await t.idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: "email", Value: `${username}@example.com` }] }));
      return out.UserSub!;
    };
    const aliceSub = await signUp("alice");
    await signUp("bob");
    const all = await codes(`userPoolId=${encodeURIComponent(userPoolId)}`);
    assert.equal(all.status, 200);
    assert.deepEqual(all.codes.map((c) => c.username), ["bob", "alice"]);
    const [bobCode] = all.codes;
    assert.deepEqual(Object.keys(bobCode!).sort(), ["code", "createdAt", "deliveryMedium", "destination", "purpose", "userPoolId", "username"]);
    assert.equal(bobCode!.userPoolId, userPoolId);
    assert.equal(bobCode!.purpose, "SIGN_UP");
    assert.match(bobCode!.code, /^[0-9]{6}$/);
    assert.equal(bobCode!.destination, "bob@example.com");
    assert.equal(bobCode!.deliveryMedium, "EMAIL");
    assert.ok(Math.abs(bobCode!.createdAt - Date.now() / 1000) < 60);

    // Alice confirms with her code, then asks for a password reset: both codes listed, the newest first.
    const aliceSignUp = (await codes(`userPoolId=${userPoolId}&username=alice`)).codes;
    assert.equal(aliceSignUp.length, 1);
    await t.idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "alice", ConfirmationCode: aliceSignUp[0]!.code }));
    await t.idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "alice" }));
    const byName = await codes(`userPoolId=${userPoolId}&username=alice`);
    assert.deepEqual(byName.codes.map((c) => c.purpose), ["FORGOT_PASSWORD", "SIGN_UP"]);
    assert.deepEqual((await codes(`userPoolId=${userPoolId}&username=${encodeURIComponent("alice@example.com")}`)).codes, byName.codes, "an email alias designates the user");
    assert.deepEqual((await codes(`userPoolId=${userPoolId}&username=${aliceSub}`)).codes, byName.codes, "so does the sub");
    assert.deepEqual((await codes(`userPoolId=${userPoolId}&username=nobody`)).codes, []);
    assert.equal(await t.latestCode(userPoolId, "alice", "FORGOT_PASSWORD"), byName.codes[0]!.code);

    // Codes of another pool stay there.
    const other = await createPoolAndClient(t.idp, { AutoVerifiedAttributes: ["email"] });
    await t.idp.send(new SignUpCommand({ ClientId: other.clientId, Username: "carol", Password: PASSWORD, UserAttributes: [{ Name: "email", Value: "carol@example.com" }] }));
    assert.deepEqual((await codes(`userPoolId=${other.userPoolId}`)).codes.map((c) => c.username), ["carol"]);
    assert.ok(!(await codes(`userPoolId=${userPoolId}`)).codes.some((c) => c.username === "carol"));

    assert.equal((await codes("")).status, 400);
    assert.equal((await codes("userPoolId=us-east-1_nothere00")).status, 404);
  });

  test("GET /_local/users lists users with status, email and groups", async () => {
    const pool = await createPoolAndClient(t.idp);
    const sub = (await t.idp.send(new SignUpCommand({ ClientId: pool.clientId, Username: "dana", Password: PASSWORD, UserAttributes: [{ Name: "email", Value: "dana@example.com" }] }))).UserSub!;
    await t.idp.send(new SignUpCommand({ ClientId: pool.clientId, Username: "eve", Password: PASSWORD }));
    for (const g of ["writers", "admins"]) {
      await t.idp.send(new CreateGroupCommand({ UserPoolId: pool.userPoolId, GroupName: g }));
      await t.idp.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.userPoolId, Username: "dana", GroupName: g }));
    }
    await t.idp.send(new AdminDisableUserCommand({ UserPoolId: pool.userPoolId, Username: "eve" }));
    const res = await fetch(`${t.url}/_local/users?userPoolId=${pool.userPoolId}`);
    assert.equal(res.status, 200);
    const { users } = (await res.json()) as { users: Array<Record<string, unknown>> };
    assert.deepEqual(users, [
      { username: "dana", sub, status: "UNCONFIRMED", enabled: true, email: "dana@example.com", groups: ["admins", "writers"] },
      { username: "eve", sub: users[1]!.sub, status: "UNCONFIRMED", enabled: false, email: null, groups: [] },
    ]);
    assert.equal((await fetch(`${t.url}/_local/users`)).status, 400);
    assert.equal((await fetch(`${t.url}/_local/users?userPoolId=us-east-1_nothere00`)).status, 404);
  });

  test("POST /_local/sigv4/verify checks its input and reports unsigned requests as invalid", async () => {
    const post = async (body: string) => {
      const res = await fetch(`${t.url}/_local/sigv4/verify`, { method: "POST", headers: { "content-type": "application/json" }, body });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    assert.equal((await post("{not json")).status, 400);
    assert.equal((await post("[]")).status, 400);
    assert.equal((await post(JSON.stringify({ url: "/x", headers: {} }))).status, 400);
    assert.equal((await post(JSON.stringify({ method: "GET", url: "http://elsewhere/x", headers: {} }))).status, 400);
    assert.equal((await post(JSON.stringify({ method: "GET", url: "/x", headers: { host: 5 } }))).status, 400);
    assert.equal((await post(JSON.stringify({ method: "GET", url: "/x", headers: {}, body: 3 }))).status, 400);
    const unsignedRequest = await post(JSON.stringify({ method: "GET", url: "/x", headers: { host: "127.0.0.1:1" }, body: "" }));
    assert.equal(unsignedRequest.status, 200);
    assert.deepEqual(unsignedRequest.body, { valid: false, reason: "missing Authorization header" });
    const unknownKey = await post(JSON.stringify({
      method: "GET",
      url: "/x",
      headers: { host: "127.0.0.1:1", "x-amz-date": new Date().toISOString().replace(/[-:]|\.\d{3}/g, ""), authorization: `AWS4-HMAC-SHA256 Credential=ASIAUNKNOWNUNKNOWN00/${new Date().toISOString().slice(0, 10).replace(/-/g, "")}/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}` },
    }));
    assert.deepEqual(unknownKey.body, { valid: false, reason: "unknown access key" });
  });

  test("GET /_local/sigv4/signing-key returns one scope's signing key (never the secret), 404 for unknown keys and gone identities", async () => {
    const role = "arn:aws:iam::000000000000:role/guest";
    const { IdentityPoolId } = await t.identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: "guests", AllowUnauthenticatedIdentities: true }));
    await t.identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { unauthenticated: role } }));
    const { IdentityId } = await t.identity.send(new GetIdCommand({ IdentityPoolId }));
    const { Credentials } = await t.identity.send(new GetCredentialsForIdentityCommand({ IdentityId }));
    const scope = { date: "20260101", region: "us-east-1", service: "execute-api" };
    const url = (accessKeyId: string, s: Record<string, string> = scope) => `${t.url}/_local/sigv4/signing-key?${new URLSearchParams({ accessKeyId, ...s })}`;
    const lookup = async (accessKeyId: string, init?: RequestInit, s?: Record<string, string>) => {
      const res = await fetch(url(accessKeyId, s), init);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    const found = await lookup(Credentials!.AccessKeyId!);
    assert.equal(found.status, 200);
    const expected: LocalSigningKey = {
      accessKeyId: Credentials!.AccessKeyId!,
      signingKey: scopedSigningKey(Credentials!.SecretKey!, scope).toString("hex"),
      sessionTokenSha256: createHash("sha256").update(Credentials!.SessionToken!).digest("hex"),
      expiration: Math.floor(Credentials!.Expiration!.getTime() / 1000),
      identityId: IdentityId!,
      identityPoolId: IdentityPoolId!,
      roleArn: role,
      guest: true,
    };
    assert.deepEqual(found.body, expected);
    const text = JSON.stringify(found.body);
    assert.ok(!text.includes(Credentials!.SecretKey!) && !text.includes(Credentials!.SessionToken!), "neither the secret key nor the session token");
    // The key is the AWS SDK's own derivation for that scope.
    const sdkKey = await getSigningKey(Sha256Js, { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretKey! }, scope.date, scope.region, scope.service);
    assert.equal(Buffer.from(sdkKey).toString("hex"), expected.signingKey);

    const unknown = await lookup("ASIAUNKNOWNUNKNOWN00");
    assert.equal(unknown.status, 404);
    assert.match(String(unknown.body.message), /unknown access key/);
    assert.equal((await lookup("")).status, 404);
    assert.equal((await lookup(Credentials!.AccessKeyId!, undefined, { ...scope, date: "2026-01-01" })).status, 400);
    assert.equal((await lookup(Credentials!.AccessKeyId!, { method: "DELETE" })).status, 405);
    const port = new URL(t.url).port;
    const rebound = await rawGet(url(Credentials!.AccessKeyId!), { host: `attacker.example:${port}` });
    assert.equal(rebound.status, 403, "a foreign Host gets nothing");
    assert.equal(rebound.body.signingKey, undefined);
    assert.equal((await rawGet(url(Credentials!.AccessKeyId!), { host: `127.0.0.1:${port}`, origin: "https://attacker.example" })).status, 403);
    // The route that returned secret keys is gone.
    assert.equal((await fetch(`${t.url}/_local/credentials/${Credentials!.AccessKeyId!}`)).status, 404);

    await t.identity.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [IdentityId!] }));
    const gone = await lookup(Credentials!.AccessKeyId!);
    assert.equal(gone.status, 404);
    assert.match(String(gone.body.message), /no longer exists/);
  });

  test("GET /_local/sigv4/signing-key refuses a remote peer", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-local-credentials-"));
    const store = await DurableStore.open(dir);
    try {
      const routes = localRoutes(new ServiceContext(new CognitoState(store), "us-east-1", () => undefined));
      const get = (remoteAddress: string) => routes({ method: "GET", path: "/_local/sigv4/signing-key", query: new URLSearchParams({ accessKeyId: "ASIAUNKNOWNUNKNOWN00", date: "20260101", region: "us-east-1", service: "execute-api" }), headers: { host: "127.0.0.1:9229" }, body: "", remoteAddress });
      assert.equal((await get("192.168.1.20"))!.status, 403);
      assert.equal((await get("::ffff:10.0.0.1"))!.status, 403);
      assert.equal((await get("127.0.0.1"))!.status, 404);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("unknown local paths answer 404, wrong methods 405", async () => {
    assert.equal((await fetch(`${t.url}/_local/nothing`)).status, 404);
    assert.equal((await fetch(`${t.url}/_local/health`, { method: "POST", body: "" })).status, 405);
    assert.equal((await fetch(`${t.url}/_local/sigv4/verify`)).status, 405);
  });

  test("the OpenID JWKS and discovery document of cognito-identity are served", async () => {
    const jwks = (await (await fetch(`${t.url}/.well-known/jwks_uri`)).json()) as { keys: Array<Record<string, string>> };
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0]!.alg, "RS256");
    assert.equal(jwks.keys[0]!.use, "sig");
    const again = (await (await fetch(`${t.url}/.well-known/jwks_uri`)).json()) as { keys: Array<Record<string, string>> };
    assert.equal(again.keys[0]!.kid, jwks.keys[0]!.kid, "one key for the service");
    const discovery = (await (await fetch(`${t.url}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    assert.equal(discovery.issuer, "https://cognito-identity.amazonaws.com");
    assert.equal(discovery.jwks_uri, `${t.url}/.well-known/jwks_uri`);
  });

  test("requests that are not from loopback are refused with 403", async () => {
    const url = `${t.url}/_local/codes?userPoolId=${userPoolId}`;
    const port = new URL(t.url).port;
    assert.equal((await rawGet(url, { host: `localhost:${port}` })).status, 200);
    assert.equal((await rawGet(url, { host: `[::1]:${port}` })).status, 200);
    const rebound = await rawGet(url, { host: `attacker.example:${port}` });
    assert.equal(rebound.status, 403, "DNS rebinding: a foreign Host is refused");
    assert.match(String(rebound.body.message), /loopback/);
    assert.equal((await rawGet(url, { host: `127.0.0.1:${port}`, origin: "https://attacker.example" })).status, 403, "a web page elsewhere cannot read codes");
    assert.equal((await rawGet(url, { host: `127.0.0.1:${port}`, origin: "null" })).status, 403);
    assert.equal((await rawGet(url, { host: `127.0.0.1:${port}`, "sec-fetch-site": "cross-site" })).status, 403);
    assert.equal((await rawGet(url, { host: `127.0.0.1:${port}`, origin: "http://localhost:3000" })).status, 200, "a local dev page may");
    assert.equal((await rawGet(`${t.url}/_local/health`, { host: `attacker.example:${port}` })).status, 403);
  });

  test("the loopback rule: peer address, Host and Origin", async () => {
    for (const a of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]) assert.ok(isLoopbackAddress(a), a);
    for (const a of ["10.0.0.1", "192.168.1.20", "::ffff:10.0.0.1", "fe80::1", "0.0.0.0", "128.0.0.1"]) assert.ok(!isLoopbackAddress(a), a);
    assert.equal(loopbackRefusal("127.0.0.1", { host: "127.0.0.1:9229" }), undefined);
    assert.match(loopbackRefusal("192.168.1.20", { host: "127.0.0.1:9229" })!, /loopback/);
    assert.match(loopbackRefusal(undefined, { host: "localhost.attacker.example" })!, /Host/);
    assert.equal(loopbackRefusal(undefined, { host: "app.localhost:9229" }), undefined);
    assert.match(loopbackRefusal("::1", { host: "[::1]:9229", origin: "http://evil.example" })!, /cross-site/);
    // A route given the peer address refuses a remote one even with a loopback Host.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-local-routes-"));
    const store = await DurableStore.open(dir);
    try {
      const routes = localRoutes(new ServiceContext(new CognitoState(store), "us-east-1", () => undefined));
      const health = (remoteAddress: string) => routes({ method: "GET", path: "/_local/health", query: new URLSearchParams(), headers: { host: "127.0.0.1:9229" }, body: "", remoteAddress } as Parameters<typeof routes>[0]);
      assert.equal((await health("10.1.2.3"))!.status, 403);
      assert.equal((await health("127.0.0.1"))!.status, 200);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("GET /_local/users caps its list", () => {
  let dir: string;
  let store: DurableStore;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-local-users-"));
    store = await DurableStore.open(dir);
  });
  after(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test(`at ${MAX_LISTED_USERS} users`, async () => {
    const ctx = new ServiceContext(new CognitoState(store), "us-east-1", () => undefined);
    const created = (await identityProviderOperations(ctx).CreateUserPool!({ PoolName: "big" })) as { UserPool: { Id: string } };
    const pool = ctx.state.pool(created.UserPool.Id)!;
    for (let i = 0; i < MAX_LISTED_USERS + 20; i++) ctx.state.putUser(pool, newUser(ctx, pool, `user-${i}`, [], "CONFIRMED"));
    const answer = await localRoutes(ctx)({ method: "GET", path: "/_local/users", query: new URLSearchParams({ userPoolId: pool.Id }), headers: { host: "127.0.0.1" }, body: "" });
    const { users } = answer!.body as { users: Array<{ username: string }> };
    assert.equal(users.length, MAX_LISTED_USERS);
    assert.equal(users[0]!.username, "user-0");
  });
});
