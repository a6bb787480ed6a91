// Integration tests of the trigger sources beyond sign-up and sign-in basics, on the standalone service behind a Lambda
// Invoke stand-in: CustomMessage for a changed attribute (`CustomMessage_UpdateUserAttribute`), a requested
// verification code (`_VerifyUserAttribute`), SMS and email MFA codes (`_Authentication`) and an admin password reset
// (`_ForgotPassword`), each delivering the function's text; a failing CustomMessage changing nothing; and
// PreTokenGeneration as `TokenGeneration_AuthenticateDevice` when a remembered device completes the sign-in
// (amazon-cognito-identity-js running device SRP); and the welcome message a user migrated at sign-in gets unless
// UserMigration answers `messageAction: SUPPRESS`.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AdminConfirmSignUpCommand, AdminGetUserCommand, AdminResetUserPasswordCommand, AdminSetUserMFAPreferenceCommand, AdminUpdateUserAttributesCommand,
  GetUserAttributeVerificationCodeCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, SetUserPoolMfaConfigCommand, SignUpCommand,
  UpdateUserAttributesCommand, VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { AuthenticationDetails, type CognitoUser, type CognitoUserSession } from "amazon-cognito-identity-js";
import { rejectsWithAwsError as rejects } from "../support/aws-errors";
import * as js from "../support/identity-js";
import { useTriggerService } from "../support/trigger-service";
import { createPoolAndClient } from "../support/local-service";

const PASSWORD = "Src#Pass1234";

const env = useTriggerService();

/** A CustomMessage function that writes its trigger source into the text, so each delivery shows who wrote it. */
function sourceWritingMessages(): void {
  env.lambdas.functions.set("CustomMessage", (event) => ({
    ...event,
    response: {
      emailSubject: `[${event.triggerSource}]`,
      emailMessage: `${event.triggerSource}: ${event.request.codeParameter}`,
      smsMessage: `${event.triggerSource} sms: ${event.request.codeParameter}`,
    },
  }));
}

/** A confirmed user (username = email) of a fresh pool with the named triggers; returns its access token too. */
async function confirmedUser(triggers: string[], email: string, pool: Record<string, unknown> = {}) {
  const LambdaConfig = Object.fromEntries(triggers.map((name) => [name, env.lambdas.arn(name)]));
  // Until a test sets its own, each function answers with the event unchanged (the default message).
  for (const name of triggers) if (!env.lambdas.functions.has(name)) env.lambdas.functions.set(name, (event) => event);
  const { userPoolId, clientId } = await createPoolAndClient(env.idp, { UsernameAttributes: ["email"], AutoVerifiedAttributes: ["email"], LambdaConfig, ...pool });
  await env.idp.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: "email", Value: email }, { Name: "phone_number", Value: "+15550100123" }] }));
  await env.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: email }));
  env.lambdas.calls.length = 0;
  const signIn = () => env.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD } }));
  return { userPoolId, clientId, signIn };
}

/** The newest delivery to `username`: its code, text, subject and purpose. */
async function latestDelivery(userPoolId: string, username: string) {
  const res = await fetch(`${env.service.url}/_local/codes?userPoolId=${userPoolId}&username=${encodeURIComponent(username)}`);
  const { codes } = (await res.json()) as { codes: Array<{ code: string; message?: string; subject?: string; purpose: string; destination: string } | undefined> };
  return codes[0]!;
}

const sourcesCalled = () => env.lambdas.calls.filter((c) => c.name === "CustomMessage").map((c) => c.event.triggerSource as string);

describe("CustomMessage sources", () => {
  test("UpdateUserAttributes and AdminUpdateUserAttributes: CustomMessage_UpdateUserAttribute writes the code's text", async () => {
    const { userPoolId, signIn } = await confirmedUser(["CustomMessage"], "old@example.com");
    sourceWritingMessages();
    const access = (await signIn()).AuthenticationResult!.AccessToken!;
    const out = await env.idp.send(new UpdateUserAttributesCommand({ AccessToken: access, UserAttributes: [{ Name: "email", Value: "new@example.com" }], ClientMetadata: { why: "moved" } }));
    assert.equal(out.CodeDeliveryDetailsList?.[0]?.AttributeName, "email");
    const event = env.lambdas.calls.at(-1)!.event;
    assert.equal(event.triggerSource, "CustomMessage_UpdateUserAttribute");
    assert.equal(event.request.userAttributes.email, "new@example.com", "the event shows the user as updated");
    assert.equal(event.request.codeParameter, "{####}");
    assert.deepEqual(event.request.clientMetadata, { why: "moved" });
    assert.equal(typeof event.callerContext.clientId, "string");
    const delivered = await latestDelivery(userPoolId, "new@example.com");
    assert.equal(delivered.purpose, "VERIFY_ATTRIBUTE");
    assert.equal(delivered.destination, "new@example.com");
    assert.equal(delivered.message, `CustomMessage_UpdateUserAttribute: ${delivered.code}`);
    assert.equal(delivered.subject, "[CustomMessage_UpdateUserAttribute]");
    // The delivered code is the one that verifies the new address.
    await env.idp.send(new VerifyUserAttributeCommand({ AccessToken: access, AttributeName: "email", Code: delivered.code }));

    await env.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: "new@example.com", UserAttributes: [{ Name: "email", Value: "admin-set@example.com" }] }));
    assert.deepEqual(sourcesCalled(), ["CustomMessage_UpdateUserAttribute", "CustomMessage_UpdateUserAttribute"]);
    const adminDelivered = await latestDelivery(userPoolId, "admin-set@example.com");
    assert.equal(adminDelivered.message, `CustomMessage_UpdateUserAttribute: ${adminDelivered.code}`);
  });

  test("a failing CustomMessage on UpdateUserAttributes refuses the change and stores nothing", async () => {
    const { userPoolId, signIn } = await confirmedUser(["CustomMessage"], "keep@example.com");
    const access = (await signIn()).AuthenticationResult!.AccessToken!;
    env.lambdas.functions.set("CustomMessage", () => {
      throw new Error("templates offline");
    });
    await rejects(env.idp.send(new UpdateUserAttributesCommand({ AccessToken: access, UserAttributes: [{ Name: "email", Value: "lost@example.com" }] })),
      "UserLambdaValidationException", "CustomMessage failed with error templates offline.");
    const user = await env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "keep@example.com" }));
    assert.equal(user.UserAttributes?.find((a) => a.Name === "email")?.Value, "keep@example.com");
    assert.equal((await latestDelivery(userPoolId, "keep@example.com")).purpose, "SIGN_UP", "no verification code went out");
  });

  test("GetUserAttributeVerificationCode: CustomMessage_VerifyUserAttribute", async () => {
    const { userPoolId, signIn } = await confirmedUser(["CustomMessage"], "verify@example.com");
    sourceWritingMessages();
    const access = (await signIn()).AuthenticationResult!.AccessToken!;
    await env.idp.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: access, AttributeName: "email", ClientMetadata: { step: "verify" } }));
    const event = env.lambdas.calls.at(-1)!.event;
    assert.equal(event.triggerSource, "CustomMessage_VerifyUserAttribute");
    assert.deepEqual(event.request.clientMetadata, { step: "verify" });
    assert.equal(event.request.usernameParameter, null);
    const delivered = await latestDelivery(userPoolId, "verify@example.com");
    assert.equal(delivered.message, `CustomMessage_VerifyUserAttribute: ${delivered.code}`);
    await env.idp.send(new VerifyUserAttributeCommand({ AccessToken: access, AttributeName: "email", Code: delivered.code }));
  });

  test("an SMS MFA code: CustomMessage_Authentication writes the SMS, and the code signs in", async () => {
    const { userPoolId, clientId, signIn } = await confirmedUser(["CustomMessage"], "mfa@example.com");
    await env.idp.send(new SetUserPoolMfaConfigCommand({
      UserPoolId: userPoolId, MfaConfiguration: "OPTIONAL",
      SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: "arn:aws:iam::123456789012:role/sms", ExternalId: "x" } },
    }));
    await env.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: userPoolId, Username: "mfa@example.com", SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
    sourceWritingMessages();
    const challenge = await signIn();
    assert.equal(challenge.ChallengeName, "SMS_MFA");
    assert.equal(env.lambdas.calls.at(-1)!.event.triggerSource, "CustomMessage_Authentication");
    const delivered = await latestDelivery(userPoolId, "mfa@example.com");
    assert.equal(delivered.purpose, "MFA");
    assert.equal(delivered.message, `CustomMessage_Authentication sms: ${delivered.code}`);
    const done = await env.idp.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: "SMS_MFA", Session: challenge.Session,
      ChallengeResponses: { USERNAME: challenge.ChallengeParameters!.USER_ID_FOR_SRP!, SMS_MFA_CODE: delivered.code },
    }));
    assert.ok(done.AuthenticationResult?.IdToken);

    // A failing CustomMessage fails the sign-in before any code goes out.
    env.lambdas.functions.set("CustomMessage", () => {
      throw new Error("sms down");
    });
    await rejects(signIn(), "UserLambdaValidationException", "CustomMessage failed with error sms down.");
    assert.equal((await latestDelivery(userPoolId, "mfa@example.com")).code, delivered.code);
  });

  test("an email MFA code (EMAIL_OTP): CustomMessage_Authentication writes the email", async () => {
    const { userPoolId, clientId, signIn } = await confirmedUser(["CustomMessage"], "otp@example.com");
    await env.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: "OPTIONAL", EmailMfaConfiguration: { Message: "Code: {####}", Subject: "Sign-in code" } }));
    await env.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: userPoolId, Username: "otp@example.com", EmailMfaSettings: { Enabled: true, PreferredMfa: true } }));
    sourceWritingMessages();
    const challenge = await signIn();
    assert.equal(challenge.ChallengeName, "EMAIL_OTP");
    assert.equal(env.lambdas.calls.at(-1)!.event.triggerSource, "CustomMessage_Authentication");
    const delivered = await latestDelivery(userPoolId, "otp@example.com");
    assert.equal(delivered.message, `CustomMessage_Authentication: ${delivered.code}`);
    assert.equal(delivered.subject, "[CustomMessage_Authentication]");
    const done = await env.idp.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: "EMAIL_OTP", Session: challenge.Session,
      ChallengeResponses: { USERNAME: challenge.ChallengeParameters!.USER_ID_FOR_SRP!, EMAIL_OTP_CODE: delivered.code },
    }));
    assert.ok(done.AuthenticationResult?.AccessToken);
  });

  test("AdminResetUserPassword: CustomMessage_ForgotPassword", async () => {
    const { userPoolId } = await confirmedUser(["CustomMessage"], "reset@example.com");
    sourceWritingMessages();
    await env.idp.send(new AdminResetUserPasswordCommand({ UserPoolId: userPoolId, Username: "reset@example.com" }));
    assert.equal(env.lambdas.calls.at(-1)!.event.triggerSource, "CustomMessage_ForgotPassword");
    const delivered = await latestDelivery(userPoolId, "reset@example.com");
    assert.equal(delivered.purpose, "FORGOT_PASSWORD");
    assert.equal(delivered.message, `CustomMessage_ForgotPassword: ${delivered.code}`);
  });
});

/** authenticateUser with amazon-cognito-identity-js, resolving with the session. */
function librarySignIn(user: CognitoUser): Promise<CognitoUserSession> {
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: PASSWORD }), { onSuccess: (s) => resolve(s), onFailure: reject });
  });
}

describe("PreTokenGeneration sources", () => {
  test("a sign-in completed by a remembered device (DEVICE_SRP_AUTH) runs TokenGeneration_AuthenticateDevice", async () => {
    const { userPoolId, clientId } = await createPoolAndClient(env.idp, {
      LambdaConfig: { PreTokenGeneration: env.lambdas.arn("PreTokenGeneration") },
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
    });
    env.lambdas.functions.set("PreTokenGeneration", (event) => ({
      ...event,
      response: { claimsOverrideDetails: { claimsToAddOrOverride: { signed_in_by: event.triggerSource } } },
    }));
    await env.idp.send(new SignUpCommand({ ClientId: clientId, Username: "dev-user", Password: PASSWORD, UserAttributes: [{ Name: "email", Value: "dev@example.com" }] }));
    await env.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: "dev-user" }));
    const pool = js.userPool(env.service.url, userPoolId, clientId);
    const first = await librarySignIn(js.cognitoUser(pool, "dev-user"));
    assert.equal(first.getIdToken().decodePayload().signed_in_by, "TokenGeneration_Authentication");
    // The library confirmed the device; the next sign-in from the same storage proves it with device SRP.
    const second = await librarySignIn(js.cognitoUser(pool, "dev-user"));
    assert.equal(second.getIdToken().decodePayload().signed_in_by, "TokenGeneration_AuthenticateDevice");
    assert.equal(second.getAccessToken().decodePayload().device_key, first.getAccessToken().decodePayload().device_key);
    const sources = env.lambdas.calls.filter((c) => c.name === "PreTokenGeneration").map((c) => c.event.triggerSource);
    assert.deepEqual(sources, ["TokenGeneration_Authentication", "TokenGeneration_AuthenticateDevice"]);
    const event = env.lambdas.calls.at(-1)!.event;
    assert.equal(event.userName, "dev-user");
    assert.equal(event.request.userAttributes.email, "dev@example.com");
  });
});

describe("UserMigration welcome message", () => {
  test("a user migrated at sign-in gets AdminCreateUser's invitation unless SUPPRESS; its password is never written", async () => {
    const legacyPassword = "Legacy#Pass99";
    const LambdaConfig = { UserMigration: env.lambdas.arn("UserMigration"), CustomMessage: env.lambdas.arn("CustomMessage") };
    const { userPoolId, clientId } = await createPoolAndClient(env.idp, { UsernameAttributes: ["email"], LambdaConfig });
    env.lambdas.functions.set("UserMigration", (event) => ({
      ...event,
      response: {
        userAttributes: { email: event.userName, email_verified: "true" },
        finalUserStatus: "CONFIRMED",
        ...(event.userName.startsWith("quiet") ? { messageAction: "SUPPRESS" } : {}),
        desiredDeliveryMediums: ["EMAIL"],
      },
    }));
    env.lambdas.functions.set("CustomMessage", (event) => ({
      ...event,
      response: { emailSubject: "Welcome", emailMessage: `Hello ${event.request.usernameParameter}, your password: ${event.request.codeParameter}`, smsMessage: null },
    }));
    const signIn = (email: string) => env.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: legacyPassword } }));

    assert.ok((await signIn("welcome@legacy.test")).AuthenticationResult?.IdToken);
    const custom = env.lambdas.calls.find((c) => c.name === "CustomMessage")!.event;
    assert.equal(custom.triggerSource, "CustomMessage_AdminCreateUser");
    assert.equal(custom.request.usernameParameter, "{username}");
    assert.equal(custom.request.codeParameter, "{####}");
    assert.equal(custom.request.userAttributes.email, "welcome@legacy.test");
    const username = (await env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "welcome@legacy.test" }))).Username!;
    const delivered = await latestDelivery(userPoolId, "welcome@legacy.test");
    assert.equal(delivered.purpose, "ADMIN_CREATE_USER");
    assert.equal(delivered.destination, "welcome@legacy.test");
    assert.equal(delivered.subject, "Welcome");
    assert.equal(delivered.message, `Hello ${username}, your password: ********`);
    assert.ok(!env.service.logs.some((l) => l.includes(legacyPassword)), "the migrated password is never logged");
    assert.ok(!JSON.stringify(delivered).includes(legacyPassword));

    // SUPPRESS: no welcome, no CustomMessage call.
    const customCalls = env.lambdas.calls.filter((c) => c.name === "CustomMessage").length;
    assert.ok((await signIn("quiet@legacy.test")).AuthenticationResult?.IdToken);
    assert.equal(env.lambdas.calls.filter((c) => c.name === "CustomMessage").length, customCalls);
    const quiet = await fetch(`${env.service.url}/_local/codes?userPoolId=${userPoolId}&username=quiet@legacy.test`);
    assert.deepEqual(((await quiet.json()) as { codes: unknown[] }).codes, []);

    // A failing CustomMessage fails the sign-in and leaves no migrated user behind.
    env.lambdas.functions.set("CustomMessage", () => {
      throw new Error("no templates");
    });
    await rejects(signIn("later@legacy.test"), "UserLambdaValidationException", "CustomMessage failed with error no templates.");
    await rejects(env.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "later@legacy.test" })), "UserNotFoundException");
  });
});
