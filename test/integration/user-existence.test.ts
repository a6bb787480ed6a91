// PreventUserExistenceErrors = ENABLED must not tell who exists, in answers or in time: an unknown name gets a stable
// SRP salt and a UUID-shaped USER_ID_FOR_SRP like a real user of an email pool, ForgotPassword and
// ResendConfirmationCode "send" to a masked destination shaped like a real one, ConfirmSignUp and ConfirmForgotPassword
// answer CodeMismatchException, a disabled user's wrong password gets the answer of any wrong password, and a wrong
// password takes as long for a real user as for an unknown one (median ratio over interleaved samples, within 20 %).
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import {
  AdminDisableUserCommand, AdminUpdateUserAttributesCommand, ConfirmForgotPasswordCommand, ConfirmSignUpCommand, ForgotPasswordCommand,
  InitiateAuthCommand, ResendConfirmationCodeCommand, RespondToAuthChallengeCommand, SignUpCommand, AdminConfirmSignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { FastSrpClient } from "../bench/srp-client";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";

const PASSWORD = "Real-Passw0rd!";
const WRONG = "Wr0ng-Passw0rd!";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const incorrect = { name: "NotAuthorizedException", message: "Incorrect username or password." };
const mismatch = { name: "CodeMismatchException" };

describe("PreventUserExistenceErrors = ENABLED", () => {
  let t: TestService;
  let userPoolId: string;
  let clientId: string;

  before(async () => {
    t = await startTestService();
    ({ userPoolId, clientId } = await createPoolAndClient(t.idp, { UsernameAttributes: ["email"], AutoVerifiedAttributes: ["email"] }, { PreventUserExistenceErrors: "ENABLED" }));
  });
  after(() => t.stop());

  const confirmed = async (email: string) => {
    await t.idp.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
    await t.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: email }));
    await t.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: email, UserAttributes: [{ Name: "email_verified", Value: "true" }] }));
  };
  const srpChallenge = async (email: string) => {
    const srp = new FastSrpClient(userPoolId);
    const res = await t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: email, SRP_A: srp.srpA } }));
    return { srp, res, params: res.ChallengeParameters! };
  };

  it("USER_SRP_AUTH: an unknown name gets a stable salt and a stable UUID, shaped like a real user's", async () => {
    await confirmed("real@example.com");
    const real = (await srpChallenge("real@example.com")).params;
    const [a, b] = [(await srpChallenge("ghost@example.com")).params, (await srpChallenge("ghost@example.com")).params];
    assert.deepEqual(Object.keys(a).sort(), Object.keys(real).sort());
    assert.equal(a.SALT, b.SALT, "the salt is stable");
    assert.equal(a.USER_ID_FOR_SRP, b.USER_ID_FOR_SRP, "the USER_ID_FOR_SRP is stable");
    assert.match(a.USER_ID_FOR_SRP, UUID);
    assert.match(real.USER_ID_FOR_SRP, UUID);
    assert.notEqual(a.SRP_B, b.SRP_B, "SRP_B is fresh each time, as for a real user");
    assert.ok(Math.abs(a.SALT.length - real.SALT.length) <= 2 && Math.abs(a.SECRET_BLOCK.length - real.SECRET_BLOCK.length) <= 4);
    assert.notEqual((await srpChallenge("other@example.com")).params.SALT, a.SALT, "another name, another salt");
    // Answering the decoy challenge is an ordinary wrong password.
    const { srp, res, params } = await srpChallenge("ghost@example.com");
    await assert.rejects(t.idp.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: "PASSWORD_VERIFIER", Session: res.Session, ChallengeResponses: srp.answer(params, PASSWORD),
    })), incorrect);
  });

  it("ForgotPassword and ResendConfirmationCode mask an unknown name as they mask a real one", async () => {
    const real = (await t.idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "real@example.com" }))).CodeDeliveryDetails!;
    const ghost = (await t.idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "ghost@example.com" }))).CodeDeliveryDetails!;
    assert.deepEqual(real, { Destination: "r***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" });
    assert.deepEqual(ghost, { Destination: "g***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" });
    await t.idp.send(new SignUpCommand({ ClientId: clientId, Username: "new@example.com", Password: PASSWORD }));
    const resentReal = (await t.idp.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "new@example.com" }))).CodeDeliveryDetails!;
    const resentGhost = (await t.idp.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "nobody@example.com" }))).CodeDeliveryDetails!;
    assert.deepEqual(resentReal, { Destination: "n***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" });
    assert.deepEqual(resentGhost, { Destination: "n***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" });
  });

  it("ConfirmSignUp and ConfirmForgotPassword answer an unknown name with CodeMismatchException, as a wrong code", async () => {
    await assert.rejects(t.idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "nobody@example.com", ConfirmationCode: "123456" })), mismatch);
    await assert.rejects(t.idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "new@example.com", ConfirmationCode: "000000" })), mismatch);
    await assert.rejects(t.idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: "nobody@example.com", ConfirmationCode: "123456", Password: "N3w-Passw0rd!" })), mismatch);
    await assert.rejects(t.idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: "real@example.com", ConfirmationCode: "000000", Password: "N3w-Passw0rd!" })), mismatch);
  });

  it("a disabled user with a wrong password gets the answer any wrong password gets", async () => {
    await confirmed("off@example.com");
    await t.idp.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: "off@example.com" }));
    const auth = (USERNAME: string, PASSWORD: string) => t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME, PASSWORD } }));
    await assert.rejects(auth("off@example.com", WRONG), incorrect);
    await assert.rejects(auth("ghost@example.com", WRONG), incorrect);
    await assert.rejects(auth("off@example.com", PASSWORD), { name: "NotAuthorizedException", message: "User is disabled." });
  });

  it("a wrong password costs the same time for a real and an unknown user (within 20 %)", { timeout: 120_000 }, async () => {
    const REAL_USERS = 12;
    const PER_USER = 4; // a fifth failure would lock the user out
    const reals: string[] = [];
    for (let i = 0; i < REAL_USERS; i++) {
      reals.push(`timing${i}@example.com`);
      await confirmed(reals[i]);
    }
    const auth = (USERNAME: string) => t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME, PASSWORD: WRONG } }));
    const timed = async (name: string) => {
      const start = process.hrtime.bigint();
      await assert.rejects(auth(name), incorrect);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    // Warm-up (connections, code paths), then interleaved pairs so that load on the machine hits both sides alike.
    await timed("warmup@example.com");
    let ratio = 0;
    const ratios: number[] = [];
    let round = 0;
    for (; round < 3; round++) {
      const real: number[] = [];
      const unknown: number[] = [];
      for (let n = 0; n < PER_USER; n++) {
        for (const name of reals) {
          if (n % 2 === 0) {
            real.push(await timed(name));
            unknown.push(await timed(`ghost-${round}-${n}-${name}`));
          } else {
            unknown.push(await timed(`ghost-${round}-${n}-${name}`));
            real.push(await timed(name));
          }
        }
      }
      ratio = median(real) / median(unknown);
      ratios.push(ratio);
      console.log(`wrong password: real ${median(real).toFixed(2)} ms, unknown ${median(unknown).toFixed(2)} ms, ratio ${ratio.toFixed(3)} (${real.length} samples each)`);
      if (ratio >= 0.8 && ratio <= 1.2) break;
      // A noisy round: new real users (the old ones would now be locked out) and measure again.
      for (let i = 0; i < REAL_USERS; i++) {
        reals[i] = `timing${round + 1}-${i}@example.com`;
        await confirmed(reals[i]);
      }
    }
    assert.ok(ratio >= 0.8 && ratio <= 1.2, `real/unknown wrong-password time ratios ${ratios.map((r) => r.toFixed(3)).join(", ")}: none within 20 %`);
  });
});
