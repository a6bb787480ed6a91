// Client secrets and GetClientToken through the AWS SDK v3: AddUserPoolClientSecret (generated or given, at most two),
// ListUserPoolClientSecrets (never the values), DeleteUserPoolClientSecret (never the last one); every active secret
// works in SECRET_HASH and at the token endpoint until deleted; GetClientToken issues the client_credentials token for
// a client with ALLOW_CLIENT_TOKEN_AUTH, and the flow's rules on Create/UpdateUserPoolClient.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import {
  AddUserPoolClientSecretCommand, AdminCreateUserCommand, AdminSetUserPasswordCommand, CreateUserPoolClientCommand, DeleteUserPoolClientSecretCommand,
  DescribeUserPoolClientCommand, GetClientTokenCommand, InitiateAuthCommand, ListUserPoolClientSecretsCommand, UpdateUserPoolClientCommand,
  type ExplicitAuthFlowsType,
} from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "../../lib/service/tokens";
import { startTestService, type TestService } from "../support/local-service";
import { rejectsWithAwsError } from "../support/aws-errors";
import { createOAuthPool, type OAuthPool } from "../support/oauth-pool";

const CLIENT_TOKEN_AUTH = "ALLOW_CLIENT_TOKEN_AUTH" as ExplicitAuthFlowsType;
const PASSWORD = "Rotate-2025!";

describe("client secrets and GetClientToken", () => {
  let t: TestService;
  let p: OAuthPool;
  before(async () => {
    t = await startTestService();
    p = await createOAuthPool(t.idp, t.url, "secrets");
  });
  after(() => t.stop());

  const tokenWith = (clientId: string, secret: string) => fetch(`${p.base}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}` },
    body: new URLSearchParams({ grant_type: "client_credentials" }).toString(),
  });

  it("adds, lists and deletes secrets; each works at the token endpoint until deleted", async () => {
    const { machineClientId: clientId, machineClientSecret: original, userPoolId } = p;
    const listed = await t.idp.send(new ListUserPoolClientSecretsCommand({ UserPoolId: userPoolId, ClientId: clientId }));
    assert.equal(listed.ClientSecrets?.length, 1);
    const originalId = listed.ClientSecrets![0].ClientSecretId!;
    assert.ok(originalId.startsWith(`${clientId}--`));
    assert.equal(listed.ClientSecrets![0].ClientSecretValue, undefined);

    const added = (await t.idp.send(new AddUserPoolClientSecretCommand({ UserPoolId: userPoolId, ClientId: clientId }))).ClientSecretDescriptor!;
    assert.match(added.ClientSecretValue!, /^[a-z0-9]{51}$/);
    assert.ok(added.ClientSecretCreateDate instanceof Date);
    assert.notEqual(added.ClientSecretId, originalId);
    const both = await t.idp.send(new ListUserPoolClientSecretsCommand({ UserPoolId: userPoolId, ClientId: clientId }));
    assert.deepEqual(both.ClientSecrets!.map((s) => s.ClientSecretId), [originalId, added.ClientSecretId]);
    assert.ok(both.ClientSecrets!.every((s) => s.ClientSecretValue === undefined));
    assert.equal((await tokenWith(clientId, original)).status, 200);
    assert.equal((await tokenWith(clientId, added.ClientSecretValue!)).status, 200);

    await rejectsWithAwsError(t.idp.send(new AddUserPoolClientSecretCommand({ UserPoolId: userPoolId, ClientId: clientId })), "LimitExceededException");
    await rejectsWithAwsError(t.idp.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: userPoolId, ClientId: clientId, ClientSecretId: `${clientId}--1` })), "ResourceNotFoundException");

    // Rotating out the original: DescribeUserPoolClient now shows the remaining secret, the old one is refused.
    await t.idp.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: userPoolId, ClientId: clientId, ClientSecretId: originalId }));
    assert.equal((await tokenWith(clientId, original)).status, 400);
    assert.equal((await tokenWith(clientId, added.ClientSecretValue!)).status, 200);
    assert.equal((await t.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }))).UserPoolClient?.ClientSecret, added.ClientSecretValue);
    await rejectsWithAwsError(t.idp.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: userPoolId, ClientId: clientId, ClientSecretId: added.ClientSecretId! })), "InvalidParameterException");
    assert.equal((await t.idp.send(new ListUserPoolClientSecretsCommand({ UserPoolId: userPoolId, ClientId: clientId }))).ClientSecrets?.length, 1);
  });

  it("takes a secret of the caller's choosing (not echoed), with AWS's constraints; a public client has none", async () => {
    const client = (await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: p.userPoolId, ClientName: "given", GenerateSecret: true }))).UserPoolClient!;
    const add = (ClientSecret?: string) => t.idp.send(new AddUserPoolClientSecretCommand({ UserPoolId: p.userPoolId, ClientId: client.ClientId!, ClientSecret }));
    await rejectsWithAwsError(add("short"), "InvalidParameterException", "1 validation error detected: Value at 'clientSecret' failed to satisfy constraint: Member must have length between 24 and 64");
    await rejectsWithAwsError(add("has spaces in it, which are not allowed"), "InvalidParameterException", /regular expression pattern/);
    const given = "my_own_secret_value_0123456789";
    const added = (await add(given)).ClientSecretDescriptor!;
    assert.equal(added.ClientSecretValue, undefined);
    assert.ok(added.ClientSecretId);
    const publicClient = (await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: p.userPoolId, ClientName: "spa" }))).UserPoolClient!;
    await rejectsWithAwsError(t.idp.send(new AddUserPoolClientSecretCommand({ UserPoolId: p.userPoolId, ClientId: publicClient.ClientId! })), "InvalidParameterException");
    await rejectsWithAwsError(t.idp.send(new ListUserPoolClientSecretsCommand({ UserPoolId: p.userPoolId, ClientId: "nope" })), "ResourceNotFoundException");
  });

  it("an added secret works in SECRET_HASH until deleted", async () => {
    const client = (await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: p.userPoolId, ClientName: "hash", GenerateSecret: true, ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }))).UserPoolClient!;
    await t.idp.send(new AdminCreateUserCommand({ UserPoolId: p.userPoolId, Username: "grace@example.com", MessageAction: "SUPPRESS" }));
    await t.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: p.userPoolId, Username: "grace@example.com", Password: PASSWORD, Permanent: true }));
    const added = (await t.idp.send(new AddUserPoolClientSecretCommand({ UserPoolId: p.userPoolId, ClientId: client.ClientId! }))).ClientSecretDescriptor!;
    const signIn = (secret: string) => t.idp.send(new InitiateAuthCommand({
      ClientId: client.ClientId!, AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "grace@example.com", PASSWORD, SECRET_HASH: createHmac("sha256", secret).update("grace@example.com" + client.ClientId).digest("base64") },
    }));
    assert.ok((await signIn(client.ClientSecret!)).AuthenticationResult?.AccessToken);
    assert.ok((await signIn(added.ClientSecretValue!)).AuthenticationResult?.AccessToken);
    await t.idp.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: p.userPoolId, ClientId: client.ClientId!, ClientSecretId: added.ClientSecretId! }));
    await rejectsWithAwsError(signIn(added.ClientSecretValue!), "NotAuthorizedException", `Unable to verify secret hash for client ${client.ClientId}`);
  });

  it("GetClientToken issues the token endpoint's machine-to-machine token", async () => {
    const client = (await t.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: p.userPoolId, ClientName: "m2m", GenerateSecret: true, ExplicitAuthFlows: [CLIENT_TOKEN_AUTH], AllowedOAuthScopes: ["orders/read", "orders/write"],
    }))).UserPoolClient!;
    assert.deepEqual(client.ExplicitAuthFlows, [CLIENT_TOKEN_AUTH]);
    const all = (await t.idp.send(new GetClientTokenCommand({ ClientId: client.ClientId!, Secret: client.ClientSecret! }))).ClientAuthenticationResult!;
    assert.equal(all.TokenType, "Bearer");
    assert.equal(all.ExpiresIn, 3600);
    const claims = decodeJwt(all.AccessToken!)!.claims;
    assert.deepEqual([claims.sub, claims.client_id, claims.token_use, claims.scope, claims.version], [client.ClientId, client.ClientId, "access", "orders/read orders/write", 2]);
    assert.equal(claims.iss, `https://cognito-idp.us-east-1.amazonaws.com/${p.userPoolId}`);
    const one = (await t.idp.send(new GetClientTokenCommand({ ClientId: client.ClientId!, Secret: client.ClientSecret!, Scopes: ["orders/read"], ClientMetadata: { k: "v" } }))).ClientAuthenticationResult!;
    assert.equal(decodeJwt(one.AccessToken!)!.claims.scope, "orders/read");
    // The same claims as the token endpoint's client_credentials token (the machine client of the pool).
    const viaEndpoint = (await (await tokenWith(p.machineClientId, (await t.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: p.userPoolId, ClientId: p.machineClientId }))).UserPoolClient!.ClientSecret!)).json()) as { access_token: string };
    assert.deepEqual(Object.keys(decodeJwt(viaEndpoint.access_token)!.claims).sort(), Object.keys(claims).sort());

    await rejectsWithAwsError(t.idp.send(new GetClientTokenCommand({ ClientId: client.ClientId!, Secret: "wrong" })), "NotAuthorizedException", `Unable to verify secret for client ${client.ClientId}`);
    await rejectsWithAwsError(t.idp.send(new GetClientTokenCommand({ ClientId: client.ClientId!, Secret: client.ClientSecret!, Scopes: ["openid"] })), "InvalidParameterException");
    await rejectsWithAwsError(t.idp.send(new GetClientTokenCommand({ ClientId: "nope", Secret: "x" })), "ResourceNotFoundException");
    // A client without the flow is refused, even with its secret.
    const other = (await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: p.userPoolId, ClientName: "no-flow", GenerateSecret: true, AllowedOAuthScopes: ["orders/read"] }))).UserPoolClient!;
    await rejectsWithAwsError(t.idp.send(new GetClientTokenCommand({ ClientId: other.ClientId!, Secret: other.ClientSecret! })), "InvalidParameterException", "Auth flow not enabled for this client");
    // An added secret works too.
    const added = (await t.idp.send(new AddUserPoolClientSecretCommand({ UserPoolId: p.userPoolId, ClientId: client.ClientId! }))).ClientSecretDescriptor!;
    assert.ok((await t.idp.send(new GetClientTokenCommand({ ClientId: client.ClientId!, Secret: added.ClientSecretValue! }))).ClientAuthenticationResult?.AccessToken);
  });

  it("ALLOW_CLIENT_TOKEN_AUTH needs a secret and no other flow", async () => {
    await rejectsWithAwsError(t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: p.userPoolId, ClientName: "x", ExplicitAuthFlows: [CLIENT_TOKEN_AUTH] })), "InvalidParameterException");
    await rejectsWithAwsError(t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: p.userPoolId, ClientName: "x", GenerateSecret: true, ExplicitAuthFlows: [CLIENT_TOKEN_AUTH, "ALLOW_REFRESH_TOKEN_AUTH"] })), "InvalidParameterException");
    const publicClient = (await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: p.userPoolId, ClientName: "spa2" }))).UserPoolClient!;
    await rejectsWithAwsError(t.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: p.userPoolId, ClientId: publicClient.ClientId!, ExplicitAuthFlows: [CLIENT_TOKEN_AUTH] })), "InvalidParameterException");
    assert.notDeepEqual((await t.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: p.userPoolId, ClientId: publicClient.ClientId! }))).UserPoolClient?.ExplicitAuthFlows, [CLIENT_TOKEN_AUTH]);
  });
});
