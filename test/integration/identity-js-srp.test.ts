// Acceptance: an unmodified amazon-cognito-identity-js in its default SRP mode (USER_SRP_AUTH + PASSWORD_VERIFIER)
// against the local service, on a client that allows no plain-password sign-in; usernames, email usernames and email
// aliases; and the stateless flows of the cognito-user-pool wrapper (seed 002) built on the same library.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { AdminCreateUserCommand, AdminGetUserCommand, CreateUserPoolClientCommand, GetUserCommand, InitiateAuthCommand, type CreateUserPoolClientCommandInput } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoRefreshToken, type CognitoUserPool } from "amazon-cognito-identity-js";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";
import * as js from "../support/identity-js";

const PASSWORD = "Srp-passw0rd!";
/** The client allows SRP and refresh only, so any success below went through PASSWORD_VERIFIER. */
const SRP_ONLY: Partial<CreateUserPoolClientCommandInput> = { ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], PreventUserExistenceErrors: "ENABLED" };

describe("amazon-cognito-identity-js, default SRP flow", () => {
  let t: TestService;
  let userPoolId: string;
  let pool: CognitoUserPool;
  let n = 0;
  const nextName = () => `srp-user-${++n}`;

  before(async () => {
    t = await startTestService();
    const created = await createPoolAndClient(t.idp, { AutoVerifiedAttributes: ["email"] }, SRP_ONLY);
    userPoolId = created.userPoolId;
    pool = js.userPool(t.url, created.userPoolId, created.clientId);
  });
  after(async () => {
    await t.stop();
  });

  async function registered(p = pool, poolId = userPoolId, username = nextName(), attrs: Record<string, string> = { email: `${username}@example.com` }) {
    const result = await js.signUp(p, username, PASSWORD, attrs);
    await js.confirmRegistration(js.cognitoUser(p, username), await t.latestCode(poolId, result.user.getUsername(), "SIGN_UP"));
    return { username, sub: result.userSub };
  }

  test("authenticateUser (SRP) signs a confirmed user in; USER_PASSWORD_AUTH is refused on this client", async () => {
    const { username, sub } = await registered();
    const user = js.cognitoUser(pool, username);
    assert.equal(user.getAuthenticationFlowType(), "USER_SRP_AUTH");
    const session = await js.signIn(user, PASSWORD);
    const { id, access } = js.claims(session);
    assert.equal(id.sub, sub);
    assert.equal(id["cognito:username"], username);
    assert.equal(access.username, username);
    assert.equal(access.token_use, "access");
    const me = await t.idp.send(new GetUserCommand({ AccessToken: session.getAccessToken().getJwtToken() }));
    assert.equal(me.Username, username);
    await js.expectError(js.authenticate(js.cognitoUser(pool, username, "USER_PASSWORD_AUTH"), PASSWORD), "InvalidParameterException");
  });

  test("authenticateUser (SRP) fails with NotAuthorizedException for a wrong password", async () => {
    const { username } = await registered();
    const err = await js.expectError(js.authenticate(js.cognitoUser(pool, username), `${PASSWORD}x`), "NotAuthorizedException");
    assert.equal(err.message, "Incorrect username or password.");
    // With user existence hidden, an unknown user gets a challenge no password answers, then the same error.
    await js.expectError(js.authenticate(js.cognitoUser(pool, "no-such-user"), PASSWORD), "NotAuthorizedException");
    const legacy = await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "legacy", ...SRP_ONLY, PreventUserExistenceErrors: "LEGACY" }));
    const legacyPool = js.userPool(t.url, userPoolId, legacy.UserPoolClient!.ClientId!);
    await js.expectError(js.authenticate(js.cognitoUser(legacyPool, "no-such-user"), PASSWORD), "UserNotFoundException");
  });

  test("authenticateUser (SRP) fails with UserNotConfirmedException for an unconfirmed user", async () => {
    const username = nextName();
    await js.signUp(pool, username, PASSWORD, { email: `${username}@example.com` });
    await js.expectError(js.authenticate(js.cognitoUser(pool, username), PASSWORD), "UserNotConfirmedException");
  });

  test("SRP with email as the username: the library switches to the USER_ID_FOR_SRP the service names", async () => {
    const emailPool = await createPoolAndClient(t.idp, { PoolName: "email-usernames", UsernameAttributes: ["email"], AutoVerifiedAttributes: ["email"] }, SRP_ONLY);
    const p = js.userPool(t.url, emailPool.userPoolId, emailPool.clientId);
    const email = "grace@example.com";
    const { sub } = await registered(p, emailPool.userPoolId, email, {});
    const user = js.cognitoUser(p, email);
    const session = await js.signIn(user, PASSWORD);
    assert.equal(user.getUsername(), sub, "the library now names the user by the id it signed in with");
    assert.equal(js.claims(session).id.email, email);
    assert.equal(js.claims(session).access.username, sub);
    await js.expectError(js.authenticate(js.cognitoUser(p, email), "Wrong-passw0rd!"), "NotAuthorizedException");
  });

  test("SRP with an email alias signs in by the alias and by the username", async () => {
    const aliasPool = await createPoolAndClient(t.idp, { PoolName: "email-alias", AliasAttributes: ["email"], AutoVerifiedAttributes: ["email"] }, SRP_ONLY);
    const p = js.userPool(t.url, aliasPool.userPoolId, aliasPool.clientId);
    const { username } = await registered(p, aliasPool.userPoolId, "alan", { email: "alan@example.com" });
    const byAlias = js.cognitoUser(p, "alan@example.com");
    const session = await js.signIn(byAlias, PASSWORD);
    assert.equal(byAlias.getUsername(), username);
    assert.equal(js.claims(session).id["cognito:username"], username);
    assert.ok((await js.signIn(js.cognitoUser(p, username), PASSWORD)).isValid());
  });

  test("after an SRP sign-in: refreshSession, changePassword, and SRP with the new password", async () => {
    const { username } = await registered();
    const user = js.cognitoUser(pool, username);
    const session = await js.signIn(user, PASSWORD);
    const refreshed = await js.refreshSession(user, session);
    assert.equal(js.claims(refreshed).access.origin_jti, js.claims(session).access.origin_jti);
    assert.equal(js.claims(refreshed).id["cognito:username"], username);
    assert.equal(await js.changePassword(user, PASSWORD, "Srp-new-passw0rd!"), "SUCCESS");
    await js.expectError(js.authenticate(js.cognitoUser(pool, username), PASSWORD), "NotAuthorizedException");
    assert.ok((await js.signIn(js.cognitoUser(pool, username), "Srp-new-passw0rd!")).isValid());
  });

  test("NEW_PASSWORD_REQUIRED after AdminCreateUser, reached through SRP", async () => {
    const username = nextName();
    await t.idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: username, TemporaryPassword: "Temp-passw0rd!", MessageAction: "SUPPRESS" }));
    const user = js.cognitoUser(pool, username);
    await js.expectError(js.authenticate(js.cognitoUser(pool, username), "Not-the-temp-0ne!"), "NotAuthorizedException");
    const next = await js.authenticate(user, "Temp-passw0rd!");
    assert.equal(next.kind, "newPasswordRequired");
    const done = await js.completeNewPasswordChallenge(user, "Srp-chosen-passw0rd!", { email: `${username}@example.com` });
    assert.equal(done.kind, "signedIn");
    if (done.kind === "signedIn") assert.equal(js.claims(done.session).id.email, `${username}@example.com`);
    const admin = await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    assert.equal(admin.UserStatus, "CONFIRMED");
    assert.ok((await js.signIn(js.cognitoUser(pool, username), "Srp-chosen-passw0rd!")).isValid());
  });

  // The cognito-user-pool wrapper (seed 002) on the default SRP flow: stateless calls, challenges continued from a
  // loginSession, signed-in calls made from the refresh token the caller keeps.
  describe("cognito-user-pool wrapper flows (seed 002)", () => {
    let wrapper: js.StatelessUserPoolWrapper;
    before(() => {
      wrapper = new js.StatelessUserPoolWrapper(pool);
    });

    function tokens(result: js.WrapperTokens | js.WrapperNextStep): js.WrapperTokens {
      assert.ok(!("nextStep" in result), `expected tokens, got ${"nextStep" in result ? result.nextStep : ""}`);
      return result as js.WrapperTokens;
    }

    test("signup, signupResend, signupConfirm, then login returns tokens with their expiry", async () => {
      const username = nextName();
      const signedUp = await wrapper.signup({ username, password: PASSWORD, attributes: [{ Name: "email", Value: `${username}@example.com` }] });
      assert.equal(signedUp.userConfirmed, false);
      await wrapper.signupResend({ username });
      await js.expectError(wrapper.signupConfirm({ username, confirmationCode: "000000" === (await t.latestCode(userPoolId, username, "SIGN_UP")) ? "111111" : "000000" }), "CodeMismatchException");
      assert.equal(await wrapper.signupConfirm({ username, confirmationCode: await t.latestCode(userPoolId, username, "SIGN_UP") }), "SUCCESS");
      const login = tokens(await wrapper.login({ username, password: PASSWORD }));
      const now = Math.floor(Date.now() / 1000);
      assert.ok(login.accessTokenExpiresAt > now + 3000 && login.accessTokenExpiresAt <= now + 3605);
      assert.ok(login.idTokenExpiresAt > now + 3000 && login.idTokenExpiresAt <= now + 3605);
      assert.ok(login.refreshToken.length > 20);
      await js.expectError(wrapper.login({ username, password: "Wrong-passw0rd!" }), "NotAuthorizedException");
    });

    test("login → NEW_PASSWORD_REQUIRED with a loginSession; loginNewPasswordRequired answers it once", async () => {
      const username = nextName();
      await t.idp.send(new AdminCreateUserCommand({
        UserPoolId: userPoolId, Username: username, TemporaryPassword: "Temp-passw0rd!", MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      }));
      const first = await wrapper.login({ username, password: "Temp-passw0rd!" });
      assert.ok("nextStep" in first);
      assert.equal(first.nextStep, "NEW_PASSWORD_REQUIRED");
      const done = tokens(await wrapper.loginNewPasswordRequired({ username, loginSession: first.loginSession, newPassword: "Wrapper-passw0rd!" }));
      assert.ok(done.accessToken);
      await js.expectError(wrapper.loginNewPasswordRequired({ username, loginSession: first.loginSession, newPassword: "Another-passw0rd!" }), "NotAuthorizedException");
      assert.ok(tokens(await wrapper.login({ username, password: "Wrapper-passw0rd!" })).idToken);
    });

    test("profile, profileEdit (an empty Value removes), profileEditPhoneNumber, profileAttributeConfirm, getMfa, refreshSession", async () => {
      const { username } = await registered();
      const { refreshToken, accessTokenExpiresAt } = tokens(await wrapper.login({ username, password: PASSWORD }));
      const me = { username, refreshToken };

      assert.equal(await wrapper.profileEdit({ ...me, attributes: [{ Name: "nickname", Value: "grace" }, { Name: "name", Value: "Grace" }] }), "SUCCESS");
      assert.equal((await wrapper.profile(me)).nickname, "grace");
      await wrapper.profileEdit({ ...me, attributes: [{ Name: "nickname", Value: "" }] });
      let profile = await wrapper.profile(me);
      assert.equal(profile.nickname, undefined, "an empty Value removes the attribute");
      assert.equal(profile.name, "Grace");
      await wrapper.profileEdit({ ...me, attributes: [{ Name: "name", Value: null }] });
      assert.equal((await wrapper.profile(me)).name, undefined);

      await wrapper.profileEditPhoneNumber({ ...me, phone_number: "+15550100777" });
      profile = await wrapper.profile(me);
      assert.equal(profile.phone_number, "+15550100777");
      // email is auto-verified: changing it through profileEdit sends a code, which profileAttributeConfirm checks.
      await wrapper.profileEdit({ ...me, attributes: [{ Name: "email", Value: `${username}.new@example.com` }] });
      assert.equal((await wrapper.profile(me)).email_verified, "false");
      const code = await t.latestCode(userPoolId, username, "VERIFY_ATTRIBUTE");
      assert.equal(await wrapper.profileAttributeConfirm({ ...me, attribute: "email", confirmationCode: code }), "SUCCESS");
      assert.equal((await wrapper.profile(me)).email_verified, "true");
      assert.equal(await wrapper.getMfa(me), null, "no MFA in this pool");
      await wrapper.profileEditPhoneNumber({ ...me, phone_number: null });
      assert.equal((await wrapper.profile(me)).phone_number, undefined);

      const refreshed = await wrapper.refreshSession(me);
      assert.ok(refreshed.accessTokenExpiresAt >= accessTokenExpiresAt);
      assert.equal(refreshed.refreshToken, refreshToken);
    });

    test("passwordChange, passwordForgot/passwordReset, and logout ends every session", async () => {
      const { username } = await registered();
      const { refreshToken } = tokens(await wrapper.login({ username, password: PASSWORD }));
      await js.expectError(wrapper.passwordChange({ username, refreshToken, oldPassword: "Not-the-0ld-one!", newPassword: "Changed-passw0rd!" }), "NotAuthorizedException");
      assert.equal(await wrapper.passwordChange({ username, refreshToken, oldPassword: PASSWORD, newPassword: "Changed-passw0rd!" }), "SUCCESS");

      await wrapper.passwordForgot({ username });
      const code = await t.latestCode(userPoolId, username, "FORGOT_PASSWORD");
      await js.expectError(wrapper.passwordReset({ username, passwordResetCode: code === "000000" ? "111111" : "000000", newPassword: "Reset-passw0rd!" }), "CodeMismatchException");
      assert.equal(await wrapper.passwordReset({ username, passwordResetCode: code, newPassword: "Reset-passw0rd!" }), "SUCCESS");
      const other = tokens(await wrapper.login({ username, password: "Reset-passw0rd!" }));

      assert.equal(await wrapper.logout({ username, refreshToken: other.refreshToken }), "SUCCESS");
      for (const token of [refreshToken, other.refreshToken]) {
        await assert.rejects(
          t.idp.send(new InitiateAuthCommand({ ClientId: pool.getClientId(), AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: token } })),
          { name: "NotAuthorizedException" },
        );
      }
      const holder = js.cognitoUser(pool, username);
      holder.setSignInUserSession(js.sessionFromTokens(other.idToken, other.accessToken));
      await js.expectError(js.getUserAttributes(holder), "NotAuthorizedException");
    });
  });
});
