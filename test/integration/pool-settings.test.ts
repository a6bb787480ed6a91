// Per-pool settings through the AWS SDK v3: UI customization (pool-wide and per client, CSS classes and logo checked),
// risk configuration (validated, per client falling back to the pool), GetSigningCertificate (a self-signed X.509
// certificate that node:crypto parses and verifies), and auth events of advanced security (sign-in results with their
// challenges, newest first, admin and user feedback), and email MFA (EmailMfaConfiguration, the EMAIL_OTP challenge).
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import {
  AdminConfirmSignUpCommand, AdminListUserAuthEventsCommand, AdminUpdateAuthEventFeedbackCommand, CreateUserPoolDomainCommand, DescribeRiskConfigurationCommand,
  GetSigningCertificateCommand, GetUICustomizationCommand, InitiateAuthCommand, SetRiskConfigurationCommand, SetUICustomizationCommand, SignUpCommand,
  UpdateAuthEventFeedbackCommand, UpdateUserPoolCommand, SetUserPoolMfaConfigCommand, GetUserPoolMfaConfigCommand, AdminSetUserMFAPreferenceCommand,
  RespondToAuthChallengeCommand, AdminGetUserCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";
import { rejectsWithAwsError } from "../support/aws-errors";

/** A 1x1 PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
const PASSWORD = "Settings-passw0rd!";

describe("pool settings", () => {
  let t: TestService;
  let UserPoolId: string;
  let ClientId: string;

  before(async () => {
    t = await startTestService();
    ({ userPoolId: UserPoolId, clientId: ClientId } = await createPoolAndClient(t.idp));
  });
  after(async () => {
    await t.stop();
  });

  test("UI customization needs a domain, checks CSS and image, and is read back per client or for ALL", async () => {
    const css = ".logo-customizable { max-width: 60%; }\n.submitButton-customizable:hover { background: #333; }";
    await rejectsWithAwsError(t.idp.send(new SetUICustomizationCommand({ UserPoolId, CSS: css })), "InvalidParameterException", /domain/);
    await t.idp.send(new CreateUserPoolDomainCommand({ UserPoolId, Domain: `settings-${Date.now()}` }));
    const empty = await t.idp.send(new GetUICustomizationCommand({ UserPoolId }));
    assert.deepEqual(empty.UICustomization, { UserPoolId, ClientId: "ALL" });

    const set = await t.idp.send(new SetUICustomizationCommand({ UserPoolId, CSS: css, ImageFile: PNG }));
    assert.equal(set.UICustomization?.ClientId, "ALL");
    assert.equal(set.UICustomization?.CSS, css);
    assert.ok(set.UICustomization?.CSSVersion);
    assert.ok(set.UICustomization?.CreationDate instanceof Date);
    assert.equal(set.UICustomization?.ImageUrl, `data:image/png;base64,${PNG.toString("base64")}`);
    // A client without its own customization gets the pool's.
    const forClient = await t.idp.send(new GetUICustomizationCommand({ UserPoolId, ClientId }));
    assert.equal(forClient.UICustomization?.CSS, css);
    const own = ".banner-customizable { background-color: white; }";
    await t.idp.send(new SetUICustomizationCommand({ UserPoolId, ClientId, CSS: own }));
    assert.equal((await t.idp.send(new GetUICustomizationCommand({ UserPoolId, ClientId }))).UICustomization?.CSS, own);
    assert.equal((await t.idp.send(new GetUICustomizationCommand({ UserPoolId }))).UICustomization?.CSS, css);

    await rejectsWithAwsError(t.idp.send(new SetUICustomizationCommand({ UserPoolId, CSS: "body { color: red; }" })), "InvalidParameterException", /body/);
    await rejectsWithAwsError(t.idp.send(new SetUICustomizationCommand({ UserPoolId, ImageFile: Buffer.from("GIF89a") })), "InvalidParameterException", /PNG or JPEG/);
    await rejectsWithAwsError(t.idp.send(new SetUICustomizationCommand({ UserPoolId, ClientId: "nosuchclient", CSS: own })), "ResourceNotFoundException");
  });

  test("risk configuration is validated, stored and described (a client falls back to the pool's)", async () => {
    const none = await t.idp.send(new DescribeRiskConfigurationCommand({ UserPoolId }));
    assert.deepEqual(none.RiskConfiguration, { UserPoolId });
    const set = await t.idp.send(new SetRiskConfigurationCommand({
      UserPoolId,
      CompromisedCredentialsRiskConfiguration: { EventFilter: ["SIGN_IN", "SIGN_UP"], Actions: { EventAction: "BLOCK" } },
      AccountTakeoverRiskConfiguration: {
        NotifyConfiguration: { SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/security@example.com", BlockEmail: { Subject: "Blocked" } },
        Actions: { HighAction: { Notify: true, EventAction: "BLOCK" }, MediumAction: { Notify: false, EventAction: "MFA_IF_CONFIGURED" } },
      },
      RiskExceptionConfiguration: { BlockedIPRangeList: ["192.0.2.0/24"], SkippedIPRangeList: ["10.0.0.0/8"] },
    }));
    assert.equal(set.RiskConfiguration?.CompromisedCredentialsRiskConfiguration?.Actions?.EventAction, "BLOCK");
    const described = await t.idp.send(new DescribeRiskConfigurationCommand({ UserPoolId }));
    assert.deepEqual(described.RiskConfiguration?.RiskExceptionConfiguration?.BlockedIPRangeList, ["192.0.2.0/24"]);
    assert.ok(described.RiskConfiguration?.LastModifiedDate instanceof Date);
    assert.equal((await t.idp.send(new DescribeRiskConfigurationCommand({ UserPoolId, ClientId }))).RiskConfiguration?.AccountTakeoverRiskConfiguration?.Actions?.HighAction?.EventAction, "BLOCK");
    await t.idp.send(new SetRiskConfigurationCommand({ UserPoolId, ClientId, CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: "NO_ACTION" } } }));
    const client = await t.idp.send(new DescribeRiskConfigurationCommand({ UserPoolId, ClientId }));
    assert.equal(client.RiskConfiguration?.ClientId, ClientId);
    assert.equal(client.RiskConfiguration?.CompromisedCredentialsRiskConfiguration?.Actions?.EventAction, "NO_ACTION");

    await rejectsWithAwsError(t.idp.send(new SetRiskConfigurationCommand({ UserPoolId, CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: "PANIC" as never } } })), "InvalidParameterException", /eventAction/);
    await rejectsWithAwsError(t.idp.send(new SetRiskConfigurationCommand({ UserPoolId, AccountTakeoverRiskConfiguration: { Actions: { LowAction: { Notify: true, EventAction: "NO_ACTION" } } } })), "InvalidParameterException", /NotifyConfiguration/);
    await rejectsWithAwsError(t.idp.send(new SetRiskConfigurationCommand({ UserPoolId, RiskExceptionConfiguration: { BlockedIPRangeList: ["300.1.1.1/8"] } })), "InvalidParameterException", /CIDR/);
  });

  test("GetSigningCertificate returns one self-signed X.509 certificate per pool", async () => {
    const [a, b] = await Promise.all([
      t.idp.send(new GetSigningCertificateCommand({ UserPoolId })),
      t.idp.send(new GetSigningCertificateCommand({ UserPoolId })),
    ]);
    assert.equal(a.Certificate, b.Certificate);
    const cert = new X509Certificate(Buffer.from(a.Certificate!, "base64"));
    assert.match(cert.subject, new RegExp(`CN=${UserPoolId}`));
    assert.ok(cert.verify(cert.publicKey), "self-signed signature verifies");
    assert.equal(cert.publicKey.asymmetricKeyType, "rsa");
    assert.ok(new Date(cert.validTo).getTime() > Date.now() + 9 * 365 * 24 * 3600 * 1000);
    assert.equal((await t.idp.send(new GetSigningCertificateCommand({ UserPoolId }))).Certificate, a.Certificate);
    await rejectsWithAwsError(t.idp.send(new GetSigningCertificateCommand({ UserPoolId: "us-east-1_nopool123" })), "ResourceNotFoundException");
  });

  test("auth events: recorded with advanced security, listed newest first, with admin and user feedback", async () => {
    const { userPoolId: pool, clientId } = await createPoolAndClient(t.idp);
    await t.idp.send(new SignUpCommand({ ClientId: clientId, Username: "audited", Password: PASSWORD }));
    await t.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: pool, Username: "audited" }));
    await rejectsWithAwsError(t.idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: pool, Username: "audited" })), "UserPoolAddOnNotEnabledException");

    await t.idp.send(new UpdateUserPoolCommand({ UserPoolId: pool, UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" } }));
    const signIn = (password: string) => t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "audited", PASSWORD: password } }));
    await rejectsWithAwsError(signIn("Wrong-passw0rd!"), "NotAuthorizedException");
    await signIn(PASSWORD);
    const listed = await t.idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: pool, Username: "audited" }));
    const events = listed.AuthEvents!;
    assert.equal(events.length, 2);
    assert.equal(events[0].EventType, "SignIn");
    assert.equal(events[0].EventResponse, "Pass");
    assert.deepEqual(events[0].ChallengeResponses, [{ ChallengeName: "Password", ChallengeResponse: "Success" }]);
    assert.equal(events[0].EventRisk?.RiskDecision, "NoRisk");
    assert.equal(events[1].EventResponse, "Fail");
    assert.deepEqual(events[1].ChallengeResponses, [{ ChallengeName: "Password", ChallengeResponse: "Failure" }]);
    assert.ok(events[0].CreationDate instanceof Date);

    await t.idp.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: pool, Username: "audited", EventId: events[1].EventId, FeedbackValue: "Invalid" }));
    const page = await t.idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: pool, Username: "audited", MaxResults: 1 }));
    assert.equal(page.AuthEvents?.[0].EventId, events[0].EventId);
    const rest = await t.idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: pool, Username: "audited", MaxResults: 1, NextToken: page.NextToken }));
    assert.equal(rest.AuthEvents?.[0].EventFeedback?.FeedbackValue, "Invalid");
    assert.equal(rest.AuthEvents?.[0].EventFeedback?.Provider, "Admin");

    // The user's feedback needs the event's token (delivered with the event, here to the log).
    const line = t.logs.find((l) => l.includes(`event=${events[0].EventId}`))!;
    const token = /feedbackToken=(\S+)/.exec(line)![1];
    await rejectsWithAwsError(t.idp.send(new UpdateAuthEventFeedbackCommand({ UserPoolId: pool, Username: "audited", EventId: events[0].EventId, FeedbackToken: "forged", FeedbackValue: "Valid" })), "NotAuthorizedException");
    await t.idp.send(new UpdateAuthEventFeedbackCommand({ UserPoolId: pool, Username: "audited", EventId: events[0].EventId, FeedbackToken: token, FeedbackValue: "Valid" }));
    const latest = (await t.idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: pool, Username: "audited" }))).AuthEvents![0];
    assert.deepEqual({ v: latest.EventFeedback?.FeedbackValue, p: latest.EventFeedback?.Provider }, { v: "Valid", p: "User" });
    await rejectsWithAwsError(t.idp.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: pool, Username: "audited", EventId: "no-such-event", FeedbackValue: "Valid" })), "ResourceNotFoundException");
    await rejectsWithAwsError(t.idp.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: pool, Username: "audited", EventId: events[0].EventId, FeedbackValue: "Maybe" as never })), "InvalidParameterException");
  });

  test("email MFA: EmailMfaConfiguration is stored and returned; an enabled user answers EMAIL_OTP with the mailed code", async () => {
    const { userPoolId: pool, clientId } = await createPoolAndClient(t.idp);
    await rejectsWithAwsError(t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool, MfaConfiguration: "OPTIONAL", EmailMfaConfiguration: { Message: "no placeholder", Subject: "x" } })), "InvalidParameterException", /\{####\}/);
    const set = await t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool, MfaConfiguration: "OPTIONAL", EmailMfaConfiguration: { Message: "Your code: {####}", Subject: "Sign-in code" } }));
    assert.deepEqual(set.EmailMfaConfiguration, { Message: "Your code: {####}", Subject: "Sign-in code" });
    assert.deepEqual((await t.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool }))).EmailMfaConfiguration, { Message: "Your code: {####}", Subject: "Sign-in code" });

    await t.idp.send(new SignUpCommand({ ClientId: clientId, Username: "mailed", Password: PASSWORD, UserAttributes: [{ Name: "email", Value: "mailed@example.com" }] }));
    await t.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: pool, Username: "mailed" }));
    const signIn = () => t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "mailed", PASSWORD } }));
    assert.ok((await signIn()).AuthenticationResult, "no MFA until the user turns it on");
    await t.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: pool, Username: "mailed", EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));
    const user = await t.idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: "mailed" }));
    assert.deepEqual(user.UserMFASettingList, ["EMAIL_OTP"]);
    assert.equal(user.PreferredMfaSetting, "EMAIL_OTP");

    const challenge = await signIn();
    assert.equal(challenge.ChallengeName, "EMAIL_OTP");
    assert.equal(challenge.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM, "EMAIL");
    assert.equal(challenge.ChallengeParameters?.CODE_DELIVERY_DESTINATION, "m***@e***");
    const answer = (code: string) => t.idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: "EMAIL_OTP", Session: challenge.Session, ChallengeResponses: { USERNAME: "mailed", EMAIL_OTP_CODE: code } }));
    const code = await t.latestCode(pool, "mailed", "MFA");
    await rejectsWithAwsError(answer(code === "000000" ? "111111" : "000000"), "CodeMismatchException");
    assert.ok((await answer(code)).AuthenticationResult?.AccessToken);
  });
});
