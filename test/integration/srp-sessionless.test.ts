// The SRP password step (RespondToAuthChallenge PASSWORD_VERIFIER) answered WITHOUT a Session, as Python's
// pycognito/warrant client does and AWS accepts: the service finds the challenge from the sealed SECRET_BLOCK. Covers
// the tokens, NEW_PASSWORD_REQUIRED and MFA_SETUP paths, VerifySoftwareToken with an MFA_SETUP Session registering the
// token (the next sign-in gets SOFTWARE_TOKEN_MFA), and forged, tampered, replayed and mismatched secret blocks.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import {
  AdminConfirmSignUpCommand, AdminCreateUserCommand, AssociateSoftwareTokenCommand, InitiateAuthCommand, RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand, SignUpCommand, VerifySoftwareTokenCommand, type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { randomBytes } from "node:crypto";
import { currentTotpCode } from "../../lib/service/totp";
import { FastSrpClient } from "../bench/srp-client";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";

const PASSWORD = "Srp-Passw0rd!";

/** pycognito's flow: InitiateAuth USER_SRP_AUTH, then PASSWORD_VERIFIER with the challenge responses and no Session. */
async function srpWithoutSession(idp: CognitoIdentityProviderClient, userPoolId: string, clientId: string, username: string, password = PASSWORD) {
  const srp = new FastSrpClient(userPoolId);
  const challenge = await idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: username, SRP_A: srp.srpA } }));
  assert.equal(challenge.ChallengeName, "PASSWORD_VERIFIER");
  const responses = srp.answer(challenge.ChallengeParameters!, password);
  return { challenge, responses, respond: (extra: Partial<{ Session: string; responses: Record<string, string> }> = {}) =>
    idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: "PASSWORD_VERIFIER", ChallengeResponses: extra.responses ?? responses, ...(extra.Session ? { Session: extra.Session } : {}) })) };
}

describe("PASSWORD_VERIFIER without a Session", () => {
  let t: TestService;
  let userPoolId: string;
  let clientId: string;

  before(async () => {
    t = await startTestService();
    ({ userPoolId, clientId } = await createPoolAndClient(t.idp));
    for (const name of ["sam", "sid", "sue"]) {
      await t.idp.send(new SignUpCommand({ ClientId: clientId, Username: name, Password: PASSWORD }));
      await t.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: name }));
    }
  });
  after(() => t.stop());

  it("signs in: tokens come back", async () => {
    const { respond } = await srpWithoutSession(t.idp, userPoolId, clientId, "sam");
    const res = await respond();
    assert.ok(res.AuthenticationResult?.AccessToken);
  });

  it("still works with the Session, and a secret block answers once", async () => {
    const { challenge, respond } = await srpWithoutSession(t.idp, userPoolId, clientId, "sid");
    assert.ok((await respond({ Session: challenge.Session! })).AuthenticationResult?.IdToken);
    await assert.rejects(respond(), { name: "NotAuthorizedException", message: "Invalid session for the user, session is expired." });
  });

  it("refuses a forged or tampered secret block, and a Session that is not the block's", async () => {
    const first = await srpWithoutSession(t.idp, userPoolId, clientId, "sue");
    const forged = { ...first.responses, PASSWORD_CLAIM_SECRET_BLOCK: randomBytes(120).toString("base64") };
    await assert.rejects(first.respond({ responses: forged }), { name: "NotAuthorizedException", message: "Invalid session for the user, session is expired." });
    const block = Buffer.from(first.responses.PASSWORD_CLAIM_SECRET_BLOCK, "base64");
    block[block.length - 1] ^= 1;
    await assert.rejects(first.respond({ responses: { ...first.responses, PASSWORD_CLAIM_SECRET_BLOCK: block.toString("base64") } }), { name: "NotAuthorizedException" });
    const second = await srpWithoutSession(t.idp, userPoolId, clientId, "sue");
    await assert.rejects(first.respond({ Session: second.challenge.Session! }), { name: "NotAuthorizedException", message: "Invalid session for the user, session is expired." });
    // The untouched answers still work (each challenge is still open).
    assert.ok((await first.respond()).AuthenticationResult);
    assert.ok((await second.respond()).AuthenticationResult);
  });

  it("a wrong password is a wrong password", async () => {
    const { respond } = await srpWithoutSession(t.idp, userPoolId, clientId, "sam", "Wr0ng-Passw0rd!");
    await assert.rejects(respond(), { name: "NotAuthorizedException", message: "Incorrect username or password." });
  });

  it("leads to NEW_PASSWORD_REQUIRED for a user with a temporary password", async () => {
    await t.idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "tim", TemporaryPassword: "Temp-Passw0rd!", MessageAction: "SUPPRESS" }));
    const { respond } = await srpWithoutSession(t.idp, userPoolId, clientId, "tim", "Temp-Passw0rd!");
    const next = await respond();
    assert.equal(next.ChallengeName, "NEW_PASSWORD_REQUIRED");
    const done = await t.idp.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: next.Session, ChallengeResponses: { USERNAME: "tim", NEW_PASSWORD: "N3w-Passw0rd!" },
    }));
    assert.ok(done.AuthenticationResult?.AccessToken);
  });

  it("leads to MFA_SETUP; VerifySoftwareToken with its Session registers the token: the next sign-in gets SOFTWARE_TOKEN_MFA", async () => {
    const mfa = await createPoolAndClient(t.idp);
    await t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: mfa.userPoolId, MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } }));
    await t.idp.send(new SignUpCommand({ ClientId: mfa.clientId, Username: "mia", Password: PASSWORD }));
    await t.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: mfa.userPoolId, Username: "mia" }));
    const setup = await (await srpWithoutSession(t.idp, mfa.userPoolId, mfa.clientId, "mia")).respond();
    assert.equal(setup.ChallengeName, "MFA_SETUP");
    const associated = await t.idp.send(new AssociateSoftwareTokenCommand({ Session: setup.Session }));
    const verified = await t.idp.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: currentTotpCode(associated.SecretCode!) }));
    assert.equal(verified.Status, "SUCCESS");
    assert.ok(verified.Session);
    // Without answering MFA_SETUP, a new sign-in already asks for the registered token.
    const again = await (await srpWithoutSession(t.idp, mfa.userPoolId, mfa.clientId, "mia")).respond();
    assert.equal(again.ChallengeName, "SOFTWARE_TOKEN_MFA");
    // And the MFA_SETUP answer with the verified Session still completes the first sign-in.
    const done = await t.idp.send(new RespondToAuthChallengeCommand({ ClientId: mfa.clientId, ChallengeName: "MFA_SETUP", Session: verified.Session, ChallengeResponses: { USERNAME: "mia" } }));
    assert.ok(done.AuthenticationResult?.IdToken);
  });
});
