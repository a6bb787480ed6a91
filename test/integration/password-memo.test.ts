// The password memo through the service and the AWS SDK v3 (lib/service/proven-passwords.ts): with it on (the default)
// and off, sign-ins give the same answers; with it on, a right password proven earlier costs no power of g, while a
// wrong password and an unknown name (existence hidden) always do and are never remembered; and every way of getting a
// new password (ChangePassword, ConfirmForgotPassword, AdminSetUserPassword, deleting and signing up again) ends the old
// one at once.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import {
  AdminConfirmSignUpCommand, AdminDeleteUserCommand, AdminSetUserPasswordCommand, AdminUpdateUserAttributesCommand, ChangePasswordCommand, ConfirmForgotPasswordCommand,
  ForgotPasswordCommand, InitiateAuthCommand, SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";
import { generatorPowerCount } from "../../lib/service/srp";
import { DEFAULT_PROVEN_PASSWORDS, provenPasswordCount } from "../../lib/service/proven-passwords";

const PASSWORD = "Memo-Passw0rd!";
const NEW_PASSWORD = "Memo-N3w-Passw0rd!";
const INCORRECT = { name: "NotAuthorizedException", message: "Incorrect username or password." };

for (const passwordMemo of [DEFAULT_PROVEN_PASSWORDS, 0]) {
  describe(`password sign-in with a password memo of ${passwordMemo}`, () => {
    let t: TestService;
    let userPoolId: string;
    let clientId: string;
    before(async () => {
      t = await startTestService({ passwordMemo });
      ({ userPoolId, clientId } = await createPoolAndClient(t.idp, {}, { PreventUserExistenceErrors: "ENABLED" }));
    });
    after(() => t.stop());

    const signIn = (username: string, password: string) =>
      t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD: password } }));
    const signUp = async (username: string, password = PASSWORD) => {
      await t.idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: password, UserAttributes: [{ Name: "email", Value: `${username}@example.com` }] }));
      await t.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: username }));
    };
    /** The powers of g a call computed. */
    const powersOf = async (call: () => Promise<unknown>) => {
      const before = generatorPowerCount();
      await call();
      return generatorPowerCount() - before;
    };

    it("a right password signs in (without a power of g once proven, with the memo); a wrong one costs a power and is refused", async () => {
      await signUp("ann");
      for (let i = 0; i < 3; i++) {
        assert.equal(await powersOf(async () => assert.ok((await signIn("ann", PASSWORD)).AuthenticationResult?.IdToken)), passwordMemo ? 0 : 1);
      }
      const entries = provenPasswordCount();
      assert.equal(await powersOf(() => assert.rejects(signIn("ann", "Memo-Wr0ng!"), INCORRECT)), 1);
      assert.equal(provenPasswordCount(), entries);
    });

    it("an unknown name costs what a wrong password does and is never remembered", async () => {
      const entries = provenPasswordCount();
      assert.equal(await powersOf(() => assert.rejects(signIn("nobody", PASSWORD), INCORRECT)), 1);
      assert.equal(await powersOf(() => assert.rejects(signIn("nobody", PASSWORD), INCORRECT)), 1);
      assert.equal(provenPasswordCount(), entries);
    });

    it("ChangePassword ends the old password at once", async () => {
      await signUp("bea");
      const { AuthenticationResult } = await signIn("bea", PASSWORD);
      await t.idp.send(new ChangePasswordCommand({ AccessToken: AuthenticationResult!.AccessToken!, PreviousPassword: PASSWORD, ProposedPassword: NEW_PASSWORD }));
      await assert.rejects(signIn("bea", PASSWORD), INCORRECT);
      assert.ok((await signIn("bea", NEW_PASSWORD)).AuthenticationResult?.IdToken);
    });

    it("ConfirmForgotPassword ends the old password at once", async () => {
      await signUp("cal");
      await t.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: "cal", UserAttributes: [{ Name: "email_verified", Value: "true" }] }));
      assert.ok((await signIn("cal", PASSWORD)).AuthenticationResult);
      await t.idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "cal" }));
      const code = await t.latestCode(userPoolId, "cal", "FORGOT_PASSWORD");
      await t.idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: "cal", ConfirmationCode: code, Password: NEW_PASSWORD }));
      await assert.rejects(signIn("cal", PASSWORD), INCORRECT);
      assert.ok((await signIn("cal", NEW_PASSWORD)).AuthenticationResult?.IdToken);
    });

    it("AdminSetUserPassword ends the old password at once", async () => {
      await signUp("dan");
      assert.ok((await signIn("dan", PASSWORD)).AuthenticationResult);
      await t.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: "dan", Password: NEW_PASSWORD, Permanent: true }));
      await assert.rejects(signIn("dan", PASSWORD), INCORRECT);
      assert.ok((await signIn("dan", NEW_PASSWORD)).AuthenticationResult?.IdToken);
    });

    it("a deleted user signed up again has only its new password", async () => {
      await signUp("eve");
      assert.ok((await signIn("eve", PASSWORD)).AuthenticationResult);
      await t.idp.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: "eve" }));
      await assert.rejects(signIn("eve", PASSWORD), INCORRECT);
      await signUp("eve", NEW_PASSWORD);
      await assert.rejects(signIn("eve", PASSWORD), INCORRECT);
      assert.ok((await signIn("eve", NEW_PASSWORD)).AuthenticationResult?.IdToken);
    });
  });
}
