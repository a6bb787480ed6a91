// The wire protocol's edges, with raw HTTP: AWS-shaped 4xx errors for unknown targets, bad JSON, oversized bodies,
// unsigned admin calls and wrong member types; CORS for browsers; and a sweep of malformed input through every operation
// of both protocols that must never produce a 5xx or take the service down.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as identityProviderModel from "@aws-sdk/client-cognito-identity-provider";
import * as identityModel from "@aws-sdk/client-cognito-identity";
import { UNSIGNED_IDENTITY_PROVIDER_OPERATIONS } from "../../lib/service";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";

let t: TestService;
before(async () => {
  t = await startTestService();
});
after(async () => {
  await t.stop();
});

const SIGNED = "AWS4-HMAC-SHA256 Credential=AKIALOCALTEST/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00";

async function call(target: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target, authorization: SIGNED, ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as { __type?: string; message?: string }) : {}, headers: res.headers };
}

test("an unknown operation gets 400 UnknownOperationException", async () => {
  const res = await call("AWSCognitoIdentityProviderService.NoSuchThing", "{}");
  assert.equal(res.status, 400);
  assert.equal(res.body.__type, "UnknownOperationException");
  const other = await call("SomeOtherService.ListUserPools", "{}");
  assert.equal(other.body.__type, "UnknownOperationException");
});

test("a body that is not a JSON object gets 400 SerializationException", async () => {
  for (const body of ["{not json", "[1,2]", "\"text\"", "null"]) {
    const res = await call("AWSCognitoIdentityProviderService.ListUserPools", body);
    assert.equal(res.status, 400, body);
    assert.equal(res.body.__type, "SerializationException", body);
  }
});

test("a body over the size limit gets 413", async () => {
  const res = await call("AWSCognitoIdentityProviderService.SignUp", JSON.stringify({ Username: "x".repeat(2 * 1024 * 1024) }));
  assert.equal(res.status, 413);
  assert.equal(res.body.__type, "RequestEntityTooLargeException");
});

test("admin operations need a SigV4 signature; user-facing ones do not", async () => {
  const unsigned = await call("AWSCognitoIdentityProviderService.ListUserPools", JSON.stringify({ MaxResults: 10 }), { authorization: "" });
  assert.equal(unsigned.status, 400);
  assert.equal(unsigned.body.__type, "MissingAuthenticationTokenException");
  const publicOp = await call("AWSCognitoIdentityProviderService.SignUp", JSON.stringify({ ClientId: "nope", Username: "a", Password: "b" }), { authorization: "" });
  assert.equal(publicOp.body.__type, "ResourceNotFoundException");
});

test("wrong member types get InvalidParameterException, missing members AWS's validation message", async () => {
  const wrong = await call("AWSCognitoIdentityProviderService.DescribeUserPool", JSON.stringify({ UserPoolId: 42 }));
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.__type, "InvalidParameterException");
  const missing = await call("AWSCognitoIdentityProviderService.DescribeUserPool", "{}");
  assert.equal(missing.body.__type, "InvalidParameterException");
  assert.match(missing.body.message ?? "", /Value null at 'userPoolId' failed to satisfy constraint: Member must not be null/);
});

test("errors carry x-amzn-errortype, and browsers get CORS headers", async () => {
  const res = await call("AWSCognitoIdentityProviderService.DescribeUserPool", JSON.stringify({ UserPoolId: "us-east-1_NoSuchPoo" }));
  assert.equal(res.body.__type, "ResourceNotFoundException");
  assert.equal(res.headers.get("x-amzn-errortype"), "ResourceNotFoundException");
  assert.equal(res.headers.get("access-control-allow-origin"), "*");
  const preflight = await fetch(t.url, { method: "OPTIONS", headers: { origin: "http://localhost:3000", "access-control-request-method": "POST" } });
  assert.equal(preflight.status, 200);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
});

test("well-known documents of an unknown pool and unknown paths are 404", async () => {
  assert.equal((await fetch(`${t.url}/us-east-1_NoSuchPoo/.well-known/jwks.json`)).status, 404);
  assert.equal((await fetch(`${t.url}/nothing/here`)).status, 404);
});

test("malformed input to every operation of both protocols gets a 4xx, never a 5xx, and the service keeps serving", async () => {
  const { userPoolId, clientId } = await createPoolAndClient(t.idp);
  const commandNames = (m: Record<string, unknown>) => Object.keys(m).filter((k) => k.endsWith("Command") && k !== "Command").map((k) => k.slice(0, -"Command".length));
  const targets = [
    ...new Set([...commandNames(identityProviderModel), ...UNSIGNED_IDENTITY_PROVIDER_OPERATIONS]).values(),
  ].map((op) => `AWSCognitoIdentityProviderService.${op}`)
    .concat(commandNames(identityModel).map((op) => `AWSCognitoIdentityService.${op}`));
  const inputs = [
    {},
    { UserPoolId: 7, ClientId: [], Username: {}, AccessToken: true },
    { UserPoolId: userPoolId, ClientId: clientId, Username: "ghost", Password: "", AccessToken: "a.b.c", Token: "x", Session: "s" },
    { UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: "ghost", SRP_A: "zz" }, ChallengeName: "PASSWORD_VERIFIER", ChallengeResponses: { USERNAME: "ghost", PASSWORD_CLAIM_SIGNATURE: "!!", TIMESTAMP: "x" } },
    { UserPoolId: userPoolId, UserAttributes: [{ Name: "" }, null, 3], Filter: 'email ^= "', Limit: -1, MaxResults: 1e9, IdentityPoolId: "us-east-1:nope", Logins: { x: 1 }, IdentityId: 5 },
    { IdentityPoolId: null, IdentityPoolName: "x".repeat(500), AllowUnauthenticatedIdentities: "yes", CognitoIdentityProviders: "nope", Roles: [1] },
  ];
  const failures: string[] = [];
  for (const target of targets) {
    for (const input of inputs) {
      const res = await call(target, JSON.stringify(input));
      if (res.status >= 500) failures.push(`${target} ${JSON.stringify(input)} → ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  assert.deepEqual(failures, []);
  // (DeleteUserPool got the real pool id above, so the pool itself is gone; the service must still answer.)
  const alive = await call("AWSCognitoIdentityProviderService.ListUserPools", JSON.stringify({ MaxResults: 10 }));
  assert.equal(alive.status, 200);
  assert.ok(targets.length > 100, `swept ${targets.length} operations`);
});

test("odd request targets and percent-encoding get a 4xx, not a 5xx", async () => {
  const { request } = await import("node:http");
  const port = new URL(t.url).port;
  for (const target of ["//[", "http://[/x", "//:99999/"]) {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, method: "GET", path: target }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    assert.ok(status >= 400 && status < 500, `${target} → ${status}`);
  }
  assert.equal((await fetch(`${t.url}/%E0/.well-known/jwks.json`)).status, 404);
});

test("MaxResults must be a whole number", async () => {
  const pools = await call("AWSCognitoIdentityProviderService.ListUserPools", JSON.stringify({ MaxResults: 1.5 }));
  assert.equal(pools.status, 400);
  assert.equal(pools.body.__type, "InvalidParameterException");
  const { userPoolId } = await createPoolAndClient(t.idp);
  const clients = await call("AWSCognitoIdentityProviderService.ListUserPoolClients", JSON.stringify({ UserPoolId: userPoolId, MaxResults: 1.5 }));
  assert.equal(clients.body.__type, "InvalidParameterException");
});

test("a web page from elsewhere cannot make admin calls; user-facing calls stay open to browsers", async () => {
  const admin = await call("AWSCognitoIdentityProviderService.ListUserPools", JSON.stringify({ MaxResults: 10 }), { origin: "https://evil.example" });
  assert.equal(admin.status, 403);
  assert.equal(admin.body.__type, "AccessDeniedException");
  const local = await call("AWSCognitoIdentityProviderService.ListUserPools", JSON.stringify({ MaxResults: 10 }), { origin: "http://localhost:3000" });
  assert.equal(local.status, 200);
  // The origin's host is parsed: names that merely start like a loopback address are someone else's.
  for (const origin of ["http://127.evil.example", "http://127.0.0.1.evil.example", "http://127.0.0.1.nip.io:8080", "http://localhost.evil.example"]) {
    const lookalike = await call("AWSCognitoIdentityProviderService.ListUserPools", JSON.stringify({ MaxResults: 10 }), { origin });
    assert.equal(lookalike.status, 403, origin);
    assert.equal(lookalike.body.__type, "AccessDeniedException", origin);
  }
  for (const origin of ["http://127.0.0.1:5173", "http://127.1.2.3", "http://[::1]:3000", "http://app.localhost:3000"]) {
    assert.equal((await call("AWSCognitoIdentityProviderService.ListUserPools", JSON.stringify({ MaxResults: 10 }), { origin })).status, 200, origin);
  }
  const publicOp = await call("AWSCognitoIdentityProviderService.SignUp", JSON.stringify({ ClientId: "nope", Username: "a", Password: "b" }), { origin: "https://app.example" });
  assert.equal(publicOp.body.__type, "ResourceNotFoundException");
});
