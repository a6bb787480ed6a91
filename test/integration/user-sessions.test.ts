// User sessions and session configuration through the AWS SDK v3: Get/SetUserPoolSessionConfiguration and
// Get/SetUserPoolClientSessionConfiguration (defaults, validation, the Lite plan's refusal), List/AdminList and
// Revoke/AdminRevokeUserSession (a revoked session's refresh token and access tokens die everywhere: REFRESH_TOKEN_AUTH,
// GetTokensFromRefreshToken, the token endpoint), a rotated refresh token continuing its session, and MaxPerUser
// evicting the least recently used session on the next sign-in.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import {
  AdminCreateUserCommand, AdminInitiateAuthCommand, AdminListUserSessionsCommand, AdminRevokeUserSessionCommand, AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand, CreateUserPoolCommand, GetTokensFromRefreshTokenCommand, GetUserCommand, GetUserPoolClientSessionConfigurationCommand,
  GetUserPoolSessionConfigurationCommand, InitiateAuthCommand, ListUserSessionsCommand, RevokeUserSessionCommand,
  SetUserPoolClientSessionConfigurationCommand, SetUserPoolSessionConfigurationCommand, type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { startTestService, type TestService } from "../support/local-service";
import { rejectsWithAwsError } from "../support/aws-errors";
import { hostedSignIn } from "../support/hosted-ui";
import { CALLBACK_URL, createOAuthPool, USER_EMAIL, USER_PASSWORD } from "../support/oauth-pool";

const PASSWORD = "Sessions-2025!";

async function poolWithUser(idp: CognitoIdentityProviderClient, client: Record<string, unknown> = {}) {
  const userPoolId = (await idp.send(new CreateUserPoolCommand({ PoolName: "sessions" }))).UserPool!.Id!;
  const clientId = (await idp.send(new CreateUserPoolClientCommand({
    UserPoolId: userPoolId, ClientName: "app", ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], ...client,
  }))).UserPoolClient!.ClientId!;
  await idp.send(new AdminCreateUserCommand({ UserPoolId: userPoolId, Username: "ada", MessageAction: "SUPPRESS" }));
  await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: "ada", Password: PASSWORD, Permanent: true }));
  const signIn = async () => (await idp.send(new AdminInitiateAuthCommand({
    UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "ada", PASSWORD },
  }))).AuthenticationResult!;
  return { userPoolId, clientId, signIn };
}

describe("session configuration", () => {
  let t: TestService;
  before(async () => (t = await startTestService()));
  after(() => t.stop());

  it("answers AWS's defaults, stores what is set, and validates it", async () => {
    const { userPoolId, clientId } = await poolWithUser(t.idp);
    const defaults = await t.idp.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: userPoolId }));
    assert.deepEqual({ ...defaults, $metadata: undefined }, { $metadata: undefined, UserPoolId: userPoolId, UserSessionTracking: "DISABLED", TokenSession: { MaxPerUser: 20 } });
    const clientDefaults = await t.idp.send(new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: userPoolId, ClientId: clientId }));
    assert.deepEqual(clientDefaults.SSOSession, { MaxValidityMinutes: 60 });

    // A client's configuration needs tracking on for its pool.
    await rejectsWithAwsError(t.idp.send(new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: userPoolId, ClientId: clientId, SSOSession: { MaxValidityMinutes: 30 } })), "OperationNotEnabledException");
    const set = await t.idp.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: userPoolId, UserSessionTracking: "ENABLED", TokenSession: { MaxPerUser: 3 } }));
    assert.deepEqual([set.UserSessionTracking, set.TokenSession], ["ENABLED", { MaxPerUser: 3 }]);
    assert.deepEqual((await t.idp.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: userPoolId }))).TokenSession, { MaxPerUser: 3 });
    await t.idp.send(new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: userPoolId, ClientId: clientId, SSOSession: { MaxValidityMinutes: 0 } }));
    assert.deepEqual((await t.idp.send(new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: userPoolId, ClientId: clientId }))).SSOSession, { MaxValidityMinutes: 0 });

    const setPool = (input: Record<string, unknown>) => t.idp.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: userPoolId, UserSessionTracking: "ENABLED", TokenSession: { MaxPerUser: 5 }, ...input } as never));
    await rejectsWithAwsError(setPool({ TokenSession: { MaxPerUser: 0 } }), "InvalidParameterException", "1 validation error detected: Value '0' at 'tokenSession.maxPerUser' failed to satisfy constraint: Member must have value greater than or equal to 1");
    await rejectsWithAwsError(setPool({ TokenSession: { MaxPerUser: 101 } }), "InvalidParameterException", /less than or equal to 100/);
    await rejectsWithAwsError(setPool({ UserSessionTracking: "ON" }), "InvalidParameterException", /enum value set: \[ENABLED, DISABLED\]/);
    await rejectsWithAwsError(setPool({ TokenSession: undefined }), "InvalidParameterException", /'tokenSession' failed to satisfy constraint: Member must not be null/);
    await rejectsWithAwsError(t.idp.send(new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: userPoolId, ClientId: clientId, SSOSession: { MaxValidityMinutes: 129_601 } })), "InvalidParameterException", /less than or equal to 129600/);
    await rejectsWithAwsError(t.idp.send(new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: userPoolId, ClientId: "nope" })), "ResourceNotFoundException");
    await rejectsWithAwsError(t.idp.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: "us-east-1_missing00" })), "ResourceNotFoundException");
    // Refusals changed nothing.
    assert.deepEqual((await t.idp.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: userPoolId }))).TokenSession, { MaxPerUser: 3 });
  });

  it("is refused on the Lite feature plan", async () => {
    const userPoolId = (await t.idp.send(new CreateUserPoolCommand({ PoolName: "lite", UserPoolTier: "LITE" }))).UserPool!.Id!;
    await rejectsWithAwsError(t.idp.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: userPoolId, UserSessionTracking: "ENABLED", TokenSession: { MaxPerUser: 5 } })), "FeatureUnavailableInTierException");
    assert.equal((await t.idp.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: userPoolId }))).UserSessionTracking, "DISABLED");
  });
});

describe("user sessions", () => {
  let t: TestService;
  before(async () => (t = await startTestService()));
  after(() => t.stop());

  it("needs session tracking on", async () => {
    const { userPoolId, signIn } = await poolWithUser(t.idp);
    const tokens = await signIn();
    await rejectsWithAwsError(t.idp.send(new ListUserSessionsCommand({ AccessToken: tokens.AccessToken })), "OperationNotEnabledException");
    await rejectsWithAwsError(t.idp.send(new AdminListUserSessionsCommand({ UserPoolId: userPoolId, Username: "ada" })), "OperationNotEnabledException");
  });

  it("lists the user's sessions and revokes one: its refresh and access tokens die, the others live", async () => {
    const { userPoolId, clientId, signIn } = await poolWithUser(t.idp);
    await t.idp.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: userPoolId, UserSessionTracking: "ENABLED", TokenSession: { MaxPerUser: 10 } }));
    const first = await signIn();
    const second = await signIn();
    const mine = await t.idp.send(new ListUserSessionsCommand({ AccessToken: second.AccessToken }));
    assert.equal(mine.Sessions?.length, 2);
    for (const s of mine.Sessions!) {
      assert.match(s.SessionId!, /^tkn[a-z0-9]{25}$/);
      assert.equal(s.SessionType, "TOKEN");
      assert.equal(s.ClientId, clientId);
      assert.ok(s.CreateDate instanceof Date && s.LastActiveDate instanceof Date);
    }
    const current = mine.Sessions!.find((s) => s.IsCurrentSession)!;
    const other = mine.Sessions!.find((s) => !s.IsCurrentSession)!;
    assert.ok(current && other);
    const admin = await t.idp.send(new AdminListUserSessionsCommand({ UserPoolId: userPoolId, Username: "ada" }));
    assert.deepEqual(admin.Sessions!.map((s) => s.SessionId).sort(), mine.Sessions!.map((s) => s.SessionId).sort());
    assert.ok(admin.Sessions!.every((s) => s.IsCurrentSession === false));

    // The caller's own session can not be revoked; bad ids and unknown sessions are refused.
    await rejectsWithAwsError(t.idp.send(new RevokeUserSessionCommand({ AccessToken: second.AccessToken, SessionId: current.SessionId! })), "InvalidParameterException");
    await rejectsWithAwsError(t.idp.send(new RevokeUserSessionCommand({ AccessToken: second.AccessToken, SessionId: "not-a-session" })), "InvalidParameterException", /at 'sessionId' failed to satisfy constraint/);
    await rejectsWithAwsError(t.idp.send(new RevokeUserSessionCommand({ AccessToken: second.AccessToken, SessionId: "tkn" + "0".repeat(25) })), "ResourceNotFoundException");
    await rejectsWithAwsError(t.idp.send(new RevokeUserSessionCommand({ AccessToken: second.AccessToken, SessionId: other.SessionId!, RevokeAssociatedSessions: "ALL" as never })), "InvalidParameterException", /enum value set: \[NONE, LINKED\]/);

    await t.idp.send(new RevokeUserSessionCommand({ AccessToken: second.AccessToken, SessionId: other.SessionId! }));
    await rejectsWithAwsError(t.idp.send(new GetUserCommand({ AccessToken: first.AccessToken })), "NotAuthorizedException", "Access Token has been revoked");
    await rejectsWithAwsError(t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: first.RefreshToken! } })), "NotAuthorizedException", "Invalid Refresh Token");
    await rejectsWithAwsError(t.idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: first.RefreshToken! })), "NotAuthorizedException", "Invalid Refresh Token");
    assert.ok((await t.idp.send(new GetUserCommand({ AccessToken: second.AccessToken }))).Username);
    const left = await t.idp.send(new AdminListUserSessionsCommand({ UserPoolId: userPoolId, Username: "ada" }));
    assert.deepEqual(left.Sessions!.map((s) => s.SessionId), [current.SessionId]);

    // An administrator revokes the last one; the same id again is gone.
    await rejectsWithAwsError(t.idp.send(new AdminRevokeUserSessionCommand({ UserPoolId: userPoolId, Username: "nobody", SessionId: current.SessionId! })), "UserNotFoundException");
    await t.idp.send(new AdminRevokeUserSessionCommand({ UserPoolId: userPoolId, Username: "ada", SessionId: current.SessionId!, RevokeAssociatedSessions: "LINKED" }));
    await rejectsWithAwsError(t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: second.RefreshToken! } })), "NotAuthorizedException", "Invalid Refresh Token");
    await rejectsWithAwsError(t.idp.send(new AdminRevokeUserSessionCommand({ UserPoolId: userPoolId, Username: "ada", SessionId: current.SessionId! })), "ResourceNotFoundException");
    assert.deepEqual((await t.idp.send(new AdminListUserSessionsCommand({ UserPoolId: userPoolId, Username: "ada" }))).Sessions, []);
  });

  it("a rotated refresh token continues its session (same id, later LastActiveDate)", async () => {
    const { userPoolId, clientId, signIn } = await poolWithUser(t.idp, { RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 0 } });
    await t.idp.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: userPoolId, UserSessionTracking: "ENABLED", TokenSession: { MaxPerUser: 10 } }));
    const tokens = await signIn();
    const [before] = (await t.idp.send(new AdminListUserSessionsCommand({ UserPoolId: userPoolId, Username: "ada" }))).Sessions!;
    const rotated = await t.idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken! }));
    assert.ok(rotated.AuthenticationResult?.RefreshToken);
    const after = (await t.idp.send(new AdminListUserSessionsCommand({ UserPoolId: userPoolId, Username: "ada" }))).Sessions!;
    assert.deepEqual(after.map((s) => s.SessionId), [before.SessionId]);
    assert.equal(after[0].CreateDate?.getTime(), before.CreateDate?.getTime());
    assert.ok(after[0].LastActiveDate!.getTime() > before.LastActiveDate!.getTime());
    // Revoking the session kills the rotated refresh token too.
    await t.idp.send(new AdminRevokeUserSessionCommand({ UserPoolId: userPoolId, Username: "ada", SessionId: before.SessionId! }));
    await rejectsWithAwsError(t.idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: rotated.AuthenticationResult!.RefreshToken! })), "NotAuthorizedException", "Invalid Refresh Token");
  });

  it("MaxPerUser: the next sign-in past the maximum evicts the least recently used session", async () => {
    const { userPoolId, clientId, signIn } = await poolWithUser(t.idp);
    await t.idp.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: userPoolId, UserSessionTracking: "ENABLED", TokenSession: { MaxPerUser: 2 } }));
    const a = await signIn();
    const b = await signIn();
    const c = await signIn();
    const ids = (await t.idp.send(new AdminListUserSessionsCommand({ UserPoolId: userPoolId, Username: "ada" }))).Sessions!;
    assert.equal(ids.length, 2);
    await rejectsWithAwsError(t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: a.RefreshToken! } })), "NotAuthorizedException", "Invalid Refresh Token");
    for (const live of [b, c]) await t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: live.RefreshToken! } }));
    // With tracking off, nothing is evicted.
    await t.idp.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: userPoolId, UserSessionTracking: "DISABLED", TokenSession: { MaxPerUser: 1 } }));
    await signIn();
    await t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: b.RefreshToken! } }));
  });

  it("a revoked session's refresh token is refused at the token endpoint", async () => {
    const p = await createOAuthPool(t.idp, t.url, "sessions-domain");
    await t.idp.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: p.userPoolId, UserSessionTracking: "ENABLED", TokenSession: { MaxPerUser: 10 } }));
    const client = (await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: p.userPoolId, ClientName: "api", ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }))).UserPoolClient!;
    const tokens = (await t.idp.send(new AdminInitiateAuthCommand({ UserPoolId: p.userPoolId, ClientId: client.ClientId!, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: USER_EMAIL, PASSWORD: USER_PASSWORD } }))).AuthenticationResult!;
    const refresh = () => fetch(`${p.base}/oauth2/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "refresh_token", client_id: client.ClientId!, refresh_token: tokens.RefreshToken! }).toString() });
    assert.equal((await refresh()).status, 200);
    const [session] = (await t.idp.send(new ListUserSessionsCommand({ AccessToken: tokens.AccessToken }))).Sessions!;
    await t.idp.send(new AdminRevokeUserSessionCommand({ UserPoolId: p.userPoolId, Username: USER_EMAIL, SessionId: session.SessionId! }));
    const refused = await refresh();
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: string }).error, "invalid_grant");
  });

  it("the client's SSO MaxValidityMinutes governs silent sign-in from the hosted page's session", async () => {
    const p = await createOAuthPool(t.idp, t.url, "sso-window");
    const authorize = `${p.base}/oauth2/authorize?${new URLSearchParams({ client_id: p.webClientId, response_type: "code", redirect_uri: CALLBACK_URL, scope: "openid" })}`;
    const signedIn = await hostedSignIn(authorize, USER_EMAIL, USER_PASSWORD);
    assert.ok(new URL(signedIn.location).searchParams.get("code"));
    const again = async () => (await fetch(authorize, { redirect: "manual", headers: { cookie: signedIn.jar.header() } })).headers.get("location")!;
    assert.ok(new URL(await again()).searchParams.get("code"), "without tracking the session is reused");
    await t.idp.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: p.userPoolId, UserSessionTracking: "ENABLED", TokenSession: { MaxPerUser: 10 } }));
    assert.ok(new URL(await again()).searchParams.get("code"), "within the default 60 minutes");
    await t.idp.send(new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: p.userPoolId, ClientId: p.webClientId, SSOSession: { MaxValidityMinutes: 0 } }));
    assert.match(new URL(await again()).pathname, /\/login$/, "0 minutes: always sign in again");
  });

  it("ListUserSessions and RevokeUserSession are served unsigned, as AWS serves them; the Admin ones are not", async () => {
    const { userPoolId, signIn } = await poolWithUser(t.idp);
    await t.idp.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: userPoolId, UserSessionTracking: "ENABLED", TokenSession: { MaxPerUser: 10 } }));
    const tokens = await signIn();
    const unsigned = (operation: string, body: unknown) => fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${operation}` },
      body: JSON.stringify(body),
    });
    const listed = await unsigned("ListUserSessions", { AccessToken: tokens.AccessToken });
    assert.equal(listed.status, 200);
    assert.equal(((await listed.json()) as { Sessions: unknown[] }).Sessions.length, 1);
    const admin = await unsigned("AdminListUserSessions", { UserPoolId: userPoolId, Username: "ada" });
    assert.equal(admin.status, 400);
    assert.equal(((await admin.json()) as { __type: string }).__type, "MissingAuthenticationTokenException");
  });
});
