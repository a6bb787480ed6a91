// Integration tests of choice-based sign-in (AuthFlow USER_AUTH) against the local service through the AWS SDK v3: the
// pool's SignInPolicy (AllowedFirstAuthFactors, its checks and the LITE plan), ALLOW_USER_AUTH, SELECT_CHALLENGE with
// AvailableChallenges for this pool, client and user, PREFERRED_CHALLENGE, the PASSWORD, PASSWORD_SRP, EMAIL_OTP and
// SMS_OTP first factors on InitiateAuth and AdminInitiateAuth, MFA keeping users off passwordless factors, existence
// hiding, lockout, SECRET_HASH, devices, GetUserAuthFactors, and the refusals that change nothing.
import { after, before, describe, it } from "node:test";
import * as assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import * as fs from "node:fs";
import {
  AdminCreateUserCommand, AdminDisableUserCommand, AdminGetUserAuthFactorsCommand, AdminInitiateAuthCommand, AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand, AdminSetUserPasswordCommand, CreateUserPoolClientCommand, CreateUserPoolCommand,
  DescribeUserPoolCommand, GetUserAuthFactorsCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, SetUserPoolMfaConfigCommand,
  UpdateUserPoolCommand, type CognitoIdentityProviderClient, type InitiateAuthCommandOutput,
} from "@aws-sdk/client-cognito-identity-provider";
import { FastSrpClient } from "../bench/srp-client";
import { rejectsWithAwsError as rejects } from "../support/aws-errors";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";

const PASSWORD = "Choice-Passw0rd!";
const PASSWORDLESS_POOL = {
  AutoVerifiedAttributes: ["email" as const],
  Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD" as const, "EMAIL_OTP" as const, "SMS_OTP" as const] } },
};
const USER_AUTH_CLIENT = { ExplicitAuthFlows: ["ALLOW_USER_AUTH" as const, "ALLOW_REFRESH_TOKEN_AUTH" as const], PreventUserExistenceErrors: "ENABLED" as const };
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString("utf8")) as Record<string, unknown>;

/** A confirmed user with a password and the given (verified) attributes, made by an admin. */
async function adminUser(idp: CognitoIdentityProviderClient, userPoolId: string, username: string, attributes: Record<string, string>, password: string | undefined = PASSWORD) {
  await idp.send(new AdminCreateUserCommand({
    UserPoolId: userPoolId, Username: username, MessageAction: "SUPPRESS",
    UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
  }));
  if (password) await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: username, Password: password, Permanent: true }));
}

describe("USER_AUTH", () => {
  let t: TestService;
  let userPoolId: string;
  let clientId: string;
  let revealingClientId: string;

  const userAuth = (username: string, extra: Record<string, string> = {}, client = clientId) =>
    t.idp.send(new InitiateAuthCommand({ ClientId: client, AuthFlow: "USER_AUTH", AuthParameters: { USERNAME: username, ...extra } }));
  const respond = (session: string | undefined, challenge: string, responses: Record<string, string>, client = clientId) =>
    t.idp.send(new RespondToAuthChallengeCommand({ ClientId: client, ChallengeName: challenge as "EMAIL_OTP", Session: session, ChallengeResponses: responses }));
  const emailCode = (username: string) => t.latestCode(userPoolId, username, "SIGN_IN");

  before(async () => {
    t = await startTestService();
    ({ userPoolId, clientId } = await createPoolAndClient(t.idp, PASSWORDLESS_POOL, USER_AUTH_CLIENT));
    const revealing = await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "revealing", ExplicitAuthFlows: ["ALLOW_USER_AUTH"], PreventUserExistenceErrors: "LEGACY" }));
    revealingClientId = revealing.UserPoolClient!.ClientId!;
    await adminUser(t.idp, userPoolId, "pat", { email: "pat@example.com", email_verified: "true" });
    await adminUser(t.idp, userPoolId, "sam", { email: "sam@example.com", email_verified: "true", phone_number: "+15550100777", phone_number_verified: "true" });
    await adminUser(t.idp, userPoolId, "una", { email: "una@example.com" });
  });
  after(() => t.stop());

  describe("pool and client settings", () => {
    it("DescribeUserPool returns the SignInPolicy; a pool created without one allows PASSWORD only", async () => {
      const described = await t.idp.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
      assert.deepEqual(described.UserPool!.Policies!.SignInPolicy, { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP", "SMS_OTP"] });
      const plain = await t.idp.send(new CreateUserPoolCommand({ PoolName: "plain" }));
      const described2 = await t.idp.send(new DescribeUserPoolCommand({ UserPoolId: plain.UserPool!.Id! }));
      assert.deepEqual(described2.UserPool!.Policies!.SignInPolicy, { AllowedFirstAuthFactors: ["PASSWORD"] });
      assert.deepEqual(plain.UserPool!.Policies!.SignInPolicy, { AllowedFirstAuthFactors: ["PASSWORD"] });
    });

    it("refuses first factors without PASSWORD, unknown ones and SOFTWARE_TOKEN, and passwordless factors on LITE", async () => {
      await rejects(t.idp.send(new CreateUserPoolCommand({ PoolName: "p", Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["EMAIL_OTP"] } } })), "InvalidParameterException", "PASSWORD must be one of the AllowedFirstAuthFactors.");
      await rejects(t.idp.send(new CreateUserPoolCommand({ PoolName: "p", Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "CARRIER_PIGEON" as "PASSWORD"] } } })), "InvalidParameterException", /at 'policies.signInPolicy.allowedFirstAuthFactors' failed to satisfy constraint: .*Member must satisfy enum value set/);
      await rejects(t.idp.send(new CreateUserPoolCommand({ PoolName: "p", Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "SOFTWARE_TOKEN"] } } })), "InvalidParameterException", "SOFTWARE_TOKEN is not supported as a first auth factor.");
      await rejects(t.idp.send(new CreateUserPoolCommand({ PoolName: "p", UserPoolTier: "LITE", Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"] } } })),
        "FeatureUnavailableInTierException", "The following features need to be disabled for the LITE pricing tier configured: Passwordless, Passkey");
    });

    it("UpdateUserPool sets the first factors; moving to LITE with passwordless factors is refused and changes nothing", async () => {
      const { userPoolId: id } = await createPoolAndClient(t.idp);
      await t.idp.send(new UpdateUserPoolCommand({ UserPoolId: id, Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] } } }));
      await rejects(t.idp.send(new UpdateUserPoolCommand({ UserPoolId: id, UserPoolTier: "LITE" })), "FeatureUnavailableInTierException", /LITE pricing tier configured: Passwordless/);
      const described = await t.idp.send(new DescribeUserPoolCommand({ UserPoolId: id }));
      assert.deepEqual(described.UserPool!.Policies!.SignInPolicy!.AllowedFirstAuthFactors, ["PASSWORD", "EMAIL_OTP"]);
      assert.notEqual(described.UserPool!.UserPoolTier, "LITE");
    });

    it("the first factors survive a restart", async () => {
      const durable = await startTestService();
      try {
        const { userPoolId: id } = await createPoolAndClient(durable.idp, PASSWORDLESS_POOL, USER_AUTH_CLIENT);
        await durable.service.close();
        const reopened = await startTestService({ dataDir: durable.dataDir });
        try {
          const described = await reopened.idp.send(new DescribeUserPoolCommand({ UserPoolId: id }));
          assert.deepEqual(described.UserPool!.Policies!.SignInPolicy!.AllowedFirstAuthFactors, ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]);
        } finally {
          await reopened.stop();
        }
      } finally {
        durable.idp.destroy();
        durable.identity.destroy();
        fs.rmSync(durable.dataDir, { recursive: true, force: true });
      }
    });

    it("a client without ALLOW_USER_AUTH refuses the flow", async () => {
      const other = await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "no-user-auth", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] }));
      await rejects(userAuth("pat", {}, other.UserPoolClient!.ClientId!), "InvalidParameterException", "USER_AUTH flow not enabled for this client");
    });
  });

  describe("SELECT_CHALLENGE", () => {
    it("lists what this user can use: a password, and a code to each verified address the pool allows", async () => {
      const pat = await userAuth("pat");
      assert.equal(pat.ChallengeName, "SELECT_CHALLENGE");
      assert.deepEqual(pat.AvailableChallenges, ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]);
      assert.ok(pat.Session);
      assert.deepEqual((await userAuth("sam")).AvailableChallenges, ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]);
      // An unverified email gets no code.
      assert.deepEqual((await userAuth("una")).AvailableChallenges, ["PASSWORD", "PASSWORD_SRP"]);
    });

    it("EMAIL_OTP: the code delivered for this session signs the user in", async () => {
      const select = await userAuth("pat");
      const challenge = await respond(select.Session, "SELECT_CHALLENGE", { USERNAME: "pat", ANSWER: "EMAIL_OTP" });
      assert.equal(challenge.ChallengeName, "EMAIL_OTP");
      assert.deepEqual(challenge.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: "EMAIL", CODE_DELIVERY_DESTINATION: "p***@e***" });
      const signedIn = await respond(challenge.Session, "EMAIL_OTP", { USERNAME: "pat", EMAIL_OTP_CODE: await emailCode("pat") });
      const id = claimsOf(signedIn.AuthenticationResult!.IdToken!);
      assert.equal(id["cognito:username"], "pat");
      assert.equal(id.token_use, "id");
      assert.ok(signedIn.AuthenticationResult!.RefreshToken);
      // The session answered once.
      await rejects(respond(challenge.Session, "EMAIL_OTP", { USERNAME: "pat", EMAIL_OTP_CODE: "000000" }), "NotAuthorizedException", "Invalid session for the user, session is expired.");
    });

    it("SMS_OTP goes to the verified phone number", async () => {
      const select = await userAuth("sam");
      const challenge = await respond(select.Session, "SELECT_CHALLENGE", { USERNAME: "sam", ANSWER: "SMS_OTP" });
      assert.equal(challenge.ChallengeName, "SMS_OTP");
      assert.deepEqual(challenge.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: "SMS", CODE_DELIVERY_DESTINATION: "+*******0777" });
      const signedIn = await respond(challenge.Session, "SMS_OTP", { USERNAME: "sam", SMS_OTP_CODE: await t.latestCode(userPoolId, "sam", "SIGN_IN") });
      assert.ok(signedIn.AuthenticationResult?.AccessToken);
    });

    it("PASSWORD and PASSWORD_SRP answers", async () => {
      const select = await userAuth("pat");
      const byPassword = await respond(select.Session, "SELECT_CHALLENGE", { USERNAME: "pat", ANSWER: "PASSWORD", PASSWORD });
      assert.ok(byPassword.AuthenticationResult?.IdToken);

      const srp = new FastSrpClient(userPoolId);
      const select2 = await userAuth("pat");
      const verifier = await respond(select2.Session, "SELECT_CHALLENGE", { USERNAME: "pat", ANSWER: "PASSWORD_SRP", SRP_A: srp.srpA });
      assert.equal(verifier.ChallengeName, "PASSWORD_VERIFIER");
      const signedIn = await respond(verifier.Session, "PASSWORD_VERIFIER", srp.answer(verifier.ChallengeParameters!, PASSWORD));
      assert.ok(signedIn.AuthenticationResult?.AccessToken);

      const select3 = await userAuth("pat");
      await rejects(respond(select3.Session, "SELECT_CHALLENGE", { USERNAME: "pat", ANSWER: "PASSWORD", PASSWORD: "Wr0ng-Password!" }), "NotAuthorizedException", "Incorrect username or password.");
    });

    it("an answer that is not available, a missing PASSWORD or another user's name changes nothing: the session still answers", async () => {
      const select = await userAuth("pat");
      await rejects(respond(select.Session, "SELECT_CHALLENGE", { USERNAME: "pat", ANSWER: "SMS_OTP" }), "InvalidParameterException",
        "The challenge SMS_OTP is not available for this user. Available challenges: PASSWORD, PASSWORD_SRP, EMAIL_OTP.");
      await rejects(respond(select.Session, "SELECT_CHALLENGE", { USERNAME: "pat", ANSWER: "WEB_AUTHN" }), "InvalidParameterException", /WEB_AUTHN is not available/);
      await rejects(respond(select.Session, "SELECT_CHALLENGE", { USERNAME: "pat", ANSWER: "PASSWORD" }), "InvalidParameterException", "Missing required parameter PASSWORD");
      await rejects(respond(select.Session, "SELECT_CHALLENGE", { USERNAME: "sam", ANSWER: "PASSWORD", PASSWORD }), "NotAuthorizedException", "Invalid session for the user, session is expired.");
      const signedIn = await respond(select.Session, "SELECT_CHALLENGE", { USERNAME: "pat", ANSWER: "PASSWORD", PASSWORD });
      assert.ok(signedIn.AuthenticationResult);
    });
  });

  describe("PREFERRED_CHALLENGE", () => {
    it("goes straight to an available factor", async () => {
      const otp = await userAuth("pat", { PREFERRED_CHALLENGE: "EMAIL_OTP" });
      assert.equal(otp.ChallengeName, "EMAIL_OTP");
      const signedIn = await respond(otp.Session, "EMAIL_OTP", { USERNAME: "pat", EMAIL_OTP_CODE: await emailCode("pat") });
      assert.ok(signedIn.AuthenticationResult);
      const byPassword = await userAuth("pat", { PREFERRED_CHALLENGE: "PASSWORD", PASSWORD });
      assert.ok(byPassword.AuthenticationResult?.AccessToken);
      const srp = new FastSrpClient(userPoolId);
      const verifier = await userAuth("pat", { PREFERRED_CHALLENGE: "PASSWORD_SRP", SRP_A: srp.srpA });
      assert.equal(verifier.ChallengeName, "PASSWORD_VERIFIER");
    });

    it("falls back to SELECT_CHALLENGE when the preference is not available to the user", async () => {
      const res = await userAuth("una", { PREFERRED_CHALLENGE: "EMAIL_OTP" });
      assert.equal(res.ChallengeName, "SELECT_CHALLENGE");
      assert.deepEqual(res.AvailableChallenges, ["PASSWORD", "PASSWORD_SRP"]);
      assert.equal((await userAuth("pat", { PREFERRED_CHALLENGE: "WEB_AUTHN" })).ChallengeName, "SELECT_CHALLENGE");
    });

    it("refuses a value that is no challenge, and PASSWORD without the password", async () => {
      await rejects(userAuth("pat", { PREFERRED_CHALLENGE: "SOFTWARE_TOKEN_MFA" }), "InvalidParameterException", /Value 'SOFTWARE_TOKEN_MFA' at 'PREFERRED_CHALLENGE' failed to satisfy constraint/);
      await rejects(userAuth("pat", { PREFERRED_CHALLENGE: "PASSWORD" }), "InvalidParameterException", "Missing required parameter PASSWORD");
    });
  });

  describe("codes", () => {
    it("a wrong code, or the code of another session, is a CodeMismatchException and the session keeps its own code", async () => {
      const first = await userAuth("pat", { PREFERRED_CHALLENGE: "EMAIL_OTP" });
      const firstCode = await emailCode("pat");
      const second = await userAuth("pat", { PREFERRED_CHALLENGE: "EMAIL_OTP" });
      const secondCode = await emailCode("pat");
      assert.notEqual(firstCode, secondCode);
      await rejects(respond(first.Session, "EMAIL_OTP", { USERNAME: "pat", EMAIL_OTP_CODE: secondCode }), "CodeMismatchException", "Invalid code received for user");
      // Each session still takes its own code.
      assert.ok((await respond(second.Session, "EMAIL_OTP", { USERNAME: "pat", EMAIL_OTP_CODE: secondCode })).AuthenticationResult);
      await rejects(respond(first.Session, "EMAIL_OTP", { USERNAME: "pat", EMAIL_OTP_CODE: "000001" }), "CodeMismatchException", "Invalid code received for user");
      assert.ok((await respond(first.Session, "EMAIL_OTP", { USERNAME: "pat", EMAIL_OTP_CODE: firstCode })).AuthenticationResult);
      await rejects(respond(first.Session, "EMAIL_OTP", { USERNAME: "pat", EMAIL_OTP_CODE: firstCode }), "NotAuthorizedException", "Invalid session for the user, session is expired.");
    });

    it("a third wrong code ends the session; the right code then no longer works", async () => {
      const otp = await userAuth("pat", { PREFERRED_CHALLENGE: "EMAIL_OTP" });
      const code = await emailCode("pat");
      await rejects(respond(otp.Session, "EMAIL_OTP", { USERNAME: "pat", EMAIL_OTP_CODE: "999990" }), "CodeMismatchException");
      await rejects(respond(otp.Session, "EMAIL_OTP", { USERNAME: "pat", EMAIL_OTP_CODE: "999991" }), "CodeMismatchException");
      await rejects(respond(otp.Session, "EMAIL_OTP", { USERNAME: "pat", EMAIL_OTP_CODE: "999992" }), "NotAuthorizedException", "Invalid session for the user, session is expired.");
      await rejects(respond(otp.Session, "EMAIL_OTP", { USERNAME: "pat", EMAIL_OTP_CODE: code }), "NotAuthorizedException", "Invalid session for the user, session is expired.");
      await rejects(respond(otp.Session, "EMAIL_OTP", { USERNAME: "pat" }), "NotAuthorizedException");
    });

    it("a missing code is an InvalidParameterException", async () => {
      const otp = await userAuth("pat", { PREFERRED_CHALLENGE: "EMAIL_OTP" });
      await rejects(respond(otp.Session, "EMAIL_OTP", { USERNAME: "pat" }), "InvalidParameterException", "Missing required parameter EMAIL_OTP_CODE");
    });
  });

  describe("existence hiding", () => {
    it("an unknown name gets a plausible choice and an EMAIL_OTP challenge no code answers", async () => {
      const select = await userAuth("nobody@example.com");
      assert.equal(select.ChallengeName, "SELECT_CHALLENGE");
      assert.deepEqual(select.AvailableChallenges, ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]);
      const otp = await respond(select.Session, "SELECT_CHALLENGE", { USERNAME: "nobody@example.com", ANSWER: "EMAIL_OTP" });
      assert.equal(otp.ChallengeName, "EMAIL_OTP");
      assert.deepEqual(otp.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: "EMAIL", CODE_DELIVERY_DESTINATION: "n***@e***" });
      await rejects(respond(otp.Session, "EMAIL_OTP", { USERNAME: "nobody@example.com", EMAIL_OTP_CODE: "123456" }), "CodeMismatchException", "Invalid code received for user");
      await rejects(userAuth("nobody@example.com", { PREFERRED_CHALLENGE: "PASSWORD", PASSWORD }), "NotAuthorizedException", "Incorrect username or password.");
    });

    it("without it, an unknown name is a UserNotFoundException", async () => {
      await rejects(userAuth("nobody", {}, revealingClientId), "UserNotFoundException", "User does not exist.");
    });
  });

  describe("MFA", () => {
    it("a user with MFA active gets no passwordless factor in a pool with optional MFA; a pool that requires MFA offers none", async () => {
      const { userPoolId: id, clientId: client } = await createPoolAndClient(t.idp, { ...PASSWORDLESS_POOL, MfaConfiguration: "OFF" }, USER_AUTH_CLIENT);
      await t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: id, MfaConfiguration: "OPTIONAL", SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: "arn:aws:iam::123456789012:role/sns", ExternalId: "x" } } }));
      await adminUser(t.idp, id, "mfa-user", { email: "m@example.com", email_verified: "true", phone_number: "+15550100999", phone_number_verified: "true" });
      await adminUser(t.idp, id, "plain-user", { email: "p@example.com", email_verified: "true" });
      await t.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: id, Username: "mfa-user", SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
      const mfaUser = await userAuth("mfa-user", {}, client);
      assert.deepEqual(mfaUser.AvailableChallenges, ["PASSWORD", "PASSWORD_SRP"]);
      assert.deepEqual((await userAuth("plain-user", {}, client)).AvailableChallenges, ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]);
      // The password leads to the user's MFA.
      const withPassword = await respond(mfaUser.Session, "SELECT_CHALLENGE", { USERNAME: "mfa-user", ANSWER: "PASSWORD", PASSWORD }, client);
      assert.equal(withPassword.ChallengeName, "SMS_MFA");

      await t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: id, MfaConfiguration: "ON", SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: "arn:aws:iam::123456789012:role/sns", ExternalId: "x" } } }));
      assert.deepEqual((await userAuth("plain-user", {}, client)).AvailableChallenges, ["PASSWORD", "PASSWORD_SRP"]);
    });
  });

  describe("user states", () => {
    it("a disabled user is sent no code; its password still gets the answer any wrong password gets", async () => {
      await adminUser(t.idp, userPoolId, "dora", { email: "dora@example.com", email_verified: "true" });
      await t.idp.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: "dora" }));
      const deliveredBefore = t.logs.filter((l) => l.includes("user=dora") && l.includes("purpose=SIGN_IN")).length;
      await rejects(userAuth("dora", { PREFERRED_CHALLENGE: "EMAIL_OTP" }), "NotAuthorizedException", "User is disabled.");
      assert.equal(t.logs.filter((l) => l.includes("user=dora") && l.includes("purpose=SIGN_IN")).length, deliveredBefore);
      await rejects(userAuth("dora", { PREFERRED_CHALLENGE: "PASSWORD", PASSWORD: "Wr0ng-Password!" }), "NotAuthorizedException", "Incorrect username or password.");
    });
  });

  describe("lockout, SECRET_HASH, admin calls and devices", () => {
    it("wrong codes count toward the lockout that wrong passwords do", async () => {
      await adminUser(t.idp, userPoolId, "lock", { email: "lock@example.com", email_verified: "true" });
      for (let i = 0; i < 5; i++) {
        const otp = await userAuth("lock", { PREFERRED_CHALLENGE: "EMAIL_OTP" });
        await rejects(respond(otp.Session, "EMAIL_OTP", { USERNAME: "lock", EMAIL_OTP_CODE: "000000" }), "CodeMismatchException");
      }
      await rejects(userAuth("lock", { PREFERRED_CHALLENGE: "EMAIL_OTP" }), "NotAuthorizedException", "Password attempts exceeded");
    });

    it("a client with a secret needs SECRET_HASH on the call and the answer", async () => {
      const secretClient = await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: "secret", GenerateSecret: true, ExplicitAuthFlows: ["ALLOW_USER_AUTH"] }));
      const { ClientId, ClientSecret } = secretClient.UserPoolClient!;
      const hash = createHmac("sha256", ClientSecret!).update(`pat${ClientId}`).digest("base64");
      await rejects(userAuth("pat", {}, ClientId!), "NotAuthorizedException", `Client ${ClientId} is configured with secret but SECRET_HASH was not received`);
      const otp = await userAuth("pat", { PREFERRED_CHALLENGE: "EMAIL_OTP", SECRET_HASH: hash }, ClientId!);
      await rejects(respond(otp.Session, "EMAIL_OTP", { USERNAME: "pat", EMAIL_OTP_CODE: await emailCode("pat") }, ClientId!), "NotAuthorizedException", /SECRET_HASH was not received/);
      const signedIn = await respond(otp.Session, "EMAIL_OTP", { USERNAME: "pat", EMAIL_OTP_CODE: await emailCode("pat"), SECRET_HASH: hash }, ClientId!);
      assert.ok(signedIn.AuthenticationResult);
    });

    it("AdminInitiateAuth and AdminRespondToAuthChallenge run the same flow", async () => {
      const select = await t.idp.send(new AdminInitiateAuthCommand({ UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "USER_AUTH", AuthParameters: { USERNAME: "pat" } }));
      assert.equal(select.ChallengeName, "SELECT_CHALLENGE");
      const otp = await t.idp.send(new AdminRespondToAuthChallengeCommand({ UserPoolId: userPoolId, ClientId: clientId, ChallengeName: "SELECT_CHALLENGE", Session: select.Session, ChallengeResponses: { USERNAME: "pat", ANSWER: "EMAIL_OTP" } }));
      const signedIn = await t.idp.send(new AdminRespondToAuthChallengeCommand({ UserPoolId: userPoolId, ClientId: clientId, ChallengeName: "EMAIL_OTP", Session: otp.Session, ChallengeResponses: { USERNAME: "pat", EMAIL_OTP_CODE: await emailCode("pat") } }));
      assert.ok(signedIn.AuthenticationResult?.IdToken);
    });

    it("a pool that tracks devices hands out NewDeviceMetadata after a code sign-in", async () => {
      const { userPoolId: id, clientId: client } = await createPoolAndClient(t.idp, { ...PASSWORDLESS_POOL, DeviceConfiguration: { ChallengeRequiredOnNewDevice: false } }, USER_AUTH_CLIENT);
      await adminUser(t.idp, id, "dev", { email: "dev@example.com", email_verified: "true" });
      const otp = await userAuth("dev", { PREFERRED_CHALLENGE: "EMAIL_OTP" }, client);
      const signedIn: InitiateAuthCommandOutput = await respond(otp.Session, "EMAIL_OTP", { USERNAME: "dev", EMAIL_OTP_CODE: await t.latestCode(id, "dev", "SIGN_IN") }, client);
      assert.match(signedIn.AuthenticationResult!.NewDeviceMetadata!.DeviceKey!, /^us-east-1_/);
      // A DEVICE_KEY the pool does not know is refused before a code goes out.
      await rejects(userAuth("dev", { PREFERRED_CHALLENGE: "EMAIL_OTP", DEVICE_KEY: "us-east-1_00000000-0000-0000-0000-000000000000" }, client), "ResourceNotFoundException", "Device does not exist.");
    });
  });

  describe("GetUserAuthFactors", () => {
    it("lists the password and the code factors the user has, with the user's MFA settings", async () => {
      const signedIn = await userAuth("sam", { PREFERRED_CHALLENGE: "PASSWORD", PASSWORD });
      const own = await t.idp.send(new GetUserAuthFactorsCommand({ AccessToken: signedIn.AuthenticationResult!.AccessToken! }));
      assert.equal(own.Username, "sam");
      assert.deepEqual(own.ConfiguredUserAuthFactors, ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]);
      const una = await t.idp.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: userPoolId, Username: "una" }));
      assert.deepEqual(una.ConfiguredUserAuthFactors, ["PASSWORD"]);
      await rejects(t.idp.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: userPoolId, Username: "ghost" })), "UserNotFoundException", "User does not exist.");
      await rejects(t.idp.send(new GetUserAuthFactorsCommand({ AccessToken: "not-a-token" })), "NotAuthorizedException");
    });
  });
});
