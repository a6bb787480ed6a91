// MFA codes cannot be guessed: a sign-in session ends after a few wrong TOTP codes (even the right code is refused
// after that), and a TOTP code is good only once. Driven with the AWS SDK against the real service.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  AdminConfirmSignUpCommand, AssociateSoftwareTokenCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, SetUserPoolMfaConfigCommand,
  SignUpCommand, VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { currentTotpCode } from "../../lib/service/totp";
import { rejectsWithAwsError } from "../support/aws-errors";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";

let t: TestService;
before(async () => {
  t = await startTestService();
});
after(async () => {
  await t.stop();
});

const PASSWORD = "Mfa-Passw0rd!";

test("three wrong TOTP codes end the sign-in session; a used code is not accepted twice", async () => {
  const { userPoolId, clientId } = await createPoolAndClient(t.idp);
  await t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } }));
  await t.idp.send(new SignUpCommand({ ClientId: clientId, Username: "mo", Password: PASSWORD }));
  await t.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: "mo" }));
  const signIn = () => t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "mo", PASSWORD } }));

  const setup = await signIn();
  assert.equal(setup.ChallengeName, "MFA_SETUP");
  const associated = await t.idp.send(new AssociateSoftwareTokenCommand({ Session: setup.Session }));
  const secret = associated.SecretCode!;
  const verified = await t.idp.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: currentTotpCode(secret) }));
  const done = await t.idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: "MFA_SETUP", Session: verified.Session, ChallengeResponses: { USERNAME: "mo" } }));
  assert.ok(done.AuthenticationResult?.IdToken);

  const challenge = await signIn();
  assert.equal(challenge.ChallengeName, "SOFTWARE_TOKEN_MFA");
  const answer = (code: string) =>
    t.idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: "SOFTWARE_TOKEN_MFA", Session: challenge.Session, ChallengeResponses: { USERNAME: "mo", SOFTWARE_TOKEN_MFA_CODE: code } }));
  const wrong = currentTotpCode(secret) === "000000" ? "111111" : "000000";
  await rejectsWithAwsError(answer(wrong), "CodeMismatchException");
  await rejectsWithAwsError(answer(wrong), "CodeMismatchException");
  await rejectsWithAwsError(answer(wrong), "NotAuthorizedException", "Invalid session for the user, session is expired.");
  await rejectsWithAwsError(answer(currentTotpCode(secret)), "NotAuthorizedException");

  // A fresh session accepts a valid code once; the same code in the next session is a replay.
  const code = currentTotpCode(secret);
  const again = await signIn();
  const ok = await t.idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: "SOFTWARE_TOKEN_MFA", Session: again.Session, ChallengeResponses: { USERNAME: "mo", SOFTWARE_TOKEN_MFA_CODE: code } }));
  assert.ok(ok.AuthenticationResult?.IdToken);
  const replay = await signIn();
  await rejectsWithAwsError(
    t.idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: "SOFTWARE_TOKEN_MFA", Session: replay.Session, ChallengeResponses: { USERNAME: "mo", SOFTWARE_TOKEN_MFA_CODE: code } })),
    "CodeMismatchException",
  );
});
