// Acceptance: multi-factor sign-in with an unmodified amazon-cognito-identity-js against the local service, after both
// a USER_PASSWORD_AUTH and a default SRP first factor: MFA_SETUP (associateSoftwareToken/verifySoftwareToken),
// SOFTWARE_TOKEN_MFA (totpRequired), SMS_MFA (mfaRequired, code from the local code route), SELECT_MFA_TYPE, and the
// settings calls enableMFA/disableMFA (SetUserSettings) and setUserMfaPreference; plus the MFA_AUTH step of the
// cognito-user-pool wrapper (seed 002).
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { AdminGetUserCommand, GetUserPoolMfaConfigCommand, SetUserPoolMfaConfigCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";
import * as js from "../support/identity-js";

const PASSWORD = "Mfa-passw0rd!";
const SMS_CONFIGURATION = {
  SmsAuthenticationMessage: "Your code is {####}",
  SmsConfiguration: { SnsCallerArn: "arn:aws:iam::123456789012:role/cognito-sms", ExternalId: "local-test" },
};

interface PoolUnderTest {
  userPoolId: string;
  pool: CognitoUserPool;
}

describe("amazon-cognito-identity-js MFA", () => {
  let t: TestService;
  /** MFA OPTIONAL, with software tokens and SMS. */
  let optional: PoolUnderTest;
  /** MFA ON, software tokens only: users without a factor must set one up while signing in. */
  let onTotp: PoolUnderTest;
  /** MFA ON, SMS and software tokens: users with a phone number get an SMS code. */
  let onSms: PoolUnderTest;
  let n = 0;

  async function mfaPool(name: string, config: Omit<ConstructorParameters<typeof SetUserPoolMfaConfigCommand>[0], "UserPoolId">): Promise<PoolUnderTest> {
    const created = await createPoolAndClient(t.idp, { PoolName: name, AutoVerifiedAttributes: ["email"] });
    const answer = await t.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: created.userPoolId, ...config }));
    assert.equal(answer.MfaConfiguration, config.MfaConfiguration);
    return { userPoolId: created.userPoolId, pool: js.userPool(t.url, created.userPoolId, created.clientId) };
  }

  before(async () => {
    t = await startTestService();
    optional = await mfaPool("mfa-optional", {
      MfaConfiguration: "OPTIONAL", SoftwareTokenMfaConfiguration: { Enabled: true }, SmsMfaConfiguration: SMS_CONFIGURATION,
    });
    onTotp = await mfaPool("mfa-on-totp", { MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true } });
    onSms = await mfaPool("mfa-on-sms", {
      MfaConfiguration: "ON", SoftwareTokenMfaConfiguration: { Enabled: true }, SmsMfaConfiguration: SMS_CONFIGURATION,
    });
  });
  after(async () => {
    await t.stop();
  });

  test("SetUserPoolMfaConfig is read back by GetUserPoolMfaConfig", async () => {
    const config = await t.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: optional.userPoolId }));
    assert.equal(config.MfaConfiguration, "OPTIONAL");
    assert.equal(config.SoftwareTokenMfaConfiguration?.Enabled, true);
    assert.equal(config.SmsMfaConfiguration?.SmsConfiguration?.SnsCallerArn, SMS_CONFIGURATION.SmsConfiguration.SnsCallerArn);
    const on = await t.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: onTotp.userPoolId }));
    assert.equal(on.MfaConfiguration, "ON");
    assert.equal(on.SmsMfaConfiguration, undefined);
  });

  /** A confirmed user of `target` (with a phone number when asked). */
  async function confirmedUser(target: PoolUnderTest, flow: js.FlowType, phone = false) {
    const username = `mfa-user-${++n}`;
    const attrs: Record<string, string> = { email: `${username}@example.com` };
    if (phone) attrs.phone_number = `+1555010${String(n).padStart(4, "0")}`;
    await js.signUp(target.pool, username, PASSWORD, attrs);
    const user = js.cognitoUser(target.pool, username, flow);
    await js.confirmRegistration(user, await t.latestCode(target.userPoolId, username, "SIGN_UP"));
    return { username, user, fresh: () => js.cognitoUser(target.pool, username, flow) };
  }

  /** Signs in with a software token set up: AssociateSoftwareToken/VerifySoftwareToken with the access token, then preferred. */
  async function withSoftwareToken(user: CognitoUser): Promise<js.Authenticator> {
    await js.signIn(user, PASSWORD);
    const secret = await js.associateSoftwareToken(user);
    assert.match(secret, /^[A-Z2-7]{16,}=*$/);
    const app = new js.Authenticator(secret);
    await js.expectError(js.verifySoftwareToken(user, app.wrongCode()), "EnableSoftwareTokenMFAException");
    const verified = await js.verifySoftwareToken(user, await app.code());
    assert.equal((verified as { Status?: string }).Status, "SUCCESS");
    assert.equal(await js.setUserMfaPreference(user, null, { Enabled: true, PreferredMfa: true }), "SUCCESS");
    return app;
  }

  for (const flow of ["USER_PASSWORD_AUTH", "USER_SRP_AUTH"] as const) {
    describe(`after ${flow === "USER_SRP_AUTH" ? "an SRP" : "a password"} sign-in`, () => {
      test("MFA ON: mfaSetup → associateSoftwareToken → verifySoftwareToken signs in; later sign-ins ask totpRequired", async () => {
        const { username, user, fresh } = await confirmedUser(onTotp, flow);
        const first = await js.authenticate(user, PASSWORD);
        assert.equal(first.kind, "mfaSetup");
        if (first.kind !== "mfaSetup") return;
        assert.equal(first.challengeName, "MFA_SETUP");
        assert.deepEqual(JSON.parse(first.parameters.MFAS_CAN_SETUP), ["SOFTWARE_TOKEN_MFA"]);

        const secret = await js.associateSoftwareToken(user);
        const app = new js.Authenticator(secret);
        await js.expectError(js.verifySoftwareToken(user, app.wrongCode()), "EnableSoftwareTokenMFAException");
        const session = await js.verifySoftwareToken(user, await app.code());
        assert.ok("isValid" in session && session.isValid(), "verifySoftwareToken answered MFA_SETUP and signed in");
        assert.equal(user.getSignInUserSession()?.getIdToken().decodePayload()["cognito:username"], username);

        const admin = await t.idp.send(new AdminGetUserCommand({ UserPoolId: onTotp.userPoolId, Username: username }));
        assert.deepEqual(admin.UserMFASettingList, ["SOFTWARE_TOKEN_MFA"]);
        assert.equal(admin.PreferredMfaSetting, "SOFTWARE_TOKEN_MFA");

        const again = fresh();
        const next = await js.authenticate(again, PASSWORD);
        assert.equal(next.kind, "totpRequired");
        await js.expectError(js.sendMFACode(again, app.wrongCode(), "SOFTWARE_TOKEN_MFA"), "CodeMismatchException");
        const done = await js.sendMFACode(again, await app.code(), "SOFTWARE_TOKEN_MFA");
        assert.equal(done.kind, "signedIn");
        if (done.kind === "signedIn") assert.ok(done.session.isValid());
      });

      test("MFA OPTIONAL: a software token set up while signed in, then totpRequired → sendMFACode; disabling turns it off", async () => {
        const { user, fresh } = await confirmedUser(optional, flow);
        await js.signIn(user, PASSWORD);
        const app = new js.Authenticator(await js.associateSoftwareToken(user));
        assert.equal(((await js.verifySoftwareToken(user, await app.code())) as { Status?: string }).Status, "SUCCESS");
        // Verified but not yet turned on: sign-in still needs no second factor.
        assert.equal((await js.authenticate(fresh(), PASSWORD)).kind, "signedIn");
        assert.equal(await js.setUserMfaPreference(user, null, { Enabled: true, PreferredMfa: true }), "SUCCESS");
        const data = await js.getUserData(user);
        assert.deepEqual(data.UserMFASettingList, ["SOFTWARE_TOKEN_MFA"]);
        assert.equal(data.PreferredMfaSetting, "SOFTWARE_TOKEN_MFA");

        const again = fresh();
        const next = await js.authenticate(again, PASSWORD);
        assert.equal(next.kind, "totpRequired");
        if (next.kind === "totpRequired") assert.equal(next.challengeName, "SOFTWARE_TOKEN_MFA");
        const done = await js.sendMFACode(again, await app.code(), "SOFTWARE_TOKEN_MFA");
        assert.equal(done.kind, "signedIn");

        assert.equal(await js.setUserMfaPreference(again, null, { Enabled: false, PreferredMfa: false }), "SUCCESS");
        assert.equal((await js.authenticate(fresh(), PASSWORD)).kind, "signedIn");
      });

      test("SMS: enableMFA → mfaRequired with the code from the local route → sendMFACode; disableMFA turns it off", async () => {
        const { username, user, fresh } = await confirmedUser(optional, flow, true);
        await js.signIn(user, PASSWORD);
        assert.equal(await js.enableMFA(user), "SUCCESS");
        assert.deepEqual(await js.getMFAOptions(user), [{ DeliveryMedium: "SMS", AttributeName: "phone_number" }]);

        const again = fresh();
        const next = await js.authenticate(again, PASSWORD);
        assert.equal(next.kind, "mfaRequired");
        if (next.kind !== "mfaRequired") return;
        assert.equal(next.challengeName, "SMS_MFA");
        assert.equal(next.parameters.CODE_DELIVERY_DELIVERY_MEDIUM, "SMS");
        assert.match(next.parameters.CODE_DELIVERY_DESTINATION, /^\+\*+[0-9]{4}$/);
        const code = await t.latestCode(optional.userPoolId, username, "MFA");
        await js.expectError(js.sendMFACode(again, code === "000000" ? "111111" : "000000"), "CodeMismatchException");
        const done = await js.sendMFACode(again, code);
        assert.equal(done.kind, "signedIn");

        assert.equal(await js.disableMFA(again), "SUCCESS");
        assert.equal(await js.getMFAOptions(again), undefined);
        assert.equal((await js.authenticate(fresh(), PASSWORD)).kind, "signedIn");
      });

      test("selectMFAType with SMS and a software token: either answer leads on; setUserMfaPreference skips the choice", async () => {
        const { username, user, fresh } = await confirmedUser(optional, flow, true);
        const app = await withSoftwareToken(user);
        // Both factors enabled, none preferred: the user chooses at each sign-in.
        await js.setUserMfaPreference(user, { Enabled: true, PreferredMfa: false }, { Enabled: true, PreferredMfa: false });
        assert.deepEqual((await js.getUserData(user)).UserMFASettingList?.slice().sort(), ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]);

        const byTotp = fresh();
        const choose = await js.authenticate(byTotp, PASSWORD);
        assert.equal(choose.kind, "selectMFAType");
        if (choose.kind !== "selectMFAType") return;
        assert.deepEqual(JSON.parse(choose.parameters.MFAS_CAN_CHOOSE).sort(), ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]);
        const totpStep = await js.sendMFASelectionAnswer(byTotp, "SOFTWARE_TOKEN_MFA");
        assert.equal(totpStep.kind, "totpRequired");
        assert.equal((await js.sendMFACode(byTotp, await app.code(), "SOFTWARE_TOKEN_MFA")).kind, "signedIn");

        const bySms = fresh();
        assert.equal((await js.authenticate(bySms, PASSWORD)).kind, "selectMFAType");
        const smsStep = await js.sendMFASelectionAnswer(bySms, "SMS_MFA");
        assert.equal(smsStep.kind, "mfaRequired");
        assert.equal((await js.sendMFACode(bySms, await t.latestCode(optional.userPoolId, username, "MFA"))).kind, "signedIn");

        assert.equal(await js.setUserMfaPreference(bySms, { Enabled: true, PreferredMfa: true }, { Enabled: true, PreferredMfa: false }), "SUCCESS");
        assert.equal((await js.getUserData(bySms)).PreferredMfaSetting, "SMS_MFA");
        const preferred = await js.authenticate(fresh(), PASSWORD);
        assert.equal(preferred.kind, "mfaRequired");
      });

      test("MFA ON with SMS: a user with a phone number gets mfaRequired straight away", async () => {
        const { username, user } = await confirmedUser(onSms, flow, true);
        const next = await js.authenticate(user, PASSWORD);
        assert.equal(next.kind, "mfaRequired");
        const done = await js.sendMFACode(user, await t.latestCode(onSms.userPoolId, username, "MFA"), "SMS_MFA");
        assert.equal(done.kind, "signedIn");
      });
    });
  }

  test("a pool without software tokens refuses associateSoftwareToken (SoftwareTokenMFANotFoundException)", async () => {
    const smsOnly = await mfaPool("mfa-sms-only", { MfaConfiguration: "OPTIONAL", SmsMfaConfiguration: SMS_CONFIGURATION });
    const { user } = await confirmedUser(smsOnly, "USER_PASSWORD_AUTH");
    await js.signIn(user, PASSWORD);
    const err = await js.expectError(js.associateSoftwareToken(user), "SoftwareTokenMFANotFoundException");
    assert.equal(err.message, "Software Token MFA has not been enabled by the userPool.");
  });

  test("cognito-user-pool wrapper (seed 002): setMfa/getMfa, login → MFA_AUTH with a loginSession, loginMfa", async () => {
    const { username } = await confirmedUser(optional, "USER_SRP_AUTH", true);
    const wrapper = new js.StatelessUserPoolWrapper(optional.pool);
    const login = await wrapper.login({ username, password: PASSWORD });
    assert.ok(!("nextStep" in login), "no MFA yet");
    const me = { username, refreshToken: (login as js.WrapperTokens).refreshToken };
    assert.equal(await wrapper.getMfa(me), null);
    assert.equal(await wrapper.setMfa({ ...me, enableMfa: true }), "SUCCESS");
    assert.deepEqual(await wrapper.getMfa(me), [{ DeliveryMedium: "SMS", AttributeName: "phone_number" }]);

    const step = await wrapper.login({ username, password: PASSWORD });
    assert.ok("nextStep" in step);
    assert.equal(step.nextStep, "MFA_AUTH");
    const mfaCode = await t.latestCode(optional.userPoolId, username, "MFA");
    // A forged loginSession is refused; the real one (in a later, separate call) signs in.
    await js.expectError(wrapper.loginMfa({ username, loginSession: `${step.loginSession.slice(0, -4)}AAAA`, mfaCode }), "NotAuthorizedException");
    const tokens = await wrapper.loginMfa({ username, loginSession: step.loginSession, mfaCode });
    assert.equal(js.claims(js.sessionFromTokens(tokens.idToken, tokens.accessToken)).id["cognito:username"], username);

    // profileEditPhoneNumber without a number turns SMS MFA off and removes the number.
    await wrapper.profileEditPhoneNumber({ username, refreshToken: tokens.refreshToken, phone_number: null });
    assert.equal(await wrapper.getMfa({ username, refreshToken: tokens.refreshToken }), null);
    assert.ok(!("nextStep" in (await wrapper.login({ username, password: PASSWORD }))));
  });
});
