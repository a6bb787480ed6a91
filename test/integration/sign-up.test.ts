// Integration tests of self-service registration against the real local Cognito service through the AWS SDK v3:
// SignUp (password policy, existing names, UsernameAttributes, AliasAttributes, SECRET_HASH, admin-only pools),
// ConfirmSignUp (codes, attempt limit, expiry on a moved clock) and ResendConfirmationCode.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import {
  AdminGetUserCommand, CognitoIdentityProviderClient, CreateUserPoolClientCommand, ConfirmSignUpCommand, InitiateAuthCommand, ResendConfirmationCodeCommand, SignUpCommand,
  type AttributeType,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPoolAndClient, startTestService, TEST_CREDENTIALS, type TestService } from "../support/local-service";
import { startClockedService } from "../support/clocked-service";

const PASSWORD = "Corr3ct-Horse!";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const secretHash = (secret: string, username: string, clientId: string) =>
  createHmac("sha256", secret).update(username + clientId).digest("base64");

const attribute = (attributes: AttributeType[] | undefined, name: string) => attributes?.find((a) => a.Name === name)?.Value;

describe("SignUp, ConfirmSignUp and ResendConfirmationCode", () => {
  let t: TestService;
  let userPoolId: string;
  let clientId: string;

  before(async () => {
    t = await startTestService();
    ({ userPoolId, clientId } = await createPoolAndClient(t.idp, { AutoVerifiedAttributes: ["email"] }, { PreventUserExistenceErrors: "LEGACY" }));
  });
  after(() => t.stop());

  /** A second pool: case-insensitive usernames and a lax password policy (pools are costly: two RSA keys each). */
  let lax: { userPoolId: string; clientId: string } | undefined;
  const laxPool = async () =>
    (lax ??= await createPoolAndClient(t.idp, {
      UsernameConfiguration: { CaseSensitive: false },
      Policies: { PasswordPolicy: { MinimumLength: 6, RequireUppercase: false, RequireLowercase: false, RequireNumbers: false, RequireSymbols: false } },
    }));

  const signUp = (Username: string, Password = PASSWORD, email = `${Username}@example.com`) =>
    t.idp.send(new SignUpCommand({ ClientId: clientId, Username, Password, UserAttributes: [{ Name: "email", Value: email }] }));

  it("signs a user up UNCONFIRMED, sends a 6-digit code, and confirms it", async () => {
    const res = await signUp("alice");
    assert.equal(res.UserConfirmed, false);
    assert.match(res.UserSub!, UUID);
    assert.deepEqual(res.CodeDeliveryDetails, { Destination: "a***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" });

    const before = await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "alice" }));
    assert.equal(before.UserStatus, "UNCONFIRMED");
    assert.equal(before.Enabled, true);
    assert.equal(attribute(before.UserAttributes, "sub"), res.UserSub);
    assert.equal(attribute(before.UserAttributes, "email"), "alice@example.com");

    const code = await t.latestCode(userPoolId, "alice", "SIGN_UP");
    assert.match(code, /^\d{6}$/);
    assert.ok(t.logs.some((line) => line.includes(code) && line.includes("alice")), "the code is written to the service log");

    await t.idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "alice", ConfirmationCode: code }));
    const confirmed = await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "alice" }));
    assert.equal(confirmed.UserStatus, "CONFIRMED");
    assert.equal(attribute(confirmed.UserAttributes, "email_verified"), "true");

    const auth = await t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "alice", PASSWORD } }));
    assert.ok(auth.AuthenticationResult?.AccessToken);

    await assert.rejects(t.idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "alice", ConfirmationCode: code })), {
      name: "NotAuthorizedException",
      message: "User cannot be confirmed. Current status is CONFIRMED",
    });
    await assert.rejects(t.idp.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "alice" })), {
      name: "InvalidParameterException",
      message: "User is already confirmed.",
    });
  });

  it("enforces the pool's password policy with InvalidPasswordException", async () => {
    const cases: Array<[string, RegExp]> = [
      ["Sh0rt!", /not long enough/],
      ["no-upper-case-1", /uppercase/],
      ["NO-LOWER-CASE-1", /lowercase/],
      ["No-Numbers-Here", /numeric/],
      ["NoSymbols123", /symbol/],
    ];
    for (const [password, message] of cases) {
      await assert.rejects(signUp("weak", password), (e: Error) => {
        assert.equal(e.name, "InvalidPasswordException");
        assert.match(e.message, /^Password did not conform with policy: /);
        assert.match(e.message, message);
        return true;
      });
    }
    await assert.rejects(t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "weak" })), { name: "UserNotFoundException" });

    const lax = await laxPool();
    const ok = await t.idp.send(new SignUpCommand({ ClientId: lax.clientId, Username: "lax", Password: "abcdef" }));
    assert.equal(ok.UserConfirmed, false);
    await assert.rejects(t.idp.send(new SignUpCommand({ ClientId: lax.clientId, Username: "lax2", Password: "abcde" })), { name: "InvalidPasswordException" });
  });

  it("refuses an existing username with UsernameExistsException, case-insensitively when the pool says so", async () => {
    await signUp("bob");
    await assert.rejects(signUp("bob", PASSWORD, "other@example.com"), { name: "UsernameExistsException", message: "User already exists" });

    const insensitive = await laxPool();
    await t.idp.send(new SignUpCommand({ ClientId: insensitive.clientId, Username: "Carol", Password: PASSWORD }));
    await assert.rejects(t.idp.send(new SignUpCommand({ ClientId: insensitive.clientId, Username: "cAROL", Password: PASSWORD })), { name: "UsernameExistsException" });
    const found = await t.idp.send(new AdminGetUserCommand({ UserPoolId: insensitive.userPoolId, Username: "carol" }));
    assert.equal(found.Username, "Carol");

    // Pools created through the API without UsernameConfiguration are case-sensitive.
    await signUp("Dave");
    await signUp("dave");
    assert.equal((await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "Dave" }))).Username, "Dave");
    assert.equal((await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "dave" }))).Username, "dave");
  });

  it("with UsernameAttributes=email, takes the email as Username and stores a UUID username equal to the sub", async () => {
    const pool = await createPoolAndClient(t.idp, { UsernameAttributes: ["email"], AutoVerifiedAttributes: ["email"] });
    const res = await t.idp.send(new SignUpCommand({ ClientId: pool.clientId, Username: "erin@example.com", Password: PASSWORD }));
    const user = await t.idp.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: "erin@example.com" }));
    assert.match(user.Username!, UUID);
    assert.equal(user.Username, res.UserSub);
    assert.equal(attribute(user.UserAttributes, "sub"), res.UserSub);
    assert.equal(attribute(user.UserAttributes, "email"), "erin@example.com");
    // The username itself designates the user too.
    assert.equal((await t.idp.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: res.UserSub! }))).Username, res.UserSub);

    await assert.rejects(t.idp.send(new SignUpCommand({ ClientId: pool.clientId, Username: "erin@example.com", Password: PASSWORD })), {
      name: "UsernameExistsException",
      message: "An account with the given email already exists.",
    });
    await assert.rejects(t.idp.send(new SignUpCommand({ ClientId: pool.clientId, Username: "not-an-email", Password: PASSWORD })), {
      name: "InvalidParameterException",
      message: "Username should be an email.",
    });

    const code = await t.latestCode(pool.userPoolId, res.UserSub!, "SIGN_UP");
    await t.idp.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: "erin@example.com", ConfirmationCode: code }));
    const auth = await t.idp.send(new InitiateAuthCommand({
      ClientId: pool.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "erin@example.com", PASSWORD },
    }));
    const claims = JSON.parse(Buffer.from(auth.AuthenticationResult!.IdToken!.split(".")[1], "base64url").toString()) as Record<string, unknown>;
    assert.equal(claims["cognito:username"], res.UserSub);
    assert.equal(claims.email, "erin@example.com");
    assert.equal(claims.email_verified, true);
  });

  it("with AliasAttributes, signs in by alias and refuses email-shaped usernames and taken aliases", async () => {
    const pool = await createPoolAndClient(t.idp, { AliasAttributes: ["email", "preferred_username"], AutoVerifiedAttributes: ["email"] });
    await assert.rejects(t.idp.send(new SignUpCommand({ ClientId: pool.clientId, Username: "frank@example.com", Password: PASSWORD })), {
      name: "InvalidParameterException",
      message: "Username cannot be of email format, since user pool is configured for email alias.",
    });
    await t.idp.send(new SignUpCommand({
      ClientId: pool.clientId, Username: "frank", Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: "frank@example.com" }, { Name: "preferred_username", Value: "franky" }],
    }));
    const code = await t.latestCode(pool.userPoolId, "frank", "SIGN_UP");
    await t.idp.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: "frank", ConfirmationCode: code }));
    for (const name of ["frank", "frank@example.com", "franky"]) {
      const auth = await t.idp.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: name, PASSWORD } }));
      const claims = JSON.parse(Buffer.from(auth.AuthenticationResult!.AccessToken!.split(".")[1], "base64url").toString()) as Record<string, unknown>;
      assert.equal(claims.username, "frank", `signing in as ${name}`);
    }
    await assert.rejects(t.idp.send(new SignUpCommand({
      ClientId: pool.clientId, Username: "frank2", Password: PASSWORD, UserAttributes: [{ Name: "email", Value: "frank@example.com" }],
    })), { name: "AliasExistsException" });
  });

  it("requires and checks SECRET_HASH for a client with a secret", async () => {
    const created = await t.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: "with-secret", GenerateSecret: true, ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }));
    const pool = { userPoolId, clientId: created.UserPoolClient!.ClientId!, clientSecret: created.UserPoolClient!.ClientSecret };
    const secret = pool.clientSecret!;
    assert.ok(secret.length >= 40);
    const attrs = [{ Name: "email", Value: "gina@example.com" }];
    await assert.rejects(t.idp.send(new SignUpCommand({ ClientId: pool.clientId, Username: "gina", Password: PASSWORD, UserAttributes: attrs })), {
      name: "NotAuthorizedException",
      message: `Client ${pool.clientId} is configured with secret but SECRET_HASH was not received`,
    });
    await assert.rejects(t.idp.send(new SignUpCommand({
      ClientId: pool.clientId, Username: "gina", Password: PASSWORD, UserAttributes: attrs, SecretHash: secretHash(secret, "someone-else", pool.clientId),
    })), { name: "NotAuthorizedException", message: `Unable to verify secret hash for client ${pool.clientId}` });
    await t.idp.send(new SignUpCommand({
      ClientId: pool.clientId, Username: "gina", Password: PASSWORD, UserAttributes: attrs, SecretHash: secretHash(secret, "gina", pool.clientId),
    }));

    const code = await t.latestCode(pool.userPoolId, "gina", "SIGN_UP");
    await assert.rejects(t.idp.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: "gina", ConfirmationCode: code })), { name: "NotAuthorizedException" });
    await assert.rejects(t.idp.send(new ResendConfirmationCodeCommand({ ClientId: pool.clientId, Username: "gina" })), { name: "NotAuthorizedException" });
    await t.idp.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: "gina", ConfirmationCode: code, SecretHash: secretHash(secret, "gina", pool.clientId) }));

    await assert.rejects(t.idp.send(new InitiateAuthCommand({
      ClientId: pool.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "gina", PASSWORD },
    })), { name: "NotAuthorizedException", message: /SECRET_HASH was not received/ });
    const auth = await t.idp.send(new InitiateAuthCommand({
      ClientId: pool.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "gina", PASSWORD, SECRET_HASH: secretHash(secret, "gina", pool.clientId) },
    }));
    assert.ok(auth.AuthenticationResult?.IdToken);
  });

  it("refuses SignUp in a pool where only administrators create users", async () => {
    const pool = await createPoolAndClient(t.idp, { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    await assert.rejects(t.idp.send(new SignUpCommand({ ClientId: pool.clientId, Username: "henry", Password: PASSWORD })), {
      name: "NotAuthorizedException",
      message: "SignUp is not permitted for this user pool",
    });
  });

  it("refuses unknown clients and users", async () => {
    await assert.rejects(t.idp.send(new SignUpCommand({ ClientId: "a".repeat(26), Username: "ivy", Password: PASSWORD })), { name: "ResourceNotFoundException" });
    await assert.rejects(t.idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "nobody", ConfirmationCode: "123456" })), {
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
    await assert.rejects(t.idp.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "nobody" })), { name: "UserNotFoundException" });
  });

  it("refuses wrong codes, burns a code after 5 wrong attempts, and confirms with a resent one", async () => {
    // SDKs retry LimitExceededException as throttling; one attempt per call shows each answer as it is.
    const noRetry = new CognitoIdentityProviderClient({ endpoint: t.url, region: t.service.region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    const confirm = (ConfirmationCode: string) => noRetry.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "jack", ConfirmationCode }));
    await signUp("jack");
    const code = await t.latestCode(userPoolId, "jack", "SIGN_UP");
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 1; i < 5; i++) {
      await assert.rejects(confirm(wrong), { name: "CodeMismatchException", message: "Invalid verification code provided, please try again." });
    }
    await assert.rejects(confirm(wrong), { name: "LimitExceededException", message: "Attempt limit exceeded, please try after some time." });
    // The burnt code is no good any more, even though it is the right one.
    await assert.rejects(confirm(code), { name: "LimitExceededException" });
    noRetry.destroy();
    assert.equal((await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "jack" }))).UserStatus, "UNCONFIRMED");

    const resent = await t.idp.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "jack" }));
    assert.deepEqual(resent.CodeDeliveryDetails, { Destination: "j***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" });
    const fresh = await t.latestCode(userPoolId, "jack", "SIGN_UP");
    assert.match(fresh, /^\d{6}$/);
    await t.idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "jack", ConfirmationCode: fresh }));
    assert.equal((await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "jack" }))).UserStatus, "CONFIRMED");
  });

  it("a resent code replaces the previous one", async () => {
    await signUp("kate");
    const first = await t.latestCode(userPoolId, "kate", "SIGN_UP");
    let second = first;
    // A fresh six-digit code equals the old one once in a million; resend until it differs.
    while (second === first) {
      await t.idp.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "kate" }));
      second = await t.latestCode(userPoolId, "kate", "SIGN_UP");
    }
    await assert.rejects(t.idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "kate", ConfirmationCode: first })), { name: "CodeMismatchException" });
    await t.idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: "kate", ConfirmationCode: second }));
  });
});

describe("ConfirmSignUp with an expired code", () => {
  it("answers ExpiredCodeException once the 24-hour code lifetime has passed", async () => {
    const s = await startClockedService();
    try {
      const pool = await createPoolAndClient(s.idp, { AutoVerifiedAttributes: ["email"] });
      await s.idp.send(new SignUpCommand({ ClientId: pool.clientId, Username: "liam", Password: PASSWORD, UserAttributes: [{ Name: "email", Value: "liam@example.com" }] }));
      const code = s.latestCode(pool.userPoolId, "liam", "SIGN_UP");
      s.advance(24 * 3600 + 5);
      await assert.rejects(s.idp.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: "liam", ConfirmationCode: code })), {
        name: "ExpiredCodeException",
        message: "Invalid code provided, please request a code again.",
      });
      await s.idp.send(new ResendConfirmationCodeCommand({ ClientId: pool.clientId, Username: "liam" }));
      s.advance(23 * 3600);
      await s.idp.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: "liam", ConfirmationCode: s.latestCode(pool.userPoolId, "liam", "SIGN_UP") }));
      assert.equal((await s.idp.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: "liam" }))).UserStatus, "CONFIRMED");
    } finally {
      await s.stop();
    }
  });
});
