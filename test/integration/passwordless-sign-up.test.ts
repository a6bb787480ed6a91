// Integration tests of passwordless sign-up through the AWS SDK v3: SignUp without a password where the pool and client
// allow a one-time code factor (and refused, storing nothing, where they do not), the Session that passes from SignUp to
// ConfirmSignUp to InitiateAuth / AdminInitiateAuth USER_AUTH and signs the new user in without a second code, once and
// only within its lifetime, and the sign-in choices such a user has afterwards.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import {
  AdminGetUserCommand, AdminInitiateAuthCommand, ConfirmSignUpCommand, CreateUserPoolClientCommand, GetUserAuthFactorsCommand,
  InitiateAuthCommand, RespondToAuthChallengeCommand, SignUpCommand, type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWithAwsError as rejects } from "../support/aws-errors";
import { startClockedService } from "../support/clocked-service";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";

const PASSWORDLESS_POOL = {
  AutoVerifiedAttributes: ["email" as const],
  Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD" as const, "EMAIL_OTP" as const] } },
};
const USER_AUTH_CLIENT = { ExplicitAuthFlows: ["ALLOW_USER_AUTH" as const, "ALLOW_USER_PASSWORD_AUTH" as const, "ALLOW_REFRESH_TOKEN_AUTH" as const] };
const REFUSED = "Password is required: the user pool and app client allow no passwordless sign-in with this user's attributes.";

const signUp = (idp: CognitoIdentityProviderClient, clientId: string, username: string, attributes: Record<string, string> = { email: `${username}@example.com` }) =>
  idp.send(new SignUpCommand({ ClientId: clientId, Username: username, UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })) }));

describe("passwordless sign-up", () => {
  let t: TestService;
  let userPoolId: string;
  let clientId: string;

  const confirm = (username: string, code: string, session?: string, client = clientId) =>
    t.idp.send(new ConfirmSignUpCommand({ ClientId: client, Username: username, ConfirmationCode: code, ...(session ? { Session: session } : {}) }));
  const signInWith = (username: string, session: string | undefined, client = clientId) =>
    t.idp.send(new InitiateAuthCommand({ ClientId: client, AuthFlow: "USER_AUTH", AuthParameters: { USERNAME: username }, Session: session }));
  const status = async (username: string) => (await t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }))).UserStatus;

  before(async () => {
    t = await startTestService();
    ({ userPoolId, clientId } = await createPoolAndClient(t.idp, PASSWORDLESS_POOL, USER_AUTH_CLIENT));
  });
  after(() => t.stop());

  it("SignUp without a password returns a Session; ConfirmSignUp with it returns another that signs the user in once", async () => {
    const created = await signUp(t.idp, clientId, "nora");
    assert.equal(created.UserConfirmed, false);
    assert.equal(created.CodeDeliveryDetails?.DeliveryMedium, "EMAIL");
    assert.ok(created.Session);
    const confirmed = await confirm("nora", await t.latestCode(userPoolId, "nora", "SIGN_UP"), created.Session);
    assert.ok(confirmed.Session);
    const signedIn = await signInWith("nora", confirmed.Session);
    assert.equal(signedIn.ChallengeName, undefined);
    const id = JSON.parse(Buffer.from(signedIn.AuthenticationResult!.IdToken!.split(".")[1], "base64url").toString()) as Record<string, unknown>;
    assert.equal(id["cognito:username"], "nora");
    assert.equal(id.email_verified, true);
    // Once only.
    await rejects(signInWith("nora", confirmed.Session), "NotAuthorizedException", "Invalid session for the user, session is expired.");
    // The user has no password; its factor is the code by email.
    const factors = await t.idp.send(new GetUserAuthFactorsCommand({ AccessToken: signedIn.AuthenticationResult!.AccessToken! }));
    assert.deepEqual(factors.ConfiguredUserAuthFactors, ["EMAIL_OTP"]);
    const select = await signInWith("nora", undefined);
    assert.deepEqual(select.AvailableChallenges, ["EMAIL_OTP"]);
    await rejects(t.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "nora", PASSWORD: "Any-Passw0rd!" } })),
      "NotAuthorizedException", "Incorrect username or password.");
    // And signs in with a code from then on.
    const otp = await t.idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: "SELECT_CHALLENGE", Session: select.Session, ChallengeResponses: { USERNAME: "nora", ANSWER: "EMAIL_OTP" } }));
    const again = await t.idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: "EMAIL_OTP", Session: otp.Session, ChallengeResponses: { USERNAME: "nora", EMAIL_OTP_CODE: await t.latestCode(userPoolId, "nora", "SIGN_IN") } }));
    assert.ok(again.AuthenticationResult);
  });

  it("AdminInitiateAuth accepts ConfirmSignUp's Session too; ConfirmSignUp without SignUp's Session still returns one", async () => {
    await signUp(t.idp, clientId, "olga");
    const confirmed = await confirm("olga", await t.latestCode(userPoolId, "olga", "SIGN_UP"));
    const signedIn = await t.idp.send(new AdminInitiateAuthCommand({ UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "USER_AUTH", AuthParameters: { USERNAME: "olga" }, Session: confirmed.Session }));
    assert.ok(signedIn.AuthenticationResult?.AccessToken);
  });

  it("a Session of another user or client is refused and changes nothing", async () => {
    const a = await signUp(t.idp, clientId, "amy");
    const b = await signUp(t.idp, clientId, "ben");
    const benCode = await t.latestCode(userPoolId, "ben", "SIGN_UP");
    await rejects(confirm("ben", benCode, a.Session), "NotAuthorizedException", "Invalid session for the user, session is expired.");
    assert.equal(await status("ben"), "UNCONFIRMED");
    const benConfirmed = await confirm("ben", benCode, b.Session);
    const amyConfirmed = await confirm("amy", await t.latestCode(userPoolId, "amy", "SIGN_UP"), a.Session);
    await rejects(signInWith("amy", benConfirmed.Session), "NotAuthorizedException", "Invalid session for the user, session is expired.");
    const other = await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "other", ExplicitAuthFlows: ["ALLOW_USER_AUTH"] }));
    await rejects(signInWith("amy", amyConfirmed.Session, other.UserPoolClient!.ClientId!), "NotAuthorizedException", "Invalid session for the user, session is expired.");
    // SignUp's own Session is no sign-in Session, nor a challenge one.
    await rejects(signInWith("amy", a.Session), "NotAuthorizedException", "Invalid session for the user, session is expired.");
    await rejects(t.idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: "SELECT_CHALLENGE", Session: amyConfirmed.Session, ChallengeResponses: { USERNAME: "amy", ANSWER: "EMAIL_OTP" } })),
      "NotAuthorizedException", "Invalid session for the user, session is expired.");
    // The refusals spent nothing: the right user and client still sign in with it.
    assert.ok((await signInWith("amy", amyConfirmed.Session)).AuthenticationResult);
  });

  it("is refused, storing nothing, where the pool, the client or the user's attributes allow no passwordless sign-in", async () => {
    const { clientId: passwordOnlyPool } = await createPoolAndClient(t.idp, { AutoVerifiedAttributes: ["email"] }, USER_AUTH_CLIENT);
    await rejects(signUp(t.idp, passwordOnlyPool, "pia"), "InvalidParameterException", REFUSED);
    const noUserAuth = await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "password-only", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] }));
    await rejects(signUp(t.idp, noUserAuth.UserPoolClient!.ClientId!, "pia"), "InvalidParameterException", REFUSED);
    await rejects(signUp(t.idp, clientId, "pia", { phone_number: "+15550100321" }), "InvalidParameterException", REFUSED);
    await rejects(t.idp.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: "pia" })), "UserNotFoundException", "User does not exist.");
    // A blank password is no password.
    await rejects(t.idp.send(new SignUpCommand({ ClientId: passwordOnlyPool, Username: "pia", Password: "" })), "InvalidParameterException", REFUSED);
  });

  it("ConfirmSignUp's Session expires with the sign-in session lifetime", async () => {
    const clocked = await startClockedService(Date.now(), { frozen: true });
    try {
      const { userPoolId: id, clientId: client } = await createPoolAndClient(clocked.idp, PASSWORDLESS_POOL, USER_AUTH_CLIENT);
      await signUp(clocked.idp, client, "late");
      const confirmed = await clocked.idp.send(new ConfirmSignUpCommand({ ClientId: client, Username: "late", ConfirmationCode: clocked.latestCode(id, "late", "SIGN_UP") }));
      clocked.advance(181);
      await rejects(clocked.idp.send(new InitiateAuthCommand({ ClientId: client, AuthFlow: "USER_AUTH", AuthParameters: { USERNAME: "late" }, Session: confirmed.Session })),
        "NotAuthorizedException", "Invalid session for the user, session is expired.");
    } finally {
      await clocked.stop();
    }
  });
});
