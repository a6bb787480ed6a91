// Integration tests of token refresh through GetTokensFromRefreshToken (the call Amplify v6 makes), with and without
// refresh-token rotation (RefreshTokenRotation on the app client): the exact AWS SDK v3 command Amplify sends, the
// rotated token's grace period on the service's clock, REFRESH_TOKEN_AUTH refused for rotating clients, client secrets,
// and AdminDisableUser revoking every token for good.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import {
  AdminConfirmSignUpCommand, AdminDisableUserCommand, AdminEnableUserCommand, CreateUserPoolClientCommand, DescribeUserPoolClientCommand,
  GetTokensFromRefreshTokenCommand, GetUserCommand, InitiateAuthCommand, SignUpCommand, UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createHmac } from "node:crypto";
import { createPoolAndClient } from "../support/local-service";
import { startClockedService, type ClockedService } from "../support/clocked-service";

const PASSWORD = "Corr3ct-Horse!";
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;

describe("GetTokensFromRefreshToken and refresh-token rotation", () => {
  let s: ClockedService;
  let userPoolId: string;
  let plainClient: string;
  let rotatingClient: string;
  let users = 0;

  before(async () => {
    s = await startClockedService();
    ({ userPoolId, clientId: plainClient } = await createPoolAndClient(s.idp));
    const rotating = await s.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: "rotating", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 30 },
    }));
    rotatingClient = rotating.UserPoolClient!.ClientId!;
    assert.deepEqual(rotating.UserPoolClient!.RefreshTokenRotation, { Feature: "ENABLED", RetryGracePeriodSeconds: 30 });
  });
  after(() => s.stop());

  async function signedIn(clientId: string) {
    const username = `user${++users}`;
    await s.idp.send(new SignUpCommand({ ClientId: plainClient, Username: username, Password: PASSWORD }));
    await s.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: username }));
    const res = await s.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD } }));
    return { username, tokens: res.AuthenticationResult! };
  }
  /** The call Amplify v6 makes (refreshAuthTokens.ts): ClientId, RefreshToken, DeviceKey, ClientMetadata. */
  const amplifyRefresh = (ClientId: string, RefreshToken: string) =>
    s.idp.send(new GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken, DeviceKey: undefined, ClientMetadata: { source: "test" } }));

  it("refreshes an expired access token without rotation: new ID and access tokens, no new refresh token", async () => {
    const { tokens } = await signedIn(plainClient);
    s.advance(3601);
    await assert.rejects(s.idp.send(new GetUserCommand({ AccessToken: tokens.AccessToken! })), { message: "Access Token has expired" });
    const res = await amplifyRefresh(plainClient, tokens.RefreshToken!);
    const result = res.AuthenticationResult!;
    assert.equal(result.RefreshToken, undefined);
    assert.equal(result.TokenType, "Bearer");
    assert.equal(result.ExpiresIn, 3600);
    assert.equal(claimsOf(result.AccessToken!).origin_jti, claimsOf(tokens.AccessToken!).origin_jti);
    assert.equal((await s.idp.send(new GetUserCommand({ AccessToken: result.AccessToken! }))).Username !== undefined, true);
    // Without rotation the same refresh token keeps working, through both calls.
    assert.ok((await amplifyRefresh(plainClient, tokens.RefreshToken!)).AuthenticationResult?.AccessToken);
    assert.ok((await s.idp.send(new InitiateAuthCommand({ ClientId: plainClient, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } }))).AuthenticationResult);
  });

  it("rotates: a new refresh token, the old one answers during the grace period and then stops", async () => {
    const { tokens } = await signedIn(rotatingClient);
    const first = (await amplifyRefresh(rotatingClient, tokens.RefreshToken!)).AuthenticationResult!;
    assert.ok(first.RefreshToken && first.RefreshToken !== tokens.RefreshToken, "a new refresh token");
    assert.equal(claimsOf(first.IdToken!).auth_time, claimsOf(tokens.IdToken!).auth_time, "the sign-in time carries over");
    s.advance(20);
    const retry = (await amplifyRefresh(rotatingClient, tokens.RefreshToken!)).AuthenticationResult!;
    assert.ok(retry.RefreshToken, "a retry within the grace period still answers");
    s.advance(11);
    await assert.rejects(amplifyRefresh(rotatingClient, tokens.RefreshToken!), { name: "NotAuthorizedException", message: "Invalid Refresh Token" });
    // The rotated-in token works, and rotates in turn.
    const second = (await amplifyRefresh(rotatingClient, first.RefreshToken!)).AuthenticationResult!;
    assert.ok(second.RefreshToken && second.RefreshToken !== first.RefreshToken);
  });

  it("with a zero grace period the old refresh token dies at once", async () => {
    const c = await s.idp.send(new CreateUserPoolClientCommand({
      UserPoolId: userPoolId, ClientName: "strict", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"], RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 0 },
    }));
    const { tokens } = await signedIn(c.UserPoolClient!.ClientId!);
    assert.ok((await amplifyRefresh(c.UserPoolClient!.ClientId!, tokens.RefreshToken!)).AuthenticationResult?.RefreshToken);
    await assert.rejects(amplifyRefresh(c.UserPoolClient!.ClientId!, tokens.RefreshToken!), { name: "NotAuthorizedException", message: "Invalid Refresh Token" });
  });

  it("refuses REFRESH_TOKEN_AUTH for a rotating client", async () => {
    const { tokens } = await signedIn(rotatingClient);
    await assert.rejects(s.idp.send(new InitiateAuthCommand({ ClientId: rotatingClient, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! } })), {
      name: "NotAuthorizedException",
    });
  });

  it("Create/Update/DescribeUserPoolClient carry RefreshTokenRotation and validate it", async () => {
    const described = await s.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: rotatingClient }));
    assert.deepEqual(described.UserPoolClient!.RefreshTokenRotation, { Feature: "ENABLED", RetryGracePeriodSeconds: 30 });
    for (const bad of [{ Feature: "ON" }, { Feature: "ENABLED", RetryGracePeriodSeconds: 61 }, { Feature: "ENABLED", RetryGracePeriodSeconds: -1 }]) {
      await assert.rejects(s.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: rotatingClient, RefreshTokenRotation: bad as never })), { name: "InvalidParameterException" });
    }
    const updated = await s.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: rotatingClient, ClientName: "rotating", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 30 } }));
    assert.equal(updated.UserPoolClient!.RefreshTokenRotation!.Feature, "ENABLED");
  });

  it("checks ClientSecret for a client with a secret", async () => {
    const c = await s.idp.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "secret", GenerateSecret: true, ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] }));
    const { ClientId, ClientSecret } = c.UserPoolClient!;
    const username = `user${++users}`;
    await s.idp.send(new SignUpCommand({ ClientId: plainClient, Username: username, Password: PASSWORD }));
    await s.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: username }));
    const SECRET_HASH = createHmac("sha256", ClientSecret!).update(username + ClientId!).digest("base64");
    const signIn = await s.idp.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD, SECRET_HASH } }));
    const RefreshToken = signIn.AuthenticationResult!.RefreshToken!;
    await assert.rejects(s.idp.send(new GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken })), { name: "NotAuthorizedException" });
    await assert.rejects(s.idp.send(new GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken, ClientSecret: "wrong" })), { name: "NotAuthorizedException" });
    assert.ok((await s.idp.send(new GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken, ClientSecret }))).AuthenticationResult?.AccessToken);
  });

  it("AdminDisableUser revokes the user's tokens, and they stay dead after AdminEnableUser", async () => {
    const { username, tokens } = await signedIn(plainClient);
    await s.idp.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: username }));
    await s.idp.send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: username }));
    await assert.rejects(s.idp.send(new GetUserCommand({ AccessToken: tokens.AccessToken! })), { name: "NotAuthorizedException", message: "Access Token has been revoked" });
    await assert.rejects(amplifyRefresh(plainClient, tokens.RefreshToken!), { name: "NotAuthorizedException", message: "Invalid Refresh Token" });
    const again = await s.idp.send(new InitiateAuthCommand({ ClientId: plainClient, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD } }));
    assert.ok((await s.idp.send(new GetUserCommand({ AccessToken: again.AuthenticationResult!.AccessToken! }))).Username);
  });
});
