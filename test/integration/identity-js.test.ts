// Acceptance: an unmodified amazon-cognito-identity-js in USER_PASSWORD_AUTH mode against the local service —
// sign-up and confirmation, sign-in and its failures, refresh, password change, attributes, sign-out, deletion, and
// the NEW_PASSWORD_REQUIRED challenge after AdminCreateUser.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { AdminCreateUserCommand, AdminGetUserCommand, CreateUserPoolClientCommand, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { CognitoUserPool } from "amazon-cognito-identity-js";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";
import * as js from "../support/identity-js";

const PASSWORD = "Passw0rd!first";
const FLOW = "USER_PASSWORD_AUTH";

describe("amazon-cognito-identity-js, USER_PASSWORD_AUTH", () => {
  let t: TestService;
  let userPoolId: string;
  let pool: CognitoUserPool;
  let n = 0;
  const nextName = () => `pw-user-${++n}`;

  before(async () => {
    t = await startTestService();
    const created = await createPoolAndClient(t.idp, { AutoVerifiedAttributes: ["email"] }, { PreventUserExistenceErrors: "ENABLED" });
    userPoolId = created.userPoolId;
    pool = js.userPool(t.url, created.userPoolId, created.clientId);
  });
  after(async () => {
    await t.stop();
  });

  /** Signs a user up through the library and confirms them with the delivered code. */
  async function registered(attrs: Record<string, string> = {}) {
    const username = nextName();
    await js.signUp(pool, username, PASSWORD, { email: `${username}@example.com`, ...attrs });
    const user = js.cognitoUser(pool, username, FLOW);
    await js.confirmRegistration(user, await t.latestCode(userPoolId, username, "SIGN_UP"));
    return { username, user };
  }

  async function signedIn(attrs: Record<string, string> = {}) {
    const { username, user } = await registered(attrs);
    const session = await js.signIn(user, PASSWORD);
    return { username, user, session };
  }

  test("signUp creates an unconfirmed user and delivers a code by email", async () => {
    const username = nextName();
    const result = await js.signUp(pool, username, PASSWORD, { email: `${username}@example.com` });
    assert.equal(result.userConfirmed, false);
    assert.match(result.userSub, /^[0-9a-f-]{36}$/);
    assert.equal(result.user.getUsername(), username);
    assert.equal(result.codeDeliveryDetails.DeliveryMedium, "EMAIL");
    assert.equal(result.codeDeliveryDetails.AttributeName, "email");
    assert.match(await t.latestCode(userPoolId, username, "SIGN_UP"), /^[0-9]{6}$/);
    const admin = await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    assert.equal(admin.UserStatus, "UNCONFIRMED");
    await js.expectError(js.signUp(pool, username, PASSWORD, { email: `${username}@example.com` }), "UsernameExistsException");
    await js.expectError(js.signUp(pool, nextName(), "short", {}), "InvalidPasswordException");
  });

  test("confirmRegistration refuses a wrong code, accepts the delivered one and verifies the email", async () => {
    const username = nextName();
    await js.signUp(pool, username, PASSWORD, { email: `${username}@example.com` });
    const user = js.cognitoUser(pool, username, FLOW);
    const code = await t.latestCode(userPoolId, username, "SIGN_UP");
    const wrong = code === "000000" ? "111111" : "000000";
    await js.expectError(js.confirmRegistration(user, wrong), "CodeMismatchException");
    assert.equal(await js.confirmRegistration(user, code), "SUCCESS");
    const admin = await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    assert.equal(admin.UserStatus, "CONFIRMED");
    assert.equal(admin.UserAttributes?.find((a) => a.Name === "email_verified")?.Value, "true");
    // A confirmed user cannot be confirmed again.
    await js.expectError(js.confirmRegistration(user, code), "NotAuthorizedException");
  });

  test("resendConfirmationCode delivers a new code that confirms the user", async () => {
    const username = nextName();
    await js.signUp(pool, username, PASSWORD, { email: `${username}@example.com` });
    const user = js.cognitoUser(pool, username, FLOW);
    const resent = await js.resendConfirmationCode(user);
    assert.equal(resent.CodeDeliveryDetails.DeliveryMedium, "EMAIL");
    assert.equal(resent.CodeDeliveryDetails.AttributeName, "email");
    assert.notEqual(resent.CodeDeliveryDetails.Destination, `${username}@example.com`, "the destination is masked");
    await js.confirmRegistration(user, await t.latestCode(userPoolId, username, "SIGN_UP"));
    await js.expectError(js.resendConfirmationCode(user), "InvalidParameterException");
  });

  test("authenticateUser signs a confirmed user in with RS256 tokens for the pool", async () => {
    const { username, user, session } = await signedIn();
    assert.ok(session.isValid());
    const { id, access } = js.claims(session);
    assert.equal(id.token_use, "id");
    assert.equal(id["cognito:username"], username);
    assert.equal(id.email, `${username}@example.com`);
    assert.equal(id.email_verified, true);
    assert.equal(id.iss, `https://cognito-idp.${t.service.region}.amazonaws.com/${userPoolId}`);
    assert.equal(id.aud, pool.getClientId());
    assert.equal(access.token_use, "access");
    assert.equal(access.client_id, pool.getClientId());
    assert.equal(access.username, username);
    assert.ok(session.getRefreshToken().getToken().length > 20);
    assert.equal(user.getSignInUserSession(), session);
    // The library cached the tokens in the given storage: a new pool object finds the user and the session.
    const current = pool.getCurrentUser();
    assert.equal(current?.getUsername(), username);
    const cached = await js.getSession(current!);
    assert.equal(cached.getAccessToken().getJwtToken(), session.getAccessToken().getJwtToken());
  });

  test("authenticateUser fails with NotAuthorizedException for a wrong password", async () => {
    const { user } = await registered();
    const err = await js.expectError(js.authenticate(user, "Wrong-passw0rd"), "NotAuthorizedException");
    assert.equal(err.message, "Incorrect username or password.");
    // This client hides user existence (PreventUserExistenceErrors ENABLED); a LEGACY client names the error.
    await js.expectError(js.authenticate(js.cognitoUser(pool, "nobody-here", FLOW), PASSWORD), "NotAuthorizedException");
    const legacy = await t.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: "legacy", PreventUserExistenceErrors: "LEGACY", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }));
    const legacyPool = js.userPool(t.url, userPoolId, legacy.UserPoolClient!.ClientId!);
    await js.expectError(js.authenticate(js.cognitoUser(legacyPool, "nobody-here", FLOW), PASSWORD), "UserNotFoundException");
  });

  test("authenticateUser fails with UserNotConfirmedException for an unconfirmed user", async () => {
    const username = nextName();
    await js.signUp(pool, username, PASSWORD, { email: `${username}@example.com` });
    await js.expectError(js.authenticate(js.cognitoUser(pool, username, FLOW), PASSWORD), "UserNotConfirmedException");
  });

  test("refreshSession gives new ID and access tokens for the refresh token", async () => {
    const { user, session } = await signedIn();
    const refreshed = await js.refreshSession(user, session);
    assert.notEqual(refreshed.getAccessToken().getJwtToken(), session.getAccessToken().getJwtToken());
    assert.notEqual(refreshed.getIdToken().getJwtToken(), session.getIdToken().getJwtToken());
    assert.equal(refreshed.getRefreshToken().getToken(), session.getRefreshToken().getToken());
    const before = js.claims(session);
    const afterRefresh = js.claims(refreshed);
    assert.equal(afterRefresh.access.origin_jti, before.access.origin_jti, "same sign-in session");
    assert.notEqual(afterRefresh.access.jti, before.access.jti);
    assert.ok((afterRefresh.access.iat as number) >= (before.access.iat as number));
    assert.ok(await js.getUserAttributes(user));
  });

  test("changePassword refuses a wrong old password, then the new password signs in and the old one no longer does", async () => {
    const { username, user } = await signedIn();
    await js.expectError(js.changePassword(user, "Not-the-0ld-one", "Passw0rd!second"), "NotAuthorizedException");
    await js.expectError(js.changePassword(user, PASSWORD, "weak"), "InvalidPasswordException");
    assert.equal(await js.changePassword(user, PASSWORD, "Passw0rd!second"), "SUCCESS");
    const again = js.cognitoUser(pool, username, FLOW);
    await js.expectError(js.authenticate(again, PASSWORD), "NotAuthorizedException");
    assert.ok((await js.signIn(again, "Passw0rd!second")).isValid());
  });

  test("getUserAttributes, updateAttributes and deleteAttributes read and change the profile", async () => {
    const { username, user } = await signedIn({ name: "Ada" });
    const initial = await js.getUserAttributes(user);
    assert.equal(initial.name, "Ada");
    assert.equal(initial.email, `${username}@example.com`);
    assert.match(initial.sub, /^[0-9a-f-]{36}$/);

    assert.equal(await js.updateAttributes(user, { nickname: "ada", name: "Ada L." }), "SUCCESS");
    const updated = await js.getUserAttributes(user);
    assert.equal(updated.nickname, "ada");
    assert.equal(updated.name, "Ada L.");
    await js.expectError(js.updateAttributes(user, { "custom:unknown": "x" }), "InvalidParameterException");

    assert.equal(await js.deleteAttributes(user, ["nickname"]), "SUCCESS");
    const afterDelete = await js.getUserAttributes(user);
    assert.equal(afterDelete.nickname, undefined);
    assert.equal(afterDelete.name, "Ada L.");
    // A new sign-in's ID token carries the current attributes.
    const fresh = await js.signIn(js.cognitoUser(pool, username, FLOW), PASSWORD);
    assert.equal(js.claims(fresh).id.name, "Ada L.");
    assert.equal(js.claims(fresh).id.nickname, undefined);
  });

  test("a changed email is unverified until getAttributeVerificationCode/verifyAttribute confirm it", async () => {
    const { username, user } = await signedIn();
    await js.updateAttributes(user, { email: `${username}.new@example.com` });
    let attrs = await js.getUserAttributes(user);
    assert.equal(attrs.email, `${username}.new@example.com`);
    assert.equal(attrs.email_verified, "false");

    const delivery = (await js.getAttributeVerificationCode(user, "email")) as { CodeDeliveryDetails: { AttributeName: string; DeliveryMedium: string } };
    assert.equal(delivery.CodeDeliveryDetails.AttributeName, "email");
    assert.equal(delivery.CodeDeliveryDetails.DeliveryMedium, "EMAIL");
    const code = await t.latestCode(userPoolId, username, "VERIFY_ATTRIBUTE");
    await js.expectError(js.verifyAttribute(user, "email", code === "000000" ? "111111" : "000000"), "CodeMismatchException");
    assert.equal(await js.verifyAttribute(user, "email", code), "SUCCESS");
    attrs = await js.getUserAttributes(user);
    assert.equal(attrs.email_verified, "true");
  });

  test("forgotPassword/confirmPassword reset the password; a wrong code gets CodeMismatchException", async () => {
    const { username } = await registered();
    const user = js.cognitoUser(pool, username, FLOW);
    const sent = await js.forgotPassword(user);
    assert.equal(sent.CodeDeliveryDetails.AttributeName, "email");
    const code = await t.latestCode(userPoolId, username, "FORGOT_PASSWORD");
    await js.expectError(js.confirmPassword(user, code === "000000" ? "111111" : "000000", "Passw0rd!reset"), "CodeMismatchException");
    assert.equal(await js.confirmPassword(user, code, "Passw0rd!reset"), "SUCCESS");
    await js.expectError(js.authenticate(js.cognitoUser(pool, username, FLOW), PASSWORD), "NotAuthorizedException");
    assert.ok((await js.signIn(js.cognitoUser(pool, username, FLOW), "Passw0rd!reset")).isValid());
  });

  test("globalSignOut revokes the tokens: the old access token and refresh token are refused", async () => {
    const { user, session } = await signedIn();
    assert.equal(await js.globalSignOut(user), "SUCCESS");
    // The library keeps the (now revoked) session on the object, so this sends the old access token.
    assert.ok(user.getSignInUserSession()?.isValid());
    await js.expectError(js.getUserAttributes(user), "NotAuthorizedException");
    // (The library retries a failed refresh for ~6 s, so the refresh token is checked with the SDK.)
    await assert.rejects(
      t.idp.send(new InitiateAuthCommand({ ClientId: pool.getClientId(), AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: session.getRefreshToken().getToken() } })),
      { name: "NotAuthorizedException" },
    );
  });

  test("deleteUser removes the user; signing in again finds no user", async () => {
    const { username, user } = await signedIn();
    assert.equal(await js.deleteUser(user), "SUCCESS");
    await assert.rejects(t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username })), { name: "UserNotFoundException" });
    await js.expectError(js.authenticate(js.cognitoUser(pool, username, FLOW), PASSWORD), "NotAuthorizedException");
    await js.expectError(js.getUserAttributes(user), "NotAuthorizedException");
  });

  test("after AdminCreateUser, newPasswordRequired + completeNewPasswordChallenge sign the user in", async () => {
    const username = nextName();
    await t.idp.send(new AdminCreateUserCommand({
      UserPoolId: userPoolId, Username: username, TemporaryPassword: "Temp-passw0rd!", MessageAction: "SUPPRESS",
      UserAttributes: [{ Name: "email", Value: `${username}@example.com` }, { Name: "email_verified", Value: "true" }],
    }));
    const user = js.cognitoUser(pool, username, FLOW);
    const next = await js.authenticate(user, "Temp-passw0rd!");
    assert.equal(next.kind, "newPasswordRequired");
    if (next.kind !== "newPasswordRequired") return;
    assert.equal(next.userAttributes.email, `${username}@example.com`);
    assert.deepEqual(next.requiredAttributes, []);
    await js.expectError(js.completeNewPasswordChallenge(user, "weak"), "InvalidPasswordException");
    const done = await js.completeNewPasswordChallenge(user, "Chosen-passw0rd!", { nickname: "newbie" });
    assert.equal(done.kind, "signedIn");
    if (done.kind !== "signedIn") return;
    assert.equal(js.claims(done.session).id.nickname, "newbie");
    const admin = await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    assert.equal(admin.UserStatus, "CONFIRMED");
    await js.expectError(js.authenticate(js.cognitoUser(pool, username, FLOW), "Temp-passw0rd!"), "NotAuthorizedException");
    assert.ok((await js.signIn(js.cognitoUser(pool, username, FLOW), "Chosen-passw0rd!")).isValid());
  });

  test("newPasswordRequired lists required attributes the admin left out, and completing needs them", {

  }, async () => {
    // AWS: "any attributes that you specify as required either you should supply (in your call to AdminCreateUser)
    // or the user should supply (when they sign up in response to your welcome message)".
    const strict = await createPoolAndClient(t.idp, {
      PoolName: "required-name",
      Schema: [{ Name: "name", AttributeDataType: "String", Required: true, Mutable: true }],
    });
    const strictPool = js.userPool(t.url, strict.userPoolId, strict.clientId);
    await t.idp.send(new AdminCreateUserCommand({
      UserPoolId: strict.userPoolId, Username: "invitee", TemporaryPassword: "Temp-passw0rd!", MessageAction: "SUPPRESS",
    }));
    const user = js.cognitoUser(strictPool, "invitee", FLOW);
    const next = await js.authenticate(user, "Temp-passw0rd!");
    assert.equal(next.kind, "newPasswordRequired");
    if (next.kind !== "newPasswordRequired") return;
    assert.deepEqual(next.requiredAttributes, ["name"]);
    await js.expectError(js.completeNewPasswordChallenge(user, "Chosen-passw0rd!"), "InvalidParameterException");
    const retry = js.cognitoUser(strictPool, "invitee", FLOW);
    assert.equal((await js.authenticate(retry, "Temp-passw0rd!")).kind, "newPasswordRequired");
    const done = await js.completeNewPasswordChallenge(retry, "Chosen-passw0rd!", { name: "Grace" });
    assert.equal(done.kind, "signedIn");
    if (done.kind === "signedIn") assert.equal(js.claims(done.session).id.name, "Grace");
  });
});
