// Integration tests of user pools, app clients and domains through the AWS SDK: create, describe, update, delete,
// stable paging (a deletion between pages neither repeats nor skips), client secrets and token lifetimes, MFA config,
// password policies as SDKs that omit `false` send them, user-pool tags, deletion protection, the region of a signed
// request deciding ids and ARNs, Boolean attributes in any case, and lookup tables that client input cannot trick.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand, DeleteUserPoolClientCommand, DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand, DescribeUserPoolClientCommand, DescribeUserPoolCommand, DescribeUserPoolDomainCommand, GetUserPoolMfaConfigCommand,
  ListUserPoolClientsCommand, ListUserPoolsCommand, SetUserPoolMfaConfigCommand, UpdateUserPoolClientCommand, UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  AdminCreateUserCommand, AdminGetUserCommand, AdminInitiateAuthCommand, AdminSetUserPasswordCommand, AdminUpdateUserAttributesCommand, CognitoIdentityProviderClient,
  ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoIdentityClient, CreateIdentityPoolCommand, DescribeIdentityPoolCommand, GetIdCommand } from "@aws-sdk/client-cognito-identity";
import { rejectsWithAwsError } from "../support/aws-errors";
import { createPoolAndClient, startTestService, TEST_CREDENTIALS, type TestService } from "../support/local-service";

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
  assert.equal(created.CloudFrontDomain, undefined); // a prefix domain answers none, as on AWS
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

test("password policy: members an SDK leaves out (false booleans) read back as false; no policy means AWS's default", async () => {
  const raw = async (target: string, body: unknown) => {
    // Sent as the Go SDK (the Terraform provider) sends it: `false` booleans are omitted.
    const res = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${target}`, authorization: "AWS4-HMAC-SHA256 Credential=AKIALOCALTEST/20260101/eu-central-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00" },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as { UserPool: { Id: string; Policies: { PasswordPolicy: Record<string, unknown> } } };
  };
  const created = await raw("CreateUserPool", { PoolName: "go-sdk", Policies: { PasswordPolicy: { MinimumLength: 10, RequireLowercase: true, RequireNumbers: true, RequireUppercase: true, TemporaryPasswordValidityDays: 3 } } });
  assert.deepEqual(created.UserPool.Policies.PasswordPolicy, { MinimumLength: 10, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: false, TemporaryPasswordValidityDays: 3 });
  const described = (await t.idp.send(new DescribeUserPoolCommand({ UserPoolId: created.UserPool.Id }))).UserPool!;
  assert.equal(described.Policies?.PasswordPolicy?.RequireSymbols, false);
  const plain = (await t.idp.send(new CreateUserPoolCommand({ PoolName: "default-policy" }))).UserPool!;
  assert.deepEqual(plain.Policies?.PasswordPolicy, { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7 });
  // The pool enforces what it reports: a password without a symbol is good enough now.
  const { userPoolId } = await createPoolAndClient(t.idp, { Policies: { PasswordPolicy: { MinimumLength: 8, RequireNumbers: true } } });
  await t.idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "nosymbol", TemporaryPassword: "plainpass1", MessageAction: "SUPPRESS" }));
  await rejectsWithAwsError(t.idp.send(new CreateUserPoolCommand({ PoolName: "x", Policies: { PasswordPolicy: { MinimumLength: 5 } } })), "InvalidParameterException");
});

test("user-pool tags: UserPoolTags on create, TagResource, UntagResource, ListTagsForResource, with AWS's checks", async () => {
  const pool = (await t.idp.send(new CreateUserPoolCommand({ PoolName: "tagged", UserPoolTags: { team: "wing", "cost-center": "42" } }))).UserPool!;
  assert.deepEqual(pool.UserPoolTags, { team: "wing", "cost-center": "42" });
  const ResourceArn = pool.Arn!;
  assert.deepEqual((await t.idp.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags, { team: "wing", "cost-center": "42" });
  await t.idp.send(new TagResourceCommand({ ResourceArn, Tags: { env: "test", team: "cognito" } }));
  await t.idp.send(new UntagResourceCommand({ ResourceArn, TagKeys: ["cost-center", "absent"] }));
  assert.deepEqual((await t.idp.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags, { team: "cognito", env: "test" });
  assert.deepEqual((await t.idp.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id! }))).UserPool!.UserPoolTags, { team: "cognito", env: "test" });
  // UpdateUserPool replaces the tags it is given.
  await t.idp.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id!, UserPoolTags: { only: "this" } }));
  assert.deepEqual((await t.idp.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags, { only: "this" });

  await rejectsWithAwsError(t.idp.send(new TagResourceCommand({ ResourceArn, Tags: { "aws:reserved": "x" } })), "InvalidParameterException");
  await rejectsWithAwsError(t.idp.send(new TagResourceCommand({ ResourceArn, Tags: { ["k".repeat(129)]: "x" } })), "InvalidParameterException");
  await rejectsWithAwsError(t.idp.send(new TagResourceCommand({ ResourceArn, Tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) })), "InvalidParameterException");
  await rejectsWithAwsError(t.idp.send(new CreateUserPoolCommand({ PoolName: "x", UserPoolTags: { nested: { deep: "x" } as unknown as string } })), "InvalidParameterException");
  await rejectsWithAwsError(t.idp.send(new ListTagsForResourceCommand({ ResourceArn: "not-an-arn" })), "InvalidParameterException");
  const missing = ResourceArn.replace(/_[0-9A-Za-z]+$/, "_000000000");
  await rejectsWithAwsError(t.idp.send(new ListTagsForResourceCommand({ ResourceArn: missing })), "ResourceNotFoundException");
});

test("deletion protection: an ACTIVE pool is not deleted until it is made INACTIVE", async () => {
  const pool = (await t.idp.send(new CreateUserPoolCommand({ PoolName: "protected", DeletionProtection: "ACTIVE" }))).UserPool!;
  assert.equal(pool.DeletionProtection, "ACTIVE");
  await rejectsWithAwsError(t.idp.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id! })), "InvalidParameterException");
  await t.idp.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id!, DeletionProtection: "INACTIVE" }));
  await t.idp.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id! }));
  const plain = (await t.idp.send(new CreateUserPoolCommand({ PoolName: "unprotected" }))).UserPool!;
  assert.equal(plain.DeletionProtection, "INACTIVE");
  await rejectsWithAwsError(t.idp.send(new CreateUserPoolCommand({ PoolName: "x", DeletionProtection: "MAYBE" as "ACTIVE" })), "InvalidParameterException");
});

test("region: the signing region decides ids and ARNs; the service's region is the default; ARNs share one account id", async () => {
  const other = { endpoint: t.url, region: "ap-southeast-2", credentials: TEST_CREDENTIALS };
  const idp = new CognitoIdentityProviderClient(other);
  const identity = new CognitoIdentityClient(other);
  try {
    const pool = (await idp.send(new CreateUserPoolCommand({ PoolName: "sydney" }))).UserPool!;
    assert.match(pool.Id!, /^ap-southeast-2_[0-9A-Za-z]{9}$/);
    assert.equal(pool.Arn, `arn:aws:cognito-idp:ap-southeast-2:000000000000:userpool/${pool.Id}`);
    const domain = await t.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: pool.Id!, Domain: "sydney-auth" }));
    assert.equal(domain.CloudFrontDomain, undefined);
    assert.equal((await t.idp.send(new DescribeUserPoolDomainCommand({ Domain: "sydney-auth" }))).DomainDescription?.AWSAccountId, "000000000000");
    const home = (await t.idp.send(new CreateUserPoolCommand({ PoolName: "frankfurt" }))).UserPool!;
    assert.match(home.Id!, /^eu-central-1_/);

    // Tokens name the pool's own region, whoever asks (the unsigned sign-in here goes out with the default region).
    const client = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId: pool.Id!, ClientName: "c", ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }))).UserPoolClient!;
    await idp.send(new AdminCreateUserCommand({ UserPoolId: pool.Id!, Username: "kim", TemporaryPassword: "Temp-Passw0rd!", MessageAction: "SUPPRESS" }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.Id!, Username: "kim", Password: "Final-Passw0rd!", Permanent: true }));
    const auth = await t.idp.send(new AdminInitiateAuthCommand({ UserPoolId: pool.Id!, ClientId: client.ClientId!, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "kim", PASSWORD: "Final-Passw0rd!" } }));
    const claims = JSON.parse(Buffer.from(auth.AuthenticationResult!.IdToken!.split(".")[1], "base64url").toString()) as { iss: string };
    assert.equal(claims.iss, `https://cognito-idp.ap-southeast-2.amazonaws.com/${pool.Id}`);

    // Identity pools and their identities too; an identity's region is its pool's, even from an unsigned GetId.
    const ip = await identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: "sydney", AllowUnauthenticatedIdentities: true }));
    assert.match(ip.IdentityPoolId!, /^ap-southeast-2:[0-9a-f-]{36}$/);
    const id = await t.identity.send(new GetIdCommand({ IdentityPoolId: ip.IdentityPoolId }));
    assert.match(id.IdentityId!, /^ap-southeast-2:[0-9a-f-]{36}$/);
    assert.equal((await t.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: ip.IdentityPoolId }))).IdentityPoolName, "sydney");
  } finally {
    idp.destroy();
    identity.destroy();
  }
});

test("email_verified and phone_number_verified take True/False in any case, stored as true/false", async () => {
  const { userPoolId } = await createPoolAndClient(t.idp);
  await t.idp.send(new AdminCreateUserCommand({
    UserPoolId: userPoolId, Username: "casey", MessageAction: "SUPPRESS",
    UserAttributes: [{ Name: "email", Value: "casey@example.com" }, { Name: "email_verified", Value: "True" }, { Name: "phone_number", Value: "+15555550100" }, { Name: "phone_number_verified", Value: "FALSE" }],
  }));
  const attrs = async () => new Map((await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "casey" }))).UserAttributes!.map((a) => [a.Name!, a.Value!]));
  let got = await attrs();
  assert.equal(got.get("email_verified"), "true");
  assert.equal(got.get("phone_number_verified"), "false");
  await t.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: "casey", UserAttributes: [{ Name: "phone_number_verified", Value: "tRuE" }] }));
  got = await attrs();
  assert.equal(got.get("phone_number_verified"), "true");
  await rejectsWithAwsError(t.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: "casey", UserAttributes: [{ Name: "email_verified", Value: "yes" }] })), "InvalidParameterException");
});

test("lookup tables read own keys only: inherited names are refused like any unknown value", async () => {
  const { UserPool } = await t.idp.send(new CreateUserPoolCommand({ PoolName: "lookups" }));
  const UserPoolId = UserPool!.Id!;
  for (const unit of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
    for (const member of ["AccessToken", "IdToken", "RefreshToken"]) {
      await rejectsWithAwsError(t.idp.send(new CreateUserPoolClientCommand({ UserPoolId, ClientName: "c", TokenValidityUnits: { [member]: unit } as never })), "InvalidParameterException");
    }
  }
  await rejectsWithAwsError(
    t.idp.send(new AdminCreateUserCommand({ UserPoolId, Username: "u", DesiredDeliveryMediums: ["constructor" as "EMAIL"], UserAttributes: [{ Name: "email", Value: "u@example.com" }] })),
    "InvalidParameterException",
  );
  // A client that names no units reports none (the Terraform provider counts the block); one that does reports them.
  const plain = (await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId, ClientName: "plain" }))).UserPoolClient!;
  assert.equal(plain.TokenValidityUnits, undefined);
  assert.equal((await t.idp.send(new DescribeUserPoolClientCommand({ UserPoolId, ClientId: plain.ClientId }))).UserPoolClient!.TokenValidityUnits, undefined);
  const timed = (await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId, ClientName: "timed", RefreshTokenValidity: 60, TokenValidityUnits: { RefreshToken: "minutes" } }))).UserPoolClient!;
  assert.deepEqual(timed.TokenValidityUnits, { AccessToken: "hours", IdToken: "hours", RefreshToken: "minutes" });
  assert.equal(timed.RefreshTokenValidity, 60);
});
