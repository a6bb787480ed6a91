// Integration tests of passkey sign-in (USER_AUTH's WEB_AUTHN first factor) through the AWS SDK v3, with passkeys
// registered by Start/CompleteWebAuthnRegistration from a software authenticator (test/support): WEB_AUTHN offered only
// to users with a passkey for the pool's relying party id and a pool that allows it, PREFERRED_CHALLENGE and
// SELECT_CHALLENGE, CREDENTIAL_REQUEST_OPTIONS, the CREDENTIAL answer on InitiateAuth and AdminInitiateAuth, then
// PostAuthentication and PreTokenGeneration as for any first factor. Refused, changing nothing else: a replayed
// assertion, a passkey deleted meanwhile, another relying party id, an unknown credential, a malformed credential, a
// factor the pool does not allow, and passkeys on the LITE plan.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AdminCreateUserCommand, AdminGetUserAuthFactorsCommand, AdminInitiateAuthCommand, AdminRespondToAuthChallengeCommand, AdminSetUserPasswordCommand,
  CompleteWebAuthnRegistrationCommand, CreateUserPoolCommand, DeleteWebAuthnCredentialCommand, GetUserAuthFactorsCommand, InitiateAuthCommand,
  RespondToAuthChallengeCommand, SetUserPoolMfaConfigCommand, StartWebAuthnRegistrationCommand, UpdateUserPoolCommand,
  type InitiateAuthCommandOutput,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWithAwsError as rejects } from "../support/aws-errors";
import { createPoolAndClient } from "../support/local-service";
import { SoftwareAuthenticator } from "../support/software-authenticator";
import { useTriggerService } from "../support/trigger-service";

const env = useTriggerService();
const PASSWORD = "Passk3y-Sign-in!";
const ORIGIN = "http://localhost:5173";
const TRIGGERS = ["PostAuthentication", "PreTokenGeneration"];
const PASSKEY_FACTORS = { AllowedFirstAuthFactors: ["PASSWORD" as const, "EMAIL_OTP" as const, "WEB_AUTHN" as const] };

interface RequestOptions {
  challenge: string;
  rpId: string;
  timeout: number;
  userVerification: string;
  allowCredentials: Array<{ id: string; type: string; transports?: string[] }>;
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
const sources = () => env.lambdas.calls.map((c) => c.event.triggerSource as string);

/** A pool allowing passkeys for http://localhost pages, with echoing triggers, and a USER_AUTH client. */
async function passkeyPool(factors: typeof PASSKEY_FACTORS = PASSKEY_FACTORS) {
  for (const name of TRIGGERS) env.lambdas.functions.set(name, (event) => event);
  const LambdaConfig = Object.fromEntries(TRIGGERS.map((name) => [name, env.lambdas.arn(name)]));
  const { userPoolId, clientId } = await createPoolAndClient(env.idp, { LambdaConfig, AutoVerifiedAttributes: ["email"], Policies: { SignInPolicy: factors } }, {
    ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], PreventUserExistenceErrors: "ENABLED",
  });
  await env.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, WebAuthnConfiguration: { RelyingPartyId: "localhost", UserVerification: "required" } }));
  return { userPoolId, clientId };
}

/** A confirmed user with a verified email and a password, its access token, and (unless `register` is false) a passkey. */
async function passkeyUser(userPoolId: string, clientId: string, username: string, authenticator = new SoftwareAuthenticator(), register = true) {
  await env.idp.send(new AdminCreateUserCommand({
    UserPoolId: userPoolId, Username: username, MessageAction: "SUPPRESS",
    UserAttributes: [{ Name: "email", Value: `${username}@example.com` }, { Name: "email_verified", Value: "true" }],
  }));
  await env.idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: PASSWORD, Permanent: true }));
  const auth = await env.idp.send(new AdminInitiateAuthCommand({ UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD } }));
  const accessToken = auth.AuthenticationResult!.AccessToken!;
  let credentialId = "";
  if (register) {
    const { CredentialCreationOptions } = await env.idp.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }));
    const credential = authenticator.create(CredentialCreationOptions as never, ORIGIN);
    await env.idp.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: credential as never }));
    credentialId = credential.id as string;
  }
  env.lambdas.calls.length = 0;
  return { accessToken, credentialId, authenticator };
}

const userAuth = (clientId: string, username: string, preferred?: string) =>
  env.idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_AUTH", AuthParameters: { USERNAME: username, ...(preferred ? { PREFERRED_CHALLENGE: preferred } : {}) } }));
const answer = (clientId: string, session: string | undefined, username: string, credential: unknown) =>
  env.idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: "WEB_AUTHN", Session: session, ChallengeResponses: { USERNAME: username, CREDENTIAL: JSON.stringify(credential) } }));
const optionsOf = (res: InitiateAuthCommandOutput) => JSON.parse(res.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) as RequestOptions;

describe("passkey sign-in (USER_AUTH WEB_AUTHN)", () => {
  test("SELECT_CHALLENGE offers WEB_AUTHN to a user with a passkey; its answer signs in, with PostAuthentication and PreTokenGeneration", async () => {
    const { userPoolId, clientId } = await passkeyPool();
    const { credentialId, authenticator, accessToken } = await passkeyUser(userPoolId, clientId, "pia");
    await passkeyUser(userPoolId, clientId, "nopasskey", undefined, false);

    const choice = await userAuth(clientId, "pia");
    assert.equal(choice.ChallengeName, "SELECT_CHALLENGE");
    assert.deepEqual(choice.AvailableChallenges, ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "WEB_AUTHN"]);
    const without = await userAuth(clientId, "nopasskey");
    assert.deepEqual(without.AvailableChallenges, ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"], "no passkey, no WEB_AUTHN");

    const challenge = await env.idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: "SELECT_CHALLENGE", Session: choice.Session, ChallengeResponses: { USERNAME: "pia", ANSWER: "WEB_AUTHN" } }));
    assert.equal(challenge.ChallengeName, "WEB_AUTHN");
    assert.ok(challenge.Session);
    const options = optionsOf(challenge);
    assert.equal(options.rpId, "localhost");
    assert.equal(options.userVerification, "required");
    assert.equal(options.timeout, 180_000);
    assert.match(options.challenge, /^[A-Za-z0-9_-]{32,}$/);
    assert.deepEqual(options.allowCredentials, [{ id: credentialId, type: "public-key", transports: ["internal"] }]);

    const signedIn = await answer(clientId, challenge.Session, "pia", authenticator.get(options, ORIGIN));
    const tokens = signedIn.AuthenticationResult!;
    assert.equal(claimsOf(tokens.IdToken!)["cognito:username"], "pia");
    assert.equal(claimsOf(tokens.AccessToken!).client_id, clientId);
    assert.ok(tokens.RefreshToken);
    assert.deepEqual(sources(), ["PostAuthentication_Authentication", "TokenGeneration_Authentication"]);

    const factors = await env.idp.send(new GetUserAuthFactorsCommand({ AccessToken: accessToken }));
    assert.deepEqual(factors.ConfiguredUserAuthFactors, ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"]);
    const adminFactors = await env.idp.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: userPoolId, Username: "nopasskey" }));
    assert.deepEqual(adminFactors.ConfiguredUserAuthFactors, ["PASSWORD", "EMAIL_OTP"]);
  });

  test("PREFERRED_CHALLENGE WEB_AUTHN goes straight to the challenge, on InitiateAuth and AdminInitiateAuth", async () => {
    const { userPoolId, clientId } = await passkeyPool();
    const { authenticator } = await passkeyUser(userPoolId, clientId, "quinn");
    const direct = await userAuth(clientId, "quinn", "WEB_AUTHN");
    assert.equal(direct.ChallengeName, "WEB_AUTHN");
    const signedIn = await answer(clientId, direct.Session, "quinn", authenticator.get(optionsOf(direct), ORIGIN));
    assert.ok(signedIn.AuthenticationResult?.AccessToken);

    const admin = await env.idp.send(new AdminInitiateAuthCommand({ UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "USER_AUTH", AuthParameters: { USERNAME: "quinn", PREFERRED_CHALLENGE: "WEB_AUTHN" } }));
    assert.equal(admin.ChallengeName, "WEB_AUTHN");
    const adminSignedIn = await env.idp.send(new AdminRespondToAuthChallengeCommand({
      UserPoolId: userPoolId, ClientId: clientId, ChallengeName: "WEB_AUTHN", Session: admin.Session,
      ChallengeResponses: { USERNAME: "quinn", CREDENTIAL: JSON.stringify(authenticator.get(optionsOf(admin as InitiateAuthCommandOutput), ORIGIN)) },
    }));
    assert.equal(claimsOf(adminSignedIn.AuthenticationResult!.IdToken!)["cognito:username"], "quinn");
  });

  test("an assertion answers once: replayed on its session or on a new challenge it is refused", async () => {
    const { userPoolId, clientId } = await passkeyPool();
    const { authenticator } = await passkeyUser(userPoolId, clientId, "rory");
    const first = await userAuth(clientId, "rory", "WEB_AUTHN");
    const assertion = authenticator.get(optionsOf(first), ORIGIN);
    assert.ok((await answer(clientId, first.Session, "rory", assertion)).AuthenticationResult);
    await rejects(answer(clientId, first.Session, "rory", assertion), "NotAuthorizedException", "Invalid session for the user, session is expired.");
    const second = await userAuth(clientId, "rory", "WEB_AUTHN");
    await rejects(answer(clientId, second.Session, "rory", assertion), "NotAuthorizedException", "Incorrect passkey credential.");
    // The refusal changed nothing: the new challenge still takes a fresh assertion.
    assert.ok((await answer(clientId, second.Session, "rory", authenticator.get(optionsOf(second), ORIGIN))).AuthenticationResult);
  });

  test("a passkey deleted while its challenge is open stops working at once, and WEB_AUTHN is no longer offered", async () => {
    const { userPoolId, clientId } = await passkeyPool();
    const { authenticator, accessToken, credentialId } = await passkeyUser(userPoolId, clientId, "sasha");
    const open = await userAuth(clientId, "sasha", "WEB_AUTHN");
    const assertion = authenticator.get(optionsOf(open), ORIGIN);
    await env.idp.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: credentialId }));
    await rejects(answer(clientId, open.Session, "sasha", assertion), "NotAuthorizedException", "Incorrect passkey credential.");
    const after = await userAuth(clientId, "sasha", "WEB_AUTHN");
    assert.equal(after.ChallengeName, "SELECT_CHALLENGE", "the preference falls back to the choice");
    assert.deepEqual(after.AvailableChallenges, ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]);
  });

  test("another relying party id, an unknown credential and a malformed credential are refused; the challenge then still answers", async () => {
    const { userPoolId, clientId } = await passkeyPool();
    const { authenticator } = await passkeyUser(userPoolId, clientId, "tove");
    const open = await userAuth(clientId, "tove", "WEB_AUTHN");
    const options = optionsOf(open);
    await rejects(env.idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: "WEB_AUTHN", Session: open.Session, ChallengeResponses: { USERNAME: "tove", CREDENTIAL: "{not json" } })),
      "InvalidParameterException", "Credential is not a valid WebAuthn credential response.");
    await rejects(env.idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: "WEB_AUTHN", Session: open.Session, ChallengeResponses: { USERNAME: "tove" } })),
      "InvalidParameterException", "Missing required parameter CREDENTIAL");
    await rejects(answer(clientId, open.Session, "tove", authenticator.get(options, ORIGIN, { rpId: "evil.example" })), "NotAuthorizedException", "Incorrect passkey credential.");
    const stranger = new SoftwareAuthenticator();
    stranger.create({ challenge: "AAAA", rp: { id: "localhost" }, user: { id: "dXNlcg", name: "x" }, pubKeyCredParams: [{ alg: -7, type: "public-key" }] }, ORIGIN);
    await rejects(answer(clientId, open.Session, "tove", stranger.get({ challenge: options.challenge, rpId: "localhost" }, ORIGIN)), "NotAuthorizedException", "Incorrect passkey credential.");
    assert.ok((await answer(clientId, open.Session, "tove", authenticator.get(options, ORIGIN))).AuthenticationResult, "the refusals changed nothing");

    // A page of another origin; three wrong assertions end a session (as three wrong codes do).
    const other = await userAuth(clientId, "tove", "WEB_AUTHN");
    const otherOptions = optionsOf(other);
    await rejects(answer(clientId, other.Session, "tove", authenticator.get(otherOptions, "http://localhost.evil.example:5173")), "NotAuthorizedException", "Incorrect passkey credential.");
    await rejects(answer(clientId, other.Session, "tove", authenticator.get(otherOptions, "https://example.com")), "NotAuthorizedException", "Incorrect passkey credential.");
    await rejects(answer(clientId, other.Session, "tove", authenticator.get(otherOptions, ORIGIN, { challenge: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })), "NotAuthorizedException", "Invalid session for the user, session is expired.");
    await rejects(answer(clientId, other.Session, "tove", authenticator.get(otherOptions, ORIGIN)), "NotAuthorizedException", "Invalid session for the user, session is expired.");
  });

  test("a passkey made for the pool's former relying party id is not offered and does not answer", async () => {
    const { userPoolId, clientId } = await passkeyPool();
    const { authenticator } = await passkeyUser(userPoolId, clientId, "uma");
    const open = await userAuth(clientId, "uma", "WEB_AUTHN");
    const options = optionsOf(open);
    await env.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, WebAuthnConfiguration: { RelyingPartyId: "app.example.com", UserVerification: "required" } }));
    const choice = await userAuth(clientId, "uma", "WEB_AUTHN");
    assert.equal(choice.ChallengeName, "SELECT_CHALLENGE");
    assert.ok(!choice.AvailableChallenges!.includes("WEB_AUTHN"));
    assert.deepEqual((await env.idp.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: userPoolId, Username: "uma" }))).ConfiguredUserAuthFactors, ["PASSWORD", "EMAIL_OTP"]);
    // The challenge issued before the change was for localhost; a localhost assertion for it still verifies against it.
    assert.ok((await answer(clientId, open.Session, "uma", authenticator.get(options, ORIGIN))).AuthenticationResult);
  });

  test("a pool that does not allow WEB_AUTHN neither offers it nor takes it as an answer, nor registers passkeys", async () => {
    const { userPoolId, clientId } = await passkeyPool();
    const { authenticator, accessToken } = await passkeyUser(userPoolId, clientId, "val");
    await env.idp.send(new UpdateUserPoolCommand({ UserPoolId: userPoolId, AutoVerifiedAttributes: ["email"], Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] } } }));
    const choice = await userAuth(clientId, "val", "WEB_AUTHN");
    assert.equal(choice.ChallengeName, "SELECT_CHALLENGE");
    assert.deepEqual(choice.AvailableChallenges, ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]);
    await rejects(env.idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: "SELECT_CHALLENGE", Session: choice.Session, ChallengeResponses: { USERNAME: "val", ANSWER: "WEB_AUTHN" } })),
      "InvalidParameterException", "The challenge WEB_AUTHN is not available for this user. Available challenges: PASSWORD, PASSWORD_SRP, EMAIL_OTP.");
    await rejects(env.idp.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken })), "WebAuthnNotEnabledException");
    assert.deepEqual((await env.idp.send(new GetUserAuthFactorsCommand({ AccessToken: accessToken }))).ConfiguredUserAuthFactors, ["PASSWORD", "EMAIL_OTP"]);
    // Allowed again, the stored passkey signs in again.
    await env.idp.send(new UpdateUserPoolCommand({ UserPoolId: userPoolId, AutoVerifiedAttributes: ["email"], Policies: { SignInPolicy: PASSKEY_FACTORS } }));
    const open = await userAuth(clientId, "val", "WEB_AUTHN");
    assert.ok((await answer(clientId, open.Session, "val", authenticator.get(optionsOf(open), ORIGIN))).AuthenticationResult);
  });

  test("the LITE plan: passkeys refused on create, a move to LITE refused while WEB_AUTHN is allowed, and passkey operations refused", async () => {
    await rejects(env.idp.send(new CreateUserPoolCommand({ PoolName: "lite", UserPoolTier: "LITE", Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] } } })),
      "FeatureUnavailableInTierException", "The following features need to be disabled for the LITE pricing tier configured: Passkey");
    const { userPoolId, clientId } = await passkeyPool();
    await rejects(env.idp.send(new UpdateUserPoolCommand({ UserPoolId: userPoolId, UserPoolTier: "LITE", AutoVerifiedAttributes: ["email"] })),
      "FeatureUnavailableInTierException", "The following features need to be disabled for the LITE pricing tier configured: Passwordless, Passkey");
    // Turning the features off in the same call moves the pool to LITE.
    await env.idp.send(new UpdateUserPoolCommand({ UserPoolId: userPoolId, UserPoolTier: "LITE", AutoVerifiedAttributes: ["email"], Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD"] } } }));
    const { accessToken } = await passkeyUser(userPoolId, clientId, "wes", undefined, false);
    await rejects(env.idp.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken })),
      "FeatureUnavailableInTierException", "The following features need to be disabled for the LITE pricing tier configured: Passkey");
  });
});
