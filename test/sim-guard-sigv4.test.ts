// Tests the AWS_IAM route guard (lib/sim-guard.ts) against the real local service: a request signed with
// credentials this identity pool issued passes; unsigned, altered, wrongly signed requests and credentials of
// another identity pool get 403. Pools are built by lib/sim-resource.ts's `createPools`, calls go through
// lib/client.ts, as in the simulator.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoIdentityClient } from "@aws-sdk/client-cognito-identity";
import { startCognitoService, type RunningCognitoService } from "../lib/service/index";
import { createPools, type SimPoolConfig } from "../lib/sim-resource";
import { _adminConfirmUser, _getCredentialsForIdentity, _getId, _signIn, _signUp, type CognitoConnection } from "../lib/client";
import { checkSigV4, type GuardedRequest } from "../lib/sim-guard";
import { signHeaders, type IdentityCredentials } from "./sigv4-signer";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-guard-sigv4-"));
let service: RunningCognitoService;
let conn: CognitoConnection;
let other: CognitoConnection;
let credentials: IdentityCredentials;
let otherCredentials: IdentityCredentials;

const config = (name: string): SimPoolConfig => ({
  name,
  region: "us-east-1",
  usernameAttributes: ["email"],
  autoVerifiedAttributes: ["email"],
  allowUnauthenticatedIdentities: false,
});

async function credentialsOf(c: CognitoConnection): Promise<IdentityCredentials> {
  const email = `iam-${c.identityPoolId.slice(-6)}@wing.cloud`;
  await _signUp(c, email, "Iam-Passw0rd!");
  await _adminConfirmUser(c, email);
  const { idToken } = await _signIn(c, email, "Iam-Passw0rd!");
  const identityId = await _getId(c, c.userPoolId, c.identityPoolId, idToken);
  return (await _getCredentialsForIdentity(c, idToken, identityId)) as unknown as IdentityCredentials;
}

before(async () => {
  service = await startCognitoService({ port: 0, dataDir, log: () => {} });
  const sdk = { region: "us-east-1", endpoint: service.url, credentials: { accessKeyId: "local", secretAccessKey: "local" } };
  const clients = { idp: new CognitoIdentityProviderClient(sdk), identity: new CognitoIdentityClient(sdk) };
  const connOf = (ids: { userPoolId: string; clientId: string; identityPoolId: string }): CognitoConnection => ({
    endpoint: service.url,
    region: "us-east-1",
    headerKey: "Authorization",
    ...ids,
  });
  conn = connOf(await createPools(clients, config("guarded")));
  other = connOf(await createPools(clients, config("other")));
  clients.idp.destroy();
  clients.identity.destroy();
  credentials = await credentialsOf(conn);
  otherCredentials = await credentialsOf(other);
});

after(async () => {
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
