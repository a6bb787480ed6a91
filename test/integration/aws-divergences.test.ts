// Five behaviours that differed from AWS (found by running moto's test suite with boto3), and AdminDeleteSoftwareToken,
// through the AWS SDK v3: ForgotPassword in an admin_only pool and for an unknown user; ReadAttributes/WriteAttributes
// naming the pool's attributes; CloudFront names of prefix and custom domains; ProviderName's length error.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import {
  AdminCreateUserCommand, AdminDeleteSoftwareTokenCommand, AdminGetUserCommand, AdminInitiateAuthCommand, AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand, CreateIdentityProviderCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, CreateUserPoolDomainCommand,
  DescribeUserPoolClientCommand, DescribeUserPoolDomainCommand, ForgotPasswordCommand, SetUserMFAPreferenceCommand, SetUserPoolMfaConfigCommand,
  UpdateUserPoolClientCommand, UpdateUserPoolDomainCommand, VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { currentTotpCode } from "../../lib/service/totp";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";
import { rejectsWithAwsError } from "../support/aws-errors";

const PASSWORD = "Divergent-2025!";
const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";

describe("divergences from AWS", () => {
  let t: TestService;
  before(async () => (t = await startTestService()));
  after(() => t.stop());

  const userWithEmail = async (userPoolId: string, username: string) => {
    await t.idp.send(new AdminCreateUserCommand({
      UserPoolId: userPoolId, Username: username, MessageAction: "SUPPRESS",
      UserAttributes: [{ Name: "email", Value: `${username}@example.com` }, { Name: "email_verified", Value: "true" }],
    }));
    await t.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: PASSWORD, Permanent: true }));
  };

  it("ForgotPassword in an admin_only pool sends no code and answers as AWS does", async () => {
    const { userPoolId, clientId } = await createPoolAndClient(t.idp, { AccountRecoverySetting: { RecoveryMechanisms: [{ Name: "admin_only", Priority: 1 }] } });
    await userWithEmail(userPoolId, "ada");
    await rejectsWithAwsError(t.idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "ada" })), "NotAuthorizedException", "Contact administrator to reset password.");
    await assert.rejects(t.latestCode(userPoolId, "ada", "FORGOT_PASSWORD"), /no code delivered/);
    assert.equal((await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "ada" }))).UserStatus, "CONFIRMED");
    // A pool recovering by verified email sends the code.
    const other = await createPoolAndClient(t.idp, { AccountRecoverySetting: { RecoveryMechanisms: [{ Name: "verified_email", Priority: 1 }, { Name: "verified_phone_number", Priority: 2 }] } });
    await userWithEmail(other.userPoolId, "bob");
    assert.equal((await t.idp.send(new ForgotPasswordCommand({ ClientId: other.clientId, Username: "bob" }))).CodeDeliveryDetails?.DeliveryMedium, "EMAIL");
    assert.match(await t.latestCode(other.userPoolId, "bob", "FORGOT_PASSWORD"), /^\d{6}$/);
  });

  it("ForgotPassword for an unknown user, without existence hiding: Username/client id combination not found.", async () => {
    const { clientId } = await createPoolAndClient(t.idp, {}, { PreventUserExistenceErrors: "LEGACY" });
    await rejectsWithAwsError(t.idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "nobody" })), "UserNotFoundException", "Username/client id combination not found.");
  });

  it("ReadAttributes and WriteAttributes must name attributes of the pool", async () => {
    const userPoolId = (await t.idp.send(new CreateUserPoolCommand({
      PoolName: "attrs", Schema: [{ Name: "tenant", AttributeDataType: "String", Mutable: true }, { Name: "email", AttributeDataType: "String", Required: true, Mutable: true }],
    }))).UserPool!.Id!;
    const create = (input: Record<string, unknown>) => t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "c", ...input }));
    await rejectsWithAwsError(create({ ReadAttributes: ["email", "custom:missing"] }), "InvalidParameterException", "Invalid read attributes specified while creating a client");
    await rejectsWithAwsError(create({ WriteAttributes: ["email", "favourite_colour"] }), "InvalidParameterException", "Invalid write attributes specified while creating a client");
    await rejectsWithAwsError(create({ WriteAttributes: ["name"] }), "InvalidParameterException", "Invalid write attributes specified while creating a client"); // email is required
    await rejectsWithAwsError(create({ WriteAttributes: ["email", "sub"] }), "InvalidParameterException", "Invalid write attributes specified while creating a client");
    const client = (await create({ ReadAttributes: ["email", "email_verified", "custom:tenant"], WriteAttributes: ["email", "custom:tenant"] })).UserPoolClient!;
    assert.deepEqual(client.ReadAttributes, ["email", "email_verified", "custom:tenant"]);
    const update = (input: Record<string, unknown>) => t.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: client.ClientId!, ...input }));
    await rejectsWithAwsError(update({ ReadAttributes: ["custom:nope"] }), "InvalidParameterException", "Invalid read attributes specified while updating a client");
    await rejectsWithAwsError(update({ WriteAttributes: ["email", "custom:nope"] }), "InvalidParameterException", "Invalid write attributes specified while updating a client");
    assert.deepEqual((await t.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: client.ClientId! }))).UserPoolClient?.WriteAttributes, ["email", "custom:tenant"]);
  });

  it("a prefix domain answers no CloudFrontDomain; a custom domain and DescribeUserPoolDomain a CloudFront distribution", async () => {
    const prefixPool = (await t.idp.send(new CreateUserPoolCommand({ PoolName: "prefix" }))).UserPool!.Id!;
    const prefix = await t.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: prefixPool, Domain: "diverge-prefix" }));
    assert.equal(prefix.CloudFrontDomain, undefined);
    assert.equal((await t.idp.send(new UpdateUserPoolDomainCommand({ UserPoolId: prefixPool, Domain: "diverge-prefix" }))).CloudFrontDomain, undefined);
    const prefixDescription = (await t.idp.send(new DescribeUserPoolDomainCommand({ Domain: "diverge-prefix" }))).DomainDescription!;
    assert.match(prefixDescription.CloudFrontDistribution!, /^d[a-z0-9]{13}\.cloudfront\.net$/);
    assert.equal(prefixDescription.CustomDomainConfig, undefined);

    const customPool = (await t.idp.send(new CreateUserPoolCommand({ PoolName: "custom" }))).UserPool!.Id!;
    const custom = await t.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: customPool, Domain: "auth.example.com", CustomDomainConfig: { CertificateArn: CERTIFICATE } }));
    assert.match(custom.CloudFrontDomain!, /^d[a-z0-9]{13}\.cloudfront\.net$/);
    const described = (await t.idp.send(new DescribeUserPoolDomainCommand({ Domain: "auth.example.com" }))).DomainDescription!;
    assert.equal(described.CloudFrontDistribution, custom.CloudFrontDomain);
    assert.deepEqual(described.CustomDomainConfig, { CertificateArn: CERTIFICATE });
    assert.notEqual(described.CloudFrontDistribution, prefixDescription.CloudFrontDistribution);
    const other = CERTIFICATE.replace("11111", "22222");
    const updated = await t.idp.send(new UpdateUserPoolDomainCommand({ UserPoolId: customPool, Domain: "auth.example.com", CustomDomainConfig: { CertificateArn: other } }));
    assert.equal(updated.CloudFrontDomain, custom.CloudFrontDomain);
    assert.deepEqual((await t.idp.send(new DescribeUserPoolDomainCommand({ Domain: "auth.example.com" }))).DomainDescription?.CustomDomainConfig, { CertificateArn: other });
    await rejectsWithAwsError(t.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: prefixPool, Domain: "x.example.com", CustomDomainConfig: { CertificateArn: "not-an-arn" } })), "InvalidParameterException", /customDomainConfig.certificateArn/);
  });

  it("CreateIdentityProvider with a name over 32 characters: a length error", async () => {
    const userPoolId = (await t.idp.send(new CreateUserPoolCommand({ PoolName: "idp" }))).UserPool!.Id!;
    const name = "P".repeat(33);
    await rejectsWithAwsError(
      t.idp.send(new CreateIdentityProviderCommand({ UserPoolId: userPoolId, ProviderName: name, ProviderType: "OIDC", ProviderDetails: {} })),
      "InvalidParameterException",
      `1 validation error detected: Value '${name}' at 'providerName' failed to satisfy constraint: Member must have length less than or equal to 32`,
    );
  });
});

describe("AdminDeleteSoftwareToken", () => {
  let t: TestService;
  before(async () => (t = await startTestService()));
  after(() => t.stop());

  it("removes the user's TOTP factor and its MFA preference", async () => {
    const { userPoolId, clientId } = await createPoolAndClient(t.idp);
    await t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: "OPTIONAL", SoftwareTokenMfaConfiguration: { Enabled: true } }));
    await t.idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "tess", MessageAction: "SUPPRESS" }));
    await t.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: "tess", Password: PASSWORD, Permanent: true }));
    const signIn = () => t.idp.send(new AdminInitiateAuthCommand({ UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "tess", PASSWORD } }));
    await rejectsWithAwsError(t.idp.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: userPoolId, Username: "tess" })), "ResourceNotFoundException");

    const accessToken = (await signIn()).AuthenticationResult!.AccessToken!;
    const secret = (await t.idp.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }))).SecretCode!;
    await t.idp.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: currentTotpCode(secret) }));
    await t.idp.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    assert.equal((await signIn()).ChallengeName, "SOFTWARE_TOKEN_MFA");
    assert.equal((await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "tess" }))).PreferredMfaSetting, "SOFTWARE_TOKEN_MFA");

    await t.idp.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: userPoolId, Username: "tess" }));
    const user = await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "tess" }));
    assert.equal(user.PreferredMfaSetting, undefined);
    assert.ok(!(user.UserMFASettingList ?? []).includes("SOFTWARE_TOKEN_MFA"));
    assert.ok((await signIn()).AuthenticationResult?.AccessToken);
    await rejectsWithAwsError(t.idp.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: userPoolId, Username: "tess" })), "ResourceNotFoundException");
    await rejectsWithAwsError(t.idp.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: userPoolId, Username: "nobody" })), "UserNotFoundException");
    // A new authenticator can be associated afterwards.
    const fresh = (await signIn()).AuthenticationResult!.AccessToken!;
    assert.ok((await t.idp.send(new AssociateSoftwareTokenCommand({ AccessToken: fresh }))).SecretCode);
  });
});
