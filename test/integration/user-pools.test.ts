// Integration tests of user pools, app clients and domains through the AWS SDK: create, describe, update, delete,
// stable paging (a deletion between pages neither repeats nor skips), client secrets and token lifetimes, MFA config.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand, DeleteUserPoolClientCommand, DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand, DescribeUserPoolClientCommand, DescribeUserPoolCommand, DescribeUserPoolDomainCommand, GetUserPoolMfaConfigCommand,
  ListUserPoolClientsCommand, ListUserPoolsCommand, SetUserPoolMfaConfigCommand, UpdateUserPoolClientCommand, UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWithAwsError } from "../support/aws-errors";
import { startTestService, type TestService } from "../support/local-service";

let t: TestService;
before(async () => {
  t = await startTestService({ region: "eu-central-1" });
});
after(async () => {
  await t.stop();
});

test("pools: AWS-shaped ids, settings echoed, updates, paging that survives a deletion, delete", async () => {
  const ids: string[] = [];
  for (const name of ["a", "b", "c"]) {
    const created = await t.idp.send(new CreateUserPoolCommand({
      PoolName: name,
      UsernameAttributes: ["email"],
      AutoVerifiedAttributes: ["email"],
      Policies: { PasswordPolicy: { MinimumLength: 10, RequireSymbols: false } },
      Schema: [{ Name: "team", AttributeDataType: "String", Mutable: true }],
    }));
    assert.match(created.UserPool!.Id!, /^eu-central-1_[0-9A-Za-z]{9}$/);
    assert.equal(created.UserPool!.Arn, `arn:aws:cognito-idp:eu-central-1:000000000000:userpool/${created.UserPool!.Id}`);
    ids.push(created.UserPool!.Id!);
  }
  const described = (await t.idp.send(new DescribeUserPoolCommand({ UserPoolId: ids[0] }))).UserPool!;
  assert.deepEqual(described.UsernameAttributes, ["email"]);
  assert.equal(described.Policies?.PasswordPolicy?.MinimumLength, 10);
  assert.equal(described.Policies?.PasswordPolicy?.RequireSymbols, false);
  assert.ok(described.SchemaAttributes?.some((a) => a.Name === "custom:team"));
  assert.equal(described.SchemaAttributes?.filter((a) => a.Name === "email").length, 1);

  await t.idp.send(new UpdateUserPoolCommand({ UserPoolId: ids[0], MfaConfiguration: "OFF", Policies: { PasswordPolicy: { MinimumLength: 12 } } }));
  assert.equal((await t.idp.send(new DescribeUserPoolCommand({ UserPoolId: ids[0] }))).UserPool!.Policies?.PasswordPolicy?.MinimumLength, 12);

  const first = await t.idp.send(new ListUserPoolsCommand({ MaxResults: 2 }));
  assert.equal(first.UserPools?.length, 2);
  assert.ok(first.NextToken);
  const deleted = first.UserPools![1].Id!;
  await t.idp.send(new DeleteUserPoolCommand({ UserPoolId: deleted }));
  const second = await t.idp.send(new ListUserPoolsCommand({ MaxResults: 2, NextToken: first.NextToken }));
  const seen = first.UserPools!.map((p) => p.Name!);
  assert.deepEqual(second.UserPools?.map((p) => p.Name), ["a", "b", "c"].filter((name) => !seen.includes(name)));
  assert.equal(second.NextToken, undefined);
  await rejectsWithAwsError(t.idp.send(new ListUserPoolsCommand({ MaxResults: 2, NextToken: "garbage" })), "InvalidParameterException");
  await rejectsWithAwsError(t.idp.send(new DescribeUserPoolCommand({ UserPoolId: deleted })), "ResourceNotFoundException", `User pool ${deleted} does not exist.`);
});

test("clients: 26-character ids, secrets on request, lifetimes, updates, paging and delete", async () => {
  const { UserPool } = await t.idp.send(new CreateUserPoolCommand({ PoolName: "clients" }));
  const UserPoolId = UserPool!.Id!;
  const withSecret = (await t.idp.send(new CreateUserPoolClientCommand({
    UserPoolId, ClientName: "server", GenerateSecret: true, AccessTokenValidity: 30, TokenValidityUnits: { AccessToken: "minutes" },
  }))).UserPoolClient!;
  assert.match(withSecret.ClientId!, /^[a-z0-9]{26}$/);
  assert.equal(withSecret.ClientSecret?.length, 51);
  assert.equal(withSecret.AccessTokenValidity, 30);
  assert.equal(withSecret.PreventUserExistenceErrors, "LEGACY");
  const web = (await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId, ClientName: "web", ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }))).UserPoolClient!;
  assert.equal(web.ClientSecret, undefined);
  await rejectsWithAwsError(t.idp.send(new CreateUserPoolClientCommand({ UserPoolId, ClientName: "bad", AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: "days" } })), "InvalidParameterException");

  const updated = (await t.idp.send(new UpdateUserPoolClientCommand({ UserPoolId, ClientId: web.ClientId, ClientName: "web2", PreventUserExistenceErrors: "ENABLED" }))).UserPoolClient!;
  assert.equal(updated.ClientName, "web2");
  assert.equal((await t.idp.send(new DescribeUserPoolClientCommand({ UserPoolId, ClientId: web.ClientId }))).UserPoolClient?.PreventUserExistenceErrors, "ENABLED");

  const page1 = await t.idp.send(new ListUserPoolClientsCommand({ UserPoolId, MaxResults: 1 }));
  const page2 = await t.idp.send(new ListUserPoolClientsCommand({ UserPoolId, MaxResults: 1, NextToken: page1.NextToken }));
  assert.deepEqual([...page1.UserPoolClients!, ...page2.UserPoolClients!].map((c) => c.ClientId).sort(), [withSecret.ClientId, web.ClientId].sort());
  assert.equal(page2.NextToken, undefined);

  await t.idp.send(new DeleteUserPoolClientCommand({ UserPoolId, ClientId: web.ClientId }));
  await rejectsWithAwsError(t.idp.send(new DescribeUserPoolClientCommand({ UserPoolId, ClientId: web.ClientId })), "ResourceNotFoundException", `User pool client ${web.ClientId} does not exist.`);
});

test("domains and MFA configuration", async () => {
  const { UserPool } = await t.idp.send(new CreateUserPoolCommand({ PoolName: "domains" }));
  const UserPoolId = UserPool!.Id!;
  const created = await t.idp.send(new CreateUserPoolDomainCommand({ UserPoolId, Domain: "my-app-auth" }));
  assert.equal(created.CloudFrontDomain, "my-app-auth.auth.eu-central-1.amazoncognito.com");
  assert.equal((await t.idp.send(new DescribeUserPoolDomainCommand({ Domain: "my-app-auth" }))).DomainDescription?.UserPoolId, UserPoolId);
  await rejectsWithAwsError(t.idp.send(new CreateUserPoolDomainCommand({ UserPoolId, Domain: "Not A Domain" })), "InvalidParameterException");
  await t.idp.send(new DeleteUserPoolDomainCommand({ UserPoolId, Domain: "my-app-auth" }));
  assert.deepEqual((await t.idp.send(new DescribeUserPoolDomainCommand({ Domain: "my-app-auth" }))).DomainDescription, {});

  await rejectsWithAwsError(t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId, MfaConfiguration: "ON" })), "InvalidParameterException");
  await t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId, MfaConfiguration: "OPTIONAL", SoftwareTokenMfaConfiguration: { Enabled: true } }));
  const mfa = await t.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId }));
  assert.equal(mfa.MfaConfiguration, "OPTIONAL");
  assert.equal(mfa.SoftwareTokenMfaConfiguration?.Enabled, true);
});
