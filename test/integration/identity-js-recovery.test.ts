// Acceptance: recovery and verification with an unmodified amazon-cognito-identity-js (default SRP sign-in) against the
// local service: resendConfirmationCode/confirmRegistration, forgotPassword/confirmPassword with wrong codes and the
// attempt limit, AdminResetUserPassword, attribute verification for email and phone, deleteAttributes, globalSignOut
// and deleteUser.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { AdminGetUserCommand, AdminResetUserPasswordCommand, AdminUserGlobalSignOutCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { CognitoUserPool } from "amazon-cognito-identity-js";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";
import * as js from "../support/identity-js";

const PASSWORD = "Recover-passw0rd!";

describe("amazon-cognito-identity-js recovery and verification (SRP sign-in)", () => {
  let t: TestService;
  let userPoolId: string;
  let pool: CognitoUserPool;
  let n = 0;

  before(async () => {
    t = await startTestService();
    const created = await createPoolAndClient(t.idp, {
      AutoVerifiedAttributes: ["email"],
      Schema: [{ Name: "email", AttributeDataType: "String", Required: true, Mutable: true }],
    });
    userPoolId = created.userPoolId;
    pool = js.userPool(t.url, created.userPoolId, created.clientId);
  });
  after(async () => {
    await t.stop();
  });

  const wrongCode = (code: string) => (code === "000000" ? "111111" : "000000");

  async function confirmed(attrs: Record<string, string> = {}) {
    const username = `rec-user-${++n}`;
    await js.signUp(pool, username, PASSWORD, { email: `${username}@example.com`, ...attrs });
    await js.confirmRegistration(js.cognitoUser(pool, username), await t.latestCode(userPoolId, username, "SIGN_UP"));
    return { username, fresh: () => js.cognitoUser(pool, username) };
  }

  test("resendConfirmationCode replaces the code: the old one is refused, the new one confirms", async () => {
    const username = `rec-user-${++n}`;
    await js.signUp(pool, username, PASSWORD, { email: `${username}@example.com` });
    const user = js.cognitoUser(pool, username);
    const firstCode = await t.latestCode(userPoolId, username, "SIGN_UP");
    const resent = await js.resendConfirmationCode(user);
    assert.equal(resent.CodeDeliveryDetails.DeliveryMedium, "EMAIL");
    const secondCode = await t.latestCode(userPoolId, username, "SIGN_UP");
    if (secondCode !== firstCode) await js.expectError(js.confirmRegistration(user, firstCode), "CodeMismatchException");
    await js.expectError(js.authenticate(js.cognitoUser(pool, username), PASSWORD), "UserNotConfirmedException");
    assert.equal(await js.confirmRegistration(user, secondCode), "SUCCESS");
    assert.ok((await js.signIn(js.cognitoUser(pool, username), PASSWORD)).isValid());
  });

  test("forgotPassword/confirmPassword: CodeMismatchException on a wrong code, then SRP sign-in with the new password", async () => {
    const { username, fresh } = await confirmed();
    const sent = await js.forgotPassword(fresh());
    assert.equal(sent.CodeDeliveryDetails.AttributeName, "email");
    assert.equal(sent.CodeDeliveryDetails.DeliveryMedium, "EMAIL");
    const code = await t.latestCode(userPoolId, username, "FORGOT_PASSWORD");
    await js.expectError(js.confirmPassword(fresh(), wrongCode(code), "Brand-new-passw0rd!"), "CodeMismatchException");
    await js.expectError(js.confirmPassword(fresh(), code, "weak"), "InvalidPasswordException");
    assert.equal(await js.confirmPassword(fresh(), code, "Brand-new-passw0rd!"), "SUCCESS");
    // A code answers once.
    await js.expectError(js.confirmPassword(fresh(), code, "Other-new-passw0rd!"), "CodeMismatchException");
    await js.expectError(js.authenticate(fresh(), PASSWORD), "NotAuthorizedException");
    assert.ok((await js.signIn(fresh(), "Brand-new-passw0rd!")).isValid());
  });

  test("confirmPassword: after repeated wrong codes the code is burnt (LimitExceededException)", async () => {
    const { username, fresh } = await confirmed();
    await js.forgotPassword(fresh());
    const code = await t.latestCode(userPoolId, username, "FORGOT_PASSWORD");
    let limited = false;
    for (let attempt = 0; attempt < 10 && !limited; attempt++) {
      try {
        await js.confirmPassword(fresh(), wrongCode(code), "Brand-new-passw0rd!");
        assert.fail("a wrong code was accepted");
      } catch (err) {
        const name = js.errorCode(err);
        assert.ok(name === "CodeMismatchException" || name === "LimitExceededException", `unexpected ${name}`);
        limited = name === "LimitExceededException";
      }
    }
    assert.ok(limited, "wrong codes are limited");
    await assert.rejects(js.confirmPassword(fresh(), code, "Brand-new-passw0rd!"), "the burnt code no longer works");
    assert.ok((await js.signIn(fresh(), PASSWORD)).isValid(), "the password is unchanged");
  });

  test("AdminResetUserPassword: sign-in gets PasswordResetRequiredException until confirmPassword sets a new password", async () => {
    const { username, fresh } = await confirmed();
    await t.idp.send(new AdminResetUserPasswordCommand({ UserPoolId: userPoolId, Username: username }));
    assert.equal((await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }))).UserStatus, "RESET_REQUIRED");
    await js.expectError(js.authenticate(fresh(), PASSWORD), "PasswordResetRequiredException");
    const code = await t.latestCode(userPoolId, username, "FORGOT_PASSWORD");
    assert.equal(await js.confirmPassword(fresh(), code, "After-reset-passw0rd!"), "SUCCESS");
    assert.equal((await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }))).UserStatus, "CONFIRMED");
    assert.ok((await js.signIn(fresh(), "After-reset-passw0rd!")).isValid());
  });

  test("getAttributeVerificationCode/verifyAttribute verify a phone number; a changed email is re-verified", async () => {
    const { username, fresh } = await confirmed({ phone_number: "+15550100199" });
    const user = fresh();
    await js.signIn(user, PASSWORD);
    let attrs = await js.getUserAttributes(user);
    assert.equal(attrs.email_verified, "true");
    assert.notEqual(attrs.phone_number_verified, "true");

    const delivery = (await js.getAttributeVerificationCode(user, "phone_number")) as { CodeDeliveryDetails: { DeliveryMedium: string; AttributeName: string } };
    assert.equal(delivery.CodeDeliveryDetails.DeliveryMedium, "SMS");
    assert.equal(delivery.CodeDeliveryDetails.AttributeName, "phone_number");
    const phoneCode = await t.latestCode(userPoolId, username, "VERIFY_ATTRIBUTE");
    await js.expectError(js.verifyAttribute(user, "phone_number", wrongCode(phoneCode)), "CodeMismatchException");
    assert.equal(await js.verifyAttribute(user, "phone_number", phoneCode), "SUCCESS");
    attrs = await js.getUserAttributes(user);
    assert.equal(attrs.phone_number_verified, "true");

    // email is auto-verified: changing it sends a code right away (no separate request needed).
    await js.updateAttributes(user, { email: `${username}.moved@example.com` });
    attrs = await js.getUserAttributes(user);
    assert.equal(attrs.email_verified, "false");
    assert.equal(await js.verifyAttribute(user, "email", await t.latestCode(userPoolId, username, "VERIFY_ATTRIBUTE")), "SUCCESS");
    attrs = await js.getUserAttributes(user);
    assert.equal(attrs.email, `${username}.moved@example.com`);
    assert.equal(attrs.email_verified, "true");
    assert.equal(js.claims(await js.refreshSession(user, user.getSignInUserSession()!)).id.email_verified, true);
  });

  test("deleteAttributes removes optional attributes (and their verification), but not required ones", async () => {
    const { fresh } = await confirmed({ phone_number: "+15550100288", nickname: "nick" });
    const user = fresh();
    await js.signIn(user, PASSWORD);
    assert.equal(await js.deleteAttributes(user, ["nickname", "phone_number"]), "SUCCESS");
    const attrs = await js.getUserAttributes(user);
    assert.equal(attrs.nickname, undefined);
    assert.equal(attrs.phone_number, undefined);
    assert.equal(attrs.phone_number_verified, undefined);
    assert.equal(attrs.email, `${user.getUsername()}@example.com`);
  });

  test("deleteAttributes refuses a required attribute", {

  }, async () => {
    const { fresh } = await confirmed();
    const user = fresh();
    await js.signIn(user, PASSWORD);
    await js.expectError(js.deleteAttributes(user, ["email"]), "InvalidParameterException");
    assert.ok((await js.getUserAttributes(user)).email);
  });

  test("globalSignOut: every session's access token is refused; a new SRP sign-in works", async () => {
    const { fresh } = await confirmed();
    const first = fresh();
    await js.signIn(first, PASSWORD);
    const second = fresh();
    await js.signIn(second, PASSWORD);
    assert.equal(await js.globalSignOut(first), "SUCCESS");
    await js.expectError(js.getUserAttributes(first), "NotAuthorizedException");
    await js.expectError(js.getUserAttributes(second), "NotAuthorizedException");
    await js.expectError(js.changePassword(second, PASSWORD, "Another-passw0rd!"), "NotAuthorizedException");
    const third = fresh();
    await js.signIn(third, PASSWORD);
    assert.ok((await js.getUserAttributes(third)).sub);
  });

  test("AdminUserGlobalSignOut refuses the library's tokens just the same", async () => {
    const { username, fresh } = await confirmed();
    const user = fresh();
    await js.signIn(user, PASSWORD);
    await t.idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: username }));
    await js.expectError(js.getUserAttributes(user), "NotAuthorizedException");
  });

  test("deleteUser: the tokens stop working, the user is gone, and the username can sign up again", async () => {
    const { username, fresh } = await confirmed();
    const user = fresh();
    await js.signIn(user, PASSWORD);
    assert.equal(await js.deleteUser(user), "SUCCESS");
    await js.expectError(js.getUserAttributes(user), "NotAuthorizedException");
    await assert.rejects(t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username })), { name: "UserNotFoundException" });
    const again = await js.signUp(pool, username, PASSWORD, { email: `${username}@example.com` });
    assert.equal(again.userConfirmed, false);
  });
});
