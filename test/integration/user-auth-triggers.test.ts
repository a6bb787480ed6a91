// Integration tests of the triggers a choice-based sign-in (USER_AUTH) runs, on the standalone service behind a Lambda
// Invoke stand-in: PreAuthentication before the choice (and its refusal, which sends no code), CustomMessage writing the
// one-time code's text as `CustomMessage_Authentication`, then PostAuthentication and PreTokenGeneration
// (`TokenGeneration_Authentication`) once the code is answered.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { AdminCreateUserCommand, AdminSetUserPasswordCommand, InitiateAuthCommand, RespondToAuthChallengeCommand } from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWithAwsError as rejects } from "../support/aws-errors";
import { createPoolAndClient } from "../support/local-service";
import { useTriggerService } from "../support/trigger-service";

const env = useTriggerService();
const TRIGGERS = ["PreAuthentication", "CustomMessage", "PostAuthentication", "PreTokenGeneration"];

async function passwordlessPool() {
  const LambdaConfig = Object.fromEntries(TRIGGERS.map((name) => [name, env.lambdas.arn(name)]));
  for (const name of TRIGGERS) if (!env.lambdas.functions.has(name)) env.lambdas.functions.set(name, (event) => event);
  const { userPoolId, clientId } = await createPoolAndClient(env.idp, {
    LambdaConfig, Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] } },
  }, { ExplicitAuthFlows: ["ALLOW_USER_AUTH"] });
  await env.idp.send(new AdminCreateUserCommand({
    UserPoolId: userPoolId, Username: "tess", MessageAction: "SUPPRESS",
    UserAttributes: [{ Name: "email", Value: "tess@example.com" }, { Name: "email_verified", Value: "true" }],
  }));
  // AdminCreateUser leaves FORCE_CHANGE_PASSWORD; a code sign-in of such a user asks for a password, so confirm it first.
  await env.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: "tess", Password: "Trig-Passw0rd!", Permanent: true }));
  env.lambdas.calls.length = 0;
  return { userPoolId, clientId };
}

const sources = () => env.lambdas.calls.map((c) => c.event.triggerSource as string);

describe("USER_AUTH triggers", () => {
  test("PreAuthentication, CustomMessage_Authentication for the code, then PostAuthentication and TokenGeneration_Authentication", async () => {
    const { userPoolId, clientId } = await passwordlessPool();
    env.lambdas.functions.set("CustomMessage", (event) => ({ ...event, response: { emailSubject: "Your sign-in code", emailMessage: `Sign in with ${event.request.codeParameter}`, smsMessage: null } }));
    env.lambdas.functions.set("PreTokenGeneration", (event) => ({ ...event, response: { claimsOverrideDetails: { claimsToAddOrOverride: { signed_in_with: "code" } } } }));
    const otp = await env.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_AUTH", AuthParameters: { USERNAME: "tess", PREFERRED_CHALLENGE: "EMAIL_OTP" }, ClientMetadata: { app: "web" } }));
    assert.deepEqual(sources(), ["PreAuthentication_Authentication", "CustomMessage_Authentication"]);
    assert.deepEqual(env.lambdas.calls[1]!.event.request.clientMetadata, { app: "web" });
    const res = await fetch(`${env.service.url}/_local/codes?userPoolId=${userPoolId}&username=tess`);
    const delivered = ((await res.json()) as { codes: Array<{ code: string; message?: string; subject?: string; purpose: string }> }).codes[0]!;
    assert.equal(delivered.purpose, "SIGN_IN");
    assert.equal(delivered.message, `Sign in with ${delivered.code}`);
    assert.equal(delivered.subject, "Your sign-in code");
    const signedIn = await env.idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: "EMAIL_OTP", Session: otp.Session, ChallengeResponses: { USERNAME: "tess", EMAIL_OTP_CODE: delivered.code } }));
    assert.deepEqual(sources().slice(2), ["PostAuthentication_Authentication", "TokenGeneration_Authentication"]);
    const id = JSON.parse(Buffer.from(signedIn.AuthenticationResult!.IdToken!.split(".")[1], "base64url").toString()) as Record<string, unknown>;
    assert.equal(id.signed_in_with, "code");
  });

  test("a PreAuthentication refusal ends the sign-in before any code is sent", async () => {
    const { userPoolId, clientId } = await passwordlessPool();
    env.lambdas.functions.set("PreAuthentication", () => {
      throw new Error("not today");
    });
    await rejects(env.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_AUTH", AuthParameters: { USERNAME: "tess", PREFERRED_CHALLENGE: "EMAIL_OTP" } })),
      "UserLambdaValidationException", /PreAuthentication failed with error not today/);
    assert.deepEqual(sources(), ["PreAuthentication_Authentication"]);
    const res = await fetch(`${env.service.url}/_local/codes?userPoolId=${userPoolId}&username=tess`);
    assert.deepEqual(((await res.json()) as { codes: unknown[] }).codes, []);
  });
});
