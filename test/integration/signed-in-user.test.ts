// Integration tests of what a signed-in user does with an access token, against the real local Cognito service through
// the AWS SDK v3: GetUser, UpdateUserAttributes (with re-verification), DeleteUserAttributes, ChangePassword, DeleteUser,
// GlobalSignOut and RevokeToken, including what each revocation does to access and refresh tokens.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import {
  AdminConfirmSignUpCommand, AdminDisableUserCommand, AdminInitiateAuthCommand, AdminEnableUserCommand, AdminGetUserCommand, AdminUserGlobalSignOutCommand,
  ChangePasswordCommand, CreateUserPoolClientCommand, DeleteUserAttributesCommand, DeleteUserCommand, GetUserAttributeVerificationCodeCommand,
  GetUserCommand, GlobalSignOutCommand, InitiateAuthCommand, RevokeTokenCommand, SignUpCommand, UpdateUserAttributesCommand,
  VerifyUserAttributeCommand, type AttributeType, type AuthenticationResultType, AdminUpdateUserAttributesCommand, ConfirmSignUpCommand,
  ResendConfirmationCodeCommand, CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";

const PASSWORD = "Corr3ct-Horse!";
const NEW_PASSWORD = "N3w-Password!";
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;
const attributesOf = (list: AttributeType[] | undefined) => Object.fromEntries((list ?? []).map((a) => [a.Name!, a.Value!]));

describe("signed-in user operations", () => {
  let t: TestService;
  let userPoolId: string;
  let clientId: string;

  before(async () => {
    t = await startTestService();
    ({ userPoolId, clientId } = await createPoolAndClient(t.idp, { AutoVerifiedAttributes: ["email"] }));
  });
  after(() => t.stop());

  async function signedIn(username: string, extra: AttributeType[] = []): Promise<AuthenticationResultType> {
    await t.idp.send(new SignUpCommand({
      ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: "email", Value: `${username}@example.com` }, ...extra],
    }));
    await t.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: username }));
    return signIn(username);
  }
  async function signIn(username: string, password = PASSWORD, id = clientId): Promise<AuthenticationResultType> {
    const res = await t.idp.send(new InitiateAuthCommand({ ClientId: id, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD: password } }));
    return res.AuthenticationResult!;
  }
  const getUser = (AccessToken: string) => t.idp.send(new GetUserCommand({ AccessToken }));
  const refresh = (RefreshToken: string, id = clientId) =>
    t.idp.send(new InitiateAuthCommand({ ClientId: id, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: RefreshToken } }));
  const revoked = { name: "NotAuthorizedException", message: "Access Token has been revoked" };
  const invalidRefresh = { name: "NotAuthorizedException", message: "Invalid Refresh Token" };

  it("GetUser returns the user behind a valid access token, and refuses the rest", async () => {
    const tokens = await signedIn("alice", [{ Name: "name", Value: "Alice A." }]);
    const user = await getUser(tokens.AccessToken!);
    assert.equal(user.Username, "alice");
    const attributes = attributesOf(user.UserAttributes);
    assert.equal(attributes.sub, claimsOf(tokens.AccessToken!).sub);
    assert.equal(attributes.email, "alice@example.com");
    assert.equal(attributes.name, "Alice A.");
    await assert.rejects(getUser("not.a.token"), { name: "NotAuthorizedException", message: "Invalid Access Token" });
    await assert.rejects(getUser(tokens.IdToken!), { name: "NotAuthorizedException", message: "Invalid Access Token" }, "an ID token is no access token");

    await t.idp.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: "alice" }));
    await assert.rejects(getUser(tokens.AccessToken!), { name: "NotAuthorizedException", message: "User is disabled." });
    // AdminDisableUser revoked the user's tokens (as AWS documents): they stay dead once the user is enabled again.
    await t.idp.send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: "alice" }));
    await assert.rejects(getUser(tokens.AccessToken!), revoked);
    assert.equal((await getUser((await signIn("alice")).AccessToken!)).Username, "alice");
  });

  it("UpdateUserAttributes changes attributes; a new email is unverified until its code comes back", async () => {
    const tokens = await signedIn("bob");
    await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "bob" }));
    const res = await t.idp.send(new UpdateUserAttributesCommand({
      AccessToken: tokens.AccessToken!,
      UserAttributes: [{ Name: "name", Value: "Bob B." }, { Name: "email", Value: "bob@new.example.com" }],
    }));
    assert.deepEqual(res.CodeDeliveryDetailsList, [{ Destination: "b***@n***", DeliveryMedium: "EMAIL", AttributeName: "email" }]);
    let attributes = attributesOf((await getUser(tokens.AccessToken!)).UserAttributes);
    assert.equal(attributes.name, "Bob B.");
    assert.equal(attributes.email, "bob@new.example.com");
    assert.equal(attributes.email_verified, "false");

    const code = await t.latestCode(userPoolId, "bob", "VERIFY_ATTRIBUTE");
    await assert.rejects(t.idp.send(new VerifyUserAttributeCommand({ AccessToken: tokens.AccessToken!, AttributeName: "email", Code: code === "000000" ? "111111" : "000000" })), {
      name: "CodeMismatchException",
    });
    await t.idp.send(new VerifyUserAttributeCommand({ AccessToken: tokens.AccessToken!, AttributeName: "email", Code: code }));
    assert.equal(attributesOf((await getUser(tokens.AccessToken!)).UserAttributes).email_verified, "true");

    // A fresh code on request, for an attribute the user has.
    const asked = await t.idp.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: tokens.AccessToken!, AttributeName: "email" }));
    assert.equal(asked.CodeDeliveryDetails!.AttributeName, "email");
    assert.match(await t.latestCode(userPoolId, "bob", "VERIFY_ATTRIBUTE"), /^\d{6}$/);

    // New ID tokens carry the new attributes.
    const again = await refresh(tokens.RefreshToken!);
    const idClaims = claimsOf(again.AuthenticationResult!.IdToken!);
    assert.equal(idClaims.name, "Bob B.");
    assert.equal(idClaims.email, "bob@new.example.com");
    assert.equal(idClaims.email_verified, true);

    attributes = attributesOf((await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "bob" }))).UserAttributes);
    assert.equal(attributes.name, "Bob B.");
  });

  it("UpdateUserAttributes refuses unknown and immutable attributes and an empty list", async () => {
    const tokens = await signedIn("carol");
    const update = (UserAttributes: AttributeType[]) => t.idp.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken!, UserAttributes }));
    await assert.rejects(update([{ Name: "custom:nope", Value: "x" }]), { name: "InvalidParameterException" });
    await assert.rejects(update([{ Name: "sub", Value: "00000000-0000-0000-0000-000000000000" }]), { name: "InvalidParameterException" });
    await assert.rejects(update([{ Name: "email", Value: "not an email" }]), { name: "InvalidParameterException" });
    await assert.rejects(update([]), { name: "InvalidParameterException" });
    await assert.rejects(t.idp.send(new UpdateUserAttributesCommand({ AccessToken: "garbage", UserAttributes: [{ Name: "name", Value: "x" }] })), { name: "NotAuthorizedException" });
    assert.equal(attributesOf((await getUser(tokens.AccessToken!)).UserAttributes).sub, claimsOf(tokens.AccessToken!).sub);
  });

  it("DeleteUserAttributes removes attributes, but not required or unknown ones", async () => {
    const tokens = await signedIn("dave", [{ Name: "name", Value: "Dave D." }, { Name: "locale", Value: "en" }]);
    await t.idp.send(new DeleteUserAttributesCommand({ AccessToken: tokens.AccessToken!, UserAttributeNames: ["name", "locale"] }));
    const attributes = attributesOf((await getUser(tokens.AccessToken!)).UserAttributes);
    assert.equal(attributes.name, undefined);
    assert.equal(attributes.locale, undefined);
    assert.equal(attributes.email, "dave@example.com");
    await assert.rejects(t.idp.send(new DeleteUserAttributesCommand({ AccessToken: tokens.AccessToken!, UserAttributeNames: ["sub"] })), { name: "InvalidParameterException" });
    await assert.rejects(t.idp.send(new DeleteUserAttributesCommand({ AccessToken: tokens.AccessToken!, UserAttributeNames: ["custom:nope"] })), { name: "InvalidParameterException" });
  });

  it("ChangePassword checks the previous password and the policy, then only the new password signs in", async () => {
    const tokens = await signedIn("erin");
    const change = (PreviousPassword: string, ProposedPassword: string) =>
      t.idp.send(new ChangePasswordCommand({ AccessToken: tokens.AccessToken!, PreviousPassword, ProposedPassword }));
    await assert.rejects(change("Wr0ng-Password!", NEW_PASSWORD), { name: "NotAuthorizedException", message: "Incorrect username or password." });
    await assert.rejects(change(PASSWORD, "weak"), { name: "InvalidPasswordException" });
    await change(PASSWORD, NEW_PASSWORD);
    await assert.rejects(signIn("erin"), { name: "NotAuthorizedException", message: "Incorrect username or password." });
    assert.ok((await signIn("erin", NEW_PASSWORD)).AccessToken);
    // The session it was changed in stays valid.
    assert.equal((await getUser(tokens.AccessToken!)).Username, "erin");
    await assert.rejects(t.idp.send(new ChangePasswordCommand({ AccessToken: tokens.IdToken!, PreviousPassword: NEW_PASSWORD, ProposedPassword: PASSWORD })), {
      name: "NotAuthorizedException",
    });
  });

  it("DeleteUser deletes the user and makes its tokens useless; the name can be signed up again", async () => {
    const tokens = await signedIn("frank");
    await t.idp.send(new DeleteUserCommand({ AccessToken: tokens.AccessToken! }));
    await assert.rejects(t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "frank" })), { name: "UserNotFoundException" });
    await assert.rejects(getUser(tokens.AccessToken!), { name: "NotAuthorizedException" });
    await assert.rejects(refresh(tokens.RefreshToken!), invalidRefresh);
    await assert.rejects(t.idp.send(new DeleteUserCommand({ AccessToken: tokens.AccessToken! })), { name: "NotAuthorizedException" });

    const reborn = await signedIn("frank");
    assert.notEqual(claimsOf(reborn.AccessToken!).sub, claimsOf(tokens.AccessToken!).sub);
    await assert.rejects(getUser(tokens.AccessToken!), { name: "NotAuthorizedException" }, "the old token does not reach the new frank");
    assert.equal((await getUser(reborn.AccessToken!)).Username, "frank");
  });

  it("GlobalSignOut revokes every session of the user: access tokens and refresh tokens", async () => {
    const first = await signedIn("gina");
    const second = await signIn("gina");
    const other = await signedIn("henry");
    await t.idp.send(new GlobalSignOutCommand({ AccessToken: first.AccessToken! }));
    for (const session of [first, second]) {
      await assert.rejects(getUser(session.AccessToken!), revoked);
      await assert.rejects(refresh(session.RefreshToken!), invalidRefresh);
    }
    await assert.rejects(t.idp.send(new GlobalSignOutCommand({ AccessToken: first.AccessToken! })), revoked);
    // Other users are untouched, and signing in again works.
    assert.equal((await getUser(other.AccessToken!)).Username, "henry");
    const fresh = await signIn("gina");
    assert.equal((await getUser(fresh.AccessToken!)).Username, "gina");
    assert.ok((await refresh(fresh.RefreshToken!)).AuthenticationResult?.AccessToken);
  });

  it("AdminUserGlobalSignOut revokes the user's sessions too", async () => {
    const tokens = await signedIn("ivy");
    await t.idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: "ivy" }));
    await assert.rejects(getUser(tokens.AccessToken!), revoked);
    await assert.rejects(refresh(tokens.RefreshToken!), invalidRefresh);
  });

  it("RevokeToken revokes one refresh token and the access tokens issued from it", async () => {
    const first = await signedIn("jack");
    const second = await signIn("jack");
    const refreshed = (await refresh(first.RefreshToken!)).AuthenticationResult!;
    await t.idp.send(new RevokeTokenCommand({ ClientId: clientId, Token: first.RefreshToken! }));
    await assert.rejects(refresh(first.RefreshToken!), invalidRefresh);
    await assert.rejects(getUser(first.AccessToken!), revoked);
    await assert.rejects(getUser(refreshed.AccessToken!), revoked);
    // The other session goes on.
    assert.equal((await getUser(second.AccessToken!)).Username, "jack");
    assert.ok((await refresh(second.RefreshToken!)).AuthenticationResult?.IdToken);
    // Revoking twice is harmless; an access token is not a revocable token.
    await t.idp.send(new RevokeTokenCommand({ ClientId: clientId, Token: first.RefreshToken! }));
    await assert.rejects(t.idp.send(new RevokeTokenCommand({ ClientId: clientId, Token: second.AccessToken! })), { name: "UnsupportedTokenTypeException" });
    assert.ok((await refresh(second.RefreshToken!)).AuthenticationResult?.IdToken);
  });

  it("RevokeToken checks the client: its secret, whether revocation is enabled, and that the token is its own", async () => {
    const withSecret = (await t.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: "secret", GenerateSecret: true, ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }))).UserPoolClient!;
    const noRevocation = (await t.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: "no-revocation", EnableTokenRevocation: false, ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }))).UserPoolClient!;
    await signedIn("kate");

    const plain = await signIn("kate");
    // Another client cannot revoke this client's token.
    await assert.rejects(t.idp.send(new RevokeTokenCommand({ ClientId: noRevocation.ClientId!, Token: plain.RefreshToken! })));
    await assert.rejects(t.idp.send(new RevokeTokenCommand({ ClientId: withSecret.ClientId!, ClientSecret: withSecret.ClientSecret!, Token: plain.RefreshToken! })));
    assert.ok((await refresh(plain.RefreshToken!)).AuthenticationResult?.IdToken);

    // A client with a secret must send it.
    const hash = createHmac("sha256", withSecret.ClientSecret!).update("kate" + withSecret.ClientId!).digest("base64");
    const secretSession = (await t.idp.send(new AdminInitiateAuthCommand({
      UserPoolId: userPoolId, ClientId: withSecret.ClientId!, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "kate", PASSWORD, SECRET_HASH: hash },
    }))).AuthenticationResult!;
    await assert.rejects(t.idp.send(new RevokeTokenCommand({ ClientId: withSecret.ClientId!, Token: secretSession.RefreshToken! })));
    await assert.rejects(t.idp.send(new RevokeTokenCommand({ ClientId: withSecret.ClientId!, ClientSecret: "x".repeat(51), Token: secretSession.RefreshToken! })));
    assert.equal((await getUser(secretSession.AccessToken!)).Username, "kate");
    await t.idp.send(new RevokeTokenCommand({ ClientId: withSecret.ClientId!, ClientSecret: withSecret.ClientSecret!, Token: secretSession.RefreshToken! }));
    await assert.rejects(getUser(secretSession.AccessToken!), revoked);

    const unrevocable = await signIn("kate", PASSWORD, noRevocation.ClientId!);
    await assert.rejects(t.idp.send(new RevokeTokenCommand({ ClientId: noRevocation.ClientId!, Token: unrevocable.RefreshToken! })), { name: "UnsupportedOperationException" });
    assert.ok((await refresh(unrevocable.RefreshToken!, noRevocation.ClientId!)).AuthenticationResult?.IdToken);
  });
});

describe("verification codes are bound to the address they went to", () => {
  let t: TestService;
  before(async () => {
    t = await startTestService();
  });
  after(() => t.stop());

  it("a code for one's own address does not verify another address the attribute was changed to", async () => {
    // No auto-verification: changing the email sends no new code, so only the binding stops the old one.
    const { userPoolId, clientId } = await createPoolAndClient(t.idp, { AliasAttributes: ["email"] });
    await t.idp.send(new SignUpCommand({ ClientId: clientId, Username: "mallory", Password: PASSWORD, UserAttributes: [{ Name: "email", Value: "mallory@example.com" }] }));
    await t.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: "mallory" }));
    const { AccessToken } = (await t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "mallory", PASSWORD } }))).AuthenticationResult!;
    await t.idp.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: "email" }));
    const code = await t.latestCode(userPoolId, "mallory", "VERIFY_ATTRIBUTE");
    await t.idp.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "email", Value: "victim@example.com" }] }));
    await assert.rejects(t.idp.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: code })), { name: "CodeMismatchException" });
    const attributes = attributesOf((await t.idp.send(new GetUserCommand({ AccessToken }))).UserAttributes);
    assert.equal(attributes.email, "victim@example.com");
    assert.equal(attributes.email_verified, "false");
    // The victim's address is no sign-in alias of the attacker's account.
    await assert.rejects(t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "victim@example.com", PASSWORD } })));
    // Changing back does not revive the voided code either; a new code for the current address works.
    await t.idp.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "email", Value: "mallory@example.com" }] }));
    await assert.rejects(t.idp.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: code })), { name: "CodeMismatchException" });
    await t.idp.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: "email" }));
    await t.idp.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: await t.latestCode(userPoolId, "mallory", "VERIFY_ATTRIBUTE") }));
    assert.equal(attributesOf((await t.idp.send(new GetUserCommand({ AccessToken }))).UserAttributes).email_verified, "true");
  });

  it("a ConfirmSignUp code is void once the address it went to has changed", async () => {
    const pool = await t.idp.send(new CreateUserPoolCommand({ PoolName: "bound", AutoVerifiedAttributes: ["email"] }));
    const userPoolId = pool.UserPool!.Id!;
    const client = await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "c", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] }));
    const ClientId = client.UserPoolClient!.ClientId!;
    await t.idp.send(new SignUpCommand({ ClientId, Username: "nat", Password: PASSWORD, UserAttributes: [{ Name: "email", Value: "nat@example.com" }] }));
    const code = await t.latestCode(userPoolId, "nat", "SIGN_UP");
    await t.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: "nat", UserAttributes: [{ Name: "email", Value: "someone-else@example.com" }] }));
    await assert.rejects(t.idp.send(new ConfirmSignUpCommand({ ClientId, Username: "nat", ConfirmationCode: code })), { name: "CodeMismatchException" });
    await t.idp.send(new ResendConfirmationCodeCommand({ ClientId, Username: "nat" }));
    await t.idp.send(new ConfirmSignUpCommand({ ClientId, Username: "nat", ConfirmationCode: await t.latestCode(userPoolId, "nat", "SIGN_UP") }));
    const user = await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "nat" }));
    assert.equal(user.UserStatus, "CONFIRMED");
    assert.equal(attributesOf(user.UserAttributes).email, "someone-else@example.com");
    assert.equal(attributesOf(user.UserAttributes).email_verified, "true", "verified: the new code went to the new address");
  });
});
