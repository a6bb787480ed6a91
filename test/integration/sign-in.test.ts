// Integration tests of sign-in against the real local Cognito service through the AWS SDK v3: USER_PASSWORD_AUTH and
// ADMIN_USER_PASSWORD_AUTH with every user status and error, PreventUserExistenceErrors, flows a client does not allow,
// lockout, REFRESH_TOKEN_AUTH, and the NEW_PASSWORD_REQUIRED and RESET_REQUIRED paths.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import {
  AdminConfirmSignUpCommand, AdminCreateUserCommand, AdminDisableUserCommand, AdminEnableUserCommand, AdminGetUserCommand,
  AdminInitiateAuthCommand, AdminResetUserPasswordCommand, AdminRespondToAuthChallengeCommand, AdminSetUserPasswordCommand,
  ConfirmForgotPasswordCommand, CreateUserPoolClientCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, SignUpCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";
import { startClockedService, type ClockedService } from "../support/clocked-service";

const PASSWORD = "Corr3ct-Horse!";
const NEW_PASSWORD = "N3w-Password!";
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;

async function confirmedUser(idp: CognitoIdentityProviderClient, userPoolId: string, clientId: string, username: string, password = PASSWORD) {
  await idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: password, UserAttributes: [{ Name: "email", Value: `${username}@example.com` }] }));
  await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: username }));
}

const passwordAuth = (idp: CognitoIdentityProviderClient, clientId: string, username: string, password = PASSWORD) =>
  idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD: password } }));

describe("sign-in", () => {
  let t: TestService;
  let userPoolId: string;
  let clientId: string;
  let legacyClientId: string;

  before(async () => {
    t = await startTestService();
    ({ userPoolId, clientId } = await createPoolAndClient(t.idp, {}, { PreventUserExistenceErrors: "ENABLED" }));
    const legacy = await t.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: "legacy", PreventUserExistenceErrors: "LEGACY",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }));
    legacyClientId = legacy.UserPoolClient!.ClientId!;
  });
  after(() => t.stop());

  describe("USER_PASSWORD_AUTH", () => {
    it("returns ID, access and refresh tokens with ExpiresIn 3600 and TokenType Bearer", async () => {
      await confirmedUser(t.idp, userPoolId, clientId, "alice");
      const res = await passwordAuth(t.idp, clientId, "alice");
      assert.equal(res.ChallengeName, undefined);
      const result = res.AuthenticationResult!;
      assert.equal(result.ExpiresIn, 3600);
      assert.equal(result.TokenType, "Bearer");
      assert.equal(result.IdToken!.split(".").length, 3);
      assert.equal(result.AccessToken!.split(".").length, 3);
      assert.ok(result.RefreshToken && result.RefreshToken.split(".").length !== 3, "the refresh token is opaque, not a JWT");
      assert.equal(claimsOf(result.IdToken!)["cognito:username"], "alice");
      assert.equal(claimsOf(result.AccessToken!).username, "alice");
    });

    it("refuses a wrong password with NotAuthorizedException", async () => {
      await confirmedUser(t.idp, userPoolId, clientId, "bob");
      await assert.rejects(passwordAuth(t.idp, clientId, "bob", "Wr0ng-Password!"), { name: "NotAuthorizedException", message: "Incorrect username or password." });
    });

    it("refuses an unconfirmed user with UserNotConfirmedException, after checking the password", async () => {
      await t.idp.send(new SignUpCommand({ ClientId: clientId, Username: "carol", Password: PASSWORD }));
      await assert.rejects(passwordAuth(t.idp, clientId, "carol"), { name: "UserNotConfirmedException", message: "User is not confirmed." });
      await assert.rejects(passwordAuth(t.idp, clientId, "carol", "Wr0ng-Password!"), { name: "NotAuthorizedException", message: "Incorrect username or password." });
    });

    it("refuses a disabled user until it is enabled again", async () => {
      await confirmedUser(t.idp, userPoolId, clientId, "dave");
      await t.idp.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: "dave" }));
      await assert.rejects(passwordAuth(t.idp, clientId, "dave"), { name: "NotAuthorizedException", message: "User is disabled." });
      await assert.rejects(t.idp.send(new AdminInitiateAuthCommand({
        UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "dave", PASSWORD },
      })), { name: "NotAuthorizedException", message: "User is disabled." });
      await t.idp.send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: "dave" }));
      assert.ok((await passwordAuth(t.idp, clientId, "dave")).AuthenticationResult?.AccessToken);
    });

    it("hides unknown users behind 'Incorrect username or password.' when PreventUserExistenceErrors is ENABLED", async () => {
      await assert.rejects(passwordAuth(t.idp, clientId, "nobody"), { name: "NotAuthorizedException", message: "Incorrect username or password." });
    });

    it("reports unknown users with UserNotFoundException when PreventUserExistenceErrors is LEGACY", async () => {
      await assert.rejects(passwordAuth(t.idp, legacyClientId, "nobody"), { name: "UserNotFoundException", message: "User does not exist." });
    });

    it("refuses flows the client does not enable with InvalidParameterException", async () => {
      const srpOnly = await t.idp.send(new CreateUserPoolClientCommand({
        UserPoolId: userPoolId, ClientName: "srp-only", ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }));
      const id = srpOnly.UserPoolClient!.ClientId!;
      await confirmedUser(t.idp, userPoolId, clientId, "erin");
      await assert.rejects(passwordAuth(t.idp, id, "erin"), { name: "InvalidParameterException", message: "USER_PASSWORD_AUTH flow not enabled for this client" });
      await assert.rejects(t.idp.send(new AdminInitiateAuthCommand({
        UserPoolId: userPoolId, ClientId: id, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "erin", PASSWORD },
      })), { name: "InvalidParameterException", message: "ADMIN_USER_PASSWORD_AUTH flow not enabled for this client" });
      // The admin flow is not an InitiateAuth flow, and unknown flows are validation errors.
      await assert.rejects(t.idp.send(new InitiateAuthCommand({
        ClientId: clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "erin", PASSWORD },
      })), { name: "InvalidParameterException" });
      await assert.rejects(t.idp.send(new InitiateAuthCommand({
        ClientId: clientId, AuthFlow: "NO_SUCH_FLOW" as "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "erin", PASSWORD },
      })), { name: "InvalidParameterException" });
      await assert.rejects(t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "erin" } })), {
        name: "InvalidParameterException",
        message: /PASSWORD/,
      });
    });

    it("locks a user out after repeated wrong passwords: 'Password attempts exceeded', even with the right one", async () => {
      await confirmedUser(t.idp, userPoolId, clientId, "frank");
      for (let i = 0; i < 5; i++) {
        await assert.rejects(passwordAuth(t.idp, clientId, "frank", `Wr0ng-Password-${i}!`), { name: "NotAuthorizedException", message: "Incorrect username or password." });
      }
      await assert.rejects(passwordAuth(t.idp, clientId, "frank"), { name: "NotAuthorizedException", message: "Password attempts exceeded" });
      await assert.rejects(t.idp.send(new AdminInitiateAuthCommand({
        UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "frank", PASSWORD },
      })), { name: "NotAuthorizedException", message: "Password attempts exceeded" });
    });
  });

  describe("ADMIN_USER_PASSWORD_AUTH", () => {
    it("signs in through AdminInitiateAuth", async () => {
      await confirmedUser(t.idp, userPoolId, clientId, "gina");
      const res = await t.idp.send(new AdminInitiateAuthCommand({
        UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "gina", PASSWORD },
      }));
      assert.equal(res.AuthenticationResult!.ExpiresIn, 3600);
      assert.equal(res.AuthenticationResult!.TokenType, "Bearer");
      assert.equal(claimsOf(res.AuthenticationResult!.AccessToken!).username, "gina");
      await assert.rejects(t.idp.send(new AdminInitiateAuthCommand({
        UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "gina", PASSWORD: "Wr0ng-Password!" },
      })), { name: "NotAuthorizedException", message: "Incorrect username or password." });
    });

    it("refuses a client of another pool", async () => {
      const other = await createPoolAndClient(t.idp);
      await assert.rejects(t.idp.send(new AdminInitiateAuthCommand({
        UserPoolId: userPoolId, ClientId: other.clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "gina", PASSWORD },
      })), { name: "ResourceNotFoundException" });
    });
  });

  describe("REFRESH_TOKEN_AUTH", () => {
    it("issues new ID and access tokens of the same session, without a new refresh token", async () => {
      await confirmedUser(t.idp, userPoolId, clientId, "henry");
      const first = (await passwordAuth(t.idp, clientId, "henry")).AuthenticationResult!;
      for (const flow of ["REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"] as const) {
        const res = await t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: flow, AuthParameters: { REFRESH_TOKEN: first.RefreshToken! } }));
        const again = res.AuthenticationResult!;
        assert.equal(again.RefreshToken, undefined);
        assert.equal(again.ExpiresIn, 3600);
        assert.equal(again.TokenType, "Bearer");
        assert.notEqual(again.AccessToken, first.AccessToken);
        assert.notEqual(again.IdToken, first.IdToken);
        const [before, now] = [claimsOf(first.AccessToken!), claimsOf(again.AccessToken!)];
        assert.equal(now.origin_jti, before.origin_jti);
        assert.equal(now.auth_time, before.auth_time);
        assert.notEqual(now.jti, before.jti);
        assert.equal(claimsOf(again.IdToken!)["cognito:username"], "henry");
      }
      const admin = await t.idp.send(new AdminInitiateAuthCommand({
        UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: first.RefreshToken! },
      }));
      assert.ok(admin.AuthenticationResult!.AccessToken);
      assert.equal(admin.AuthenticationResult!.RefreshToken, undefined);
    });

    it("refuses garbage, another client's refresh token, and disabled users", async () => {
      await confirmedUser(t.idp, userPoolId, clientId, "ivy");
      const { RefreshToken } = (await passwordAuth(t.idp, clientId, "ivy")).AuthenticationResult!;
      const refresh = (id: string, token: string) => t.idp.send(new InitiateAuthCommand({ ClientId: id, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: token } }));
      await assert.rejects(refresh(clientId, "not-a-refresh-token"), { name: "NotAuthorizedException", message: "Invalid Refresh Token" });
      await assert.rejects(refresh(clientId, RefreshToken!.slice(0, -2) + "xx"), { name: "NotAuthorizedException", message: "Invalid Refresh Token" });
      await assert.rejects(refresh(legacyClientId, RefreshToken!), { name: "NotAuthorizedException", message: "Invalid Refresh Token" });
      await t.idp.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: "ivy" }));
      await assert.rejects(refresh(clientId, RefreshToken!), { name: "NotAuthorizedException", message: "User is disabled." });
      // AdminDisableUser revoked the user's tokens (as AWS documents): enabling the user does not bring them back.
      await t.idp.send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: "ivy" }));
      await assert.rejects(refresh(clientId, RefreshToken!), { name: "NotAuthorizedException", message: "Invalid Refresh Token" });
      const again = (await passwordAuth(t.idp, clientId, "ivy")).AuthenticationResult!;
      assert.ok((await refresh(clientId, again.RefreshToken!)).AuthenticationResult?.IdToken);
    });
  });

  describe("NEW_PASSWORD_REQUIRED", () => {
    const createWithTemporaryPassword = (username: string, pool = userPoolId) =>
      t.idp.send(new AdminCreateUserCommand({
        UserPoolId: pool, Username: username, TemporaryPassword: "Temp-Passw0rd!", MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      }));

    it("answers the challenge through RespondToAuthChallenge and then signs in with the new password", async () => {
      const created = await createWithTemporaryPassword("jack");
      assert.equal(created.User!.UserStatus, "FORCE_CHANGE_PASSWORD");
      await assert.rejects(passwordAuth(t.idp, clientId, "jack", "Wr0ng-Password!"), { name: "NotAuthorizedException", message: "Incorrect username or password." });
      const challenge = await passwordAuth(t.idp, clientId, "jack", "Temp-Passw0rd!");
      assert.equal(challenge.ChallengeName, "NEW_PASSWORD_REQUIRED");
      assert.equal(challenge.AuthenticationResult, undefined);
      assert.ok(challenge.Session);
      assert.equal(challenge.ChallengeParameters!.USER_ID_FOR_SRP, "jack");
      assert.deepEqual(JSON.parse(challenge.ChallengeParameters!.requiredAttributes!), []);
      assert.deepEqual(JSON.parse(challenge.ChallengeParameters!.userAttributes!), { email: "jack@example.com" });

      const respond = (password: string, session = challenge.Session) => t.idp.send(new RespondToAuthChallengeCommand({
        ClientId: clientId, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: session, ChallengeResponses: { USERNAME: "jack", NEW_PASSWORD: password },
      }));
      await assert.rejects(respond("weak"), { name: "InvalidPasswordException" });
      await assert.rejects(respond(NEW_PASSWORD, "made-up-session"), { name: "NotAuthorizedException", message: "Invalid session for the user, session is expired." });
      const done = await respond(NEW_PASSWORD);
      assert.equal(done.AuthenticationResult!.TokenType, "Bearer");
      assert.ok(done.AuthenticationResult!.RefreshToken);
      assert.equal(claimsOf(done.AuthenticationResult!.IdToken!)["cognito:username"], "jack");
      await assert.rejects(respond(NEW_PASSWORD), { name: "NotAuthorizedException" }, "a Session answers once");

      assert.equal((await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "jack" }))).UserStatus, "CONFIRMED");
      await assert.rejects(passwordAuth(t.idp, clientId, "jack", "Temp-Passw0rd!"), { name: "NotAuthorizedException" });
      assert.ok((await passwordAuth(t.idp, clientId, "jack", NEW_PASSWORD)).AuthenticationResult?.AccessToken);
    });

    it("answers the challenge through AdminRespondToAuthChallenge, setting attributes on the way", async () => {
      const pool = await createPoolAndClient(t.idp, { Schema: [{ Name: "name", AttributeDataType: "String", Required: true, Mutable: true }] });
      await t.idp.send(new AdminCreateUserCommand({
        UserPoolId: pool.userPoolId, Username: "kate", TemporaryPassword: "Temp-Passw0rd!", MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "name", Value: "placeholder" }],
      }));
      const challenge = await t.idp.send(new AdminInitiateAuthCommand({
        UserPoolId: pool.userPoolId, ClientId: pool.clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "kate", PASSWORD: "Temp-Passw0rd!" },
      }));
      assert.equal(challenge.ChallengeName, "NEW_PASSWORD_REQUIRED");
      assert.deepEqual(JSON.parse(challenge.ChallengeParameters!.userAttributes!), { name: "placeholder" });
      const done = await t.idp.send(new AdminRespondToAuthChallengeCommand({
        UserPoolId: pool.userPoolId, ClientId: pool.clientId, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: challenge.Session,
        ChallengeResponses: { USERNAME: "kate", NEW_PASSWORD, "userAttributes.name": "Kate K." },
      }));
      assert.equal(claimsOf(done.AuthenticationResult!.IdToken!).name, "Kate K.");
      const user = await t.idp.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: "kate" }));
      assert.equal(user.UserStatus, "CONFIRMED");
    });

    it("refuses an answer that sets attributes outside the schema, after AdminSetUserPassword made the password temporary", async () => {
      const pool = await createPoolAndClient(t.idp, { Schema: [{ Name: "name", AttributeDataType: "String", Required: true, Mutable: true }] });
      await t.idp.send(new AdminCreateUserCommand({
        UserPoolId: pool.userPoolId, Username: "liam", TemporaryPassword: "Temp-Passw0rd!", MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "name", Value: "Liam" }],
      }));
      await t.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.userPoolId, Username: "liam", Password: "Temp-Passw0rd2!", Permanent: false }));
      const challenge = await passwordAuth(t.idp, pool.clientId, "liam", "Temp-Passw0rd2!");
      assert.equal(challenge.ChallengeName, "NEW_PASSWORD_REQUIRED");
      await assert.rejects(t.idp.send(new RespondToAuthChallengeCommand({
        ClientId: pool.clientId, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: challenge.Session,
        ChallengeResponses: { USERNAME: "liam", NEW_PASSWORD, "userAttributes.no_such_attribute": "x" },
      })), { name: "InvalidParameterException" });
    });
  });

  describe("RESET_REQUIRED", () => {
    it("answers PasswordResetRequiredException until the user resets the password with the code", async () => {
      await confirmedUser(t.idp, userPoolId, clientId, "mia");
      await t.idp.send(new AdminResetUserPasswordCommand({ UserPoolId: userPoolId, Username: "mia" }));
      assert.equal((await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "mia" }))).UserStatus, "RESET_REQUIRED");
      await assert.rejects(passwordAuth(t.idp, clientId, "mia"), { name: "PasswordResetRequiredException", message: "Password reset required for the user" });
      const code = await t.latestCode(userPoolId, "mia", "FORGOT_PASSWORD");
      await t.idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: "mia", ConfirmationCode: code, Password: NEW_PASSWORD }));
      assert.ok((await passwordAuth(t.idp, clientId, "mia", NEW_PASSWORD)).AuthenticationResult?.AccessToken);
    });
  });
});

describe("sign-in over time (moved clock)", () => {
  let s: ClockedService;
  let userPoolId: string;
  let clientId: string;
  before(async () => {
    s = await startClockedService(Date.now(), { frozen: true });
    ({ userPoolId, clientId } = await createPoolAndClient(s.idp));
  });
  after(() => s.stop());

  it("lets a locked-out user in again once the lockout has run out, and lockouts grow", async () => {
    await confirmedUser(s.idp, userPoolId, clientId, "nina");
    for (let i = 0; i < 5; i++) await assert.rejects(passwordAuth(s.idp, clientId, "nina", "Wr0ng-Password!"), { message: "Incorrect username or password." });
    await assert.rejects(passwordAuth(s.idp, clientId, "nina"), { message: "Password attempts exceeded" });
    s.advance(3);
    // One more failure after the lockout ran out locks the user out for longer.
    await assert.rejects(passwordAuth(s.idp, clientId, "nina", "Wr0ng-Password!"), { message: "Incorrect username or password." });
    s.advance(3);
    await assert.rejects(passwordAuth(s.idp, clientId, "nina"), { message: "Password attempts exceeded" });
    s.advance(2);
    assert.ok((await passwordAuth(s.idp, clientId, "nina")).AuthenticationResult?.AccessToken);
    // A success clears the count: one wrong password is not a lockout any more.
    await assert.rejects(passwordAuth(s.idp, clientId, "nina", "Wr0ng-Password!"), { message: "Incorrect username or password." });
    assert.ok((await passwordAuth(s.idp, clientId, "nina")).AuthenticationResult?.AccessToken);
  });

  it("keeps auth_time through refreshes and refuses an expired refresh token", async () => {
    await confirmedUser(s.idp, userPoolId, clientId, "oscar");
    const first = (await passwordAuth(s.idp, clientId, "oscar")).AuthenticationResult!;
    s.advance(600);
    const again = (await s.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: first.RefreshToken! } }))).AuthenticationResult!;
    const [before, after] = [claimsOf(first.IdToken!), claimsOf(again.IdToken!)];
    assert.equal(after.auth_time, before.auth_time);
    // The clock moved 600 s, plus whatever real time passed between the two calls (a busy machine can take a second).
    const elapsed = (after.iat as number) - (before.iat as number);
    assert.ok(elapsed >= 600 && elapsed <= 605, `iat moved ${elapsed} s`);
    assert.equal(after.exp, (after.iat as number) + 3600);
    s.advance(30 * 86400);
    await assert.rejects(s.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: first.RefreshToken! } })), {
      name: "NotAuthorizedException",
      message: "Invalid Refresh Token",
    });
  });

  it("refuses a temporary password past its validity", async () => {
    await s.idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "paula", TemporaryPassword: "Temp-Passw0rd!", MessageAction: "SUPPRESS" }));
    s.advance(8 * 86400);
    await assert.rejects(passwordAuth(s.idp, clientId, "paula", "Temp-Passw0rd!"), {
      name: "NotAuthorizedException",
      message: "Temporary password has expired and must be reset by an administrator.",
    });
  });
});
