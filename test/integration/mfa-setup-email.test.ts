// MFA_SETUP through the AWS SDK v3: MFAS_CAN_SETUP lists the MFA types the pool has turned on (SMS, authenticator
// app, email), and email MFA is set up inside the sign-in as Amplify v6 does it: MFA_SETUP answered with EMAIL, then
// the EMAIL_OTP code sent to that address. A malformed address or a wrong code changes nothing; the right code makes
// the address the user's verified email with email MFA on, and the next sign-in asks for an email code.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AdminCreateUserCommand, AdminGetUserCommand, AdminSetUserPasswordCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWithAwsError } from "../support/aws-errors";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";

const PASSWORD = "Setup-Email-1!";

describe("MFA_SETUP offers the pool's MFA types and sets email MFA up", () => {
  let t: TestService;
  before(async () => {
    t = await startTestService();
  });
  after(async () => t.stop());

  async function poolRequiringMfa(settings: Omit<ConstructorParameters<typeof SetUserPoolMfaConfigCommand>[0], "UserPoolId">) {
    const { userPoolId, clientId } = await createPoolAndClient(t.idp);
    await t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: "ON", ...settings }));
    await t.idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "nomail", MessageAction: "SUPPRESS" }));
    await t.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: "nomail", Password: PASSWORD, Permanent: true }));
    const signIn = () => t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "nomail", PASSWORD } }));
    return { userPoolId, clientId, signIn };
  }

  test("MFAS_CAN_SETUP lists SMS, the authenticator app and email when the pool turned them on", async () => {
    const { signIn } = await poolRequiringMfa({
      SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: "arn:aws:iam::123456789012:role/cognito-sms" } },
      SoftwareTokenMfaConfiguration: { Enabled: true },
      EmailMfaConfiguration: { Message: "Your code is {####}", Subject: "Code" },
    });
    const first = await signIn();
    assert.equal(first.ChallengeName, "MFA_SETUP");
    assert.deepEqual(JSON.parse(first.ChallengeParameters!.MFAS_CAN_SETUP!), ["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]);
  });

  test("email MFA set up in the sign-in: EMAIL, then the code sent there; bad input changes nothing", async () => {
    const { userPoolId, clientId, signIn } = await poolRequiringMfa({ EmailMfaConfiguration: { Message: "Your code is {####}", Subject: "Code" } });
    const first = await signIn();
    assert.equal(first.ChallengeName, "MFA_SETUP");
    assert.deepEqual(JSON.parse(first.ChallengeParameters!.MFAS_CAN_SETUP!), ["EMAIL_OTP"]);

    const respond = (ChallengeName: string, Session: string | undefined, responses: Record<string, string>) =>
      t.idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: ChallengeName as "MFA_SETUP", Session, ChallengeResponses: { USERNAME: "nomail", ...responses } }));
    await rejectsWithAwsError(respond("MFA_SETUP", first.Session, { EMAIL: "not-an-address" }), "InvalidParameterException", "Invalid email address format.");
    const unchanged = await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "nomail" }));
    assert.equal(unchanged.UserAttributes?.find((a) => a.Name === "email"), undefined);

    const sent = await respond("MFA_SETUP", first.Session, { EMAIL: "new.mail@example.com" });
    assert.equal(sent.ChallengeName, "EMAIL_OTP");
    assert.equal(sent.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM, "EMAIL");
    assert.equal(sent.ChallengeParameters?.CODE_DELIVERY_DESTINATION, "n***@e***");
    await rejectsWithAwsError(respond("EMAIL_OTP", sent.Session, { EMAIL_OTP_CODE: "000000" }), "CodeMismatchException");
    const stillNoEmail = await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "nomail" }));
    assert.equal(stillNoEmail.UserAttributes?.find((a) => a.Name === "email"), undefined, "a wrong code stores nothing");

    const code = await t.latestCode(userPoolId, "nomail", "MFA");
    const done = await respond("EMAIL_OTP", sent.Session, { EMAIL_OTP_CODE: code });
    assert.ok(done.AuthenticationResult?.AccessToken);
    const user = await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "nomail" }));
    assert.equal(user.UserAttributes?.find((a) => a.Name === "email")?.Value, "new.mail@example.com");
    assert.equal(user.UserAttributes?.find((a) => a.Name === "email_verified")?.Value, "true");
    assert.deepEqual(user.UserMFASettingList, ["EMAIL_OTP"]);
    assert.equal(user.PreferredMfaSetting, "EMAIL_OTP");

    const next = await signIn();
    assert.equal(next.ChallengeName, "EMAIL_OTP");
  });

  test("EMAIL is refused when the pool has no email MFA", async () => {
    const { clientId, signIn } = await poolRequiringMfa({ SoftwareTokenMfaConfiguration: { Enabled: true } });
    const first = await signIn();
    assert.deepEqual(JSON.parse(first.ChallengeParameters!.MFAS_CAN_SETUP!), ["SOFTWARE_TOKEN_MFA"]);
    await rejectsWithAwsError(
      t.idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: "MFA_SETUP", Session: first.Session, ChallengeResponses: { USERNAME: "nomail", EMAIL: "a@example.com" } })),
      "InvalidParameterException", "Email MFA is not enabled for the user pool.",
    );
  });
});
