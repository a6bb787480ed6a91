// The simulator's pools for `signInMethods` and `passkeys` (lib/sim/local-cognito.ts `createPools`, from
// lib/sign-in-methods.ts's settings), seen through the AWS SDK: the plan, the first factors, the client's USER_AUTH and
// the passkey relying party `localhost`; then the inflight helpers (lib/inflight/passwordless.ts, sent-codes.ts)
// against that pool: a sign-up without a password signed in by its confirmation, a passkey registration offered for
// `localhost`, and an EMAIL_OTP sign-in with the code read from the service.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  DescribeUserPoolClientCommand, DescribeUserPoolCommand, GetUserPoolMfaConfigCommand, StartWebAuthnRegistrationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createPools, type SimPoolConfig } from "../lib/sim/local-cognito";
import { signInSettings } from "../lib/sign-in-methods";
import { _answerSignIn, _confirmSignUpAndSignIn, _signUpWithoutPassword, _startSignIn } from "../lib/inflight/passwordless";
import { _lastCode, _sentCodes } from "../lib/inflight/sent-codes";
import type { CognitoConnection } from "../lib/inflight/id-token";
import { startTestService, type TestService } from "./support/local-service";

const config = (name: string, props: Parameters<typeof signInSettings>[1]): SimPoolConfig => ({
  name, region: "us-east-1", usernameAttributes: ["email"], autoVerifiedAttributes: ["email"], allowUnauthenticatedIdentities: false,
  signIn: signInSettings("sim", props),
});

describe("simulator pools with signInMethods", () => {
  let t: TestService;
  let conn: CognitoConnection;
  before(async () => {
    t = await startTestService({ region: "us-east-1" });
    const ids = await createPools(t.service, config("passwordless", { signInMethods: ["EMAIL_OTP", "WEB_AUTHN"] }));
    conn = { endpoint: t.url, region: "us-east-1", userPoolId: ids.userPoolId, clientId: ids.clientId, identityPoolId: ids.identityPoolId, headerKey: "Authorization" };
  });
  after(async () => t?.stop());

  test("the pool is on ESSENTIALS with PASSWORD, EMAIL_OTP and WEB_AUTHN; passkeys for localhost; the client allows USER_AUTH", async () => {
    const pool = (await t.idp.send(new DescribeUserPoolCommand({ UserPoolId: conn.userPoolId }))).UserPool!;
    assert.equal(pool.UserPoolTier, "ESSENTIALS");
    assert.deepEqual(pool.Policies?.SignInPolicy?.AllowedFirstAuthFactors, ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"]);
    assert.equal(pool.Policies?.PasswordPolicy?.MinimumLength, 8, "the default password policy stays");
    const mfa = await t.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: conn.userPoolId }));
    assert.deepEqual(mfa.WebAuthnConfiguration, { RelyingPartyId: "localhost", UserVerification: "preferred" });
    const client = (await t.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: conn.userPoolId, ClientId: conn.clientId }))).UserPoolClient!;
    assert.ok(client.ExplicitAuthFlows?.includes("ALLOW_USER_AUTH"), String(client.ExplicitAuthFlows));
  });

  test("a pool without signInMethods keeps password sign-in only, without USER_AUTH", async () => {
    const ids = await createPools(t.service, config("classic", undefined));
    const pool = (await t.idp.send(new DescribeUserPoolCommand({ UserPoolId: ids.userPoolId }))).UserPool!;
    assert.deepEqual(pool.Policies?.SignInPolicy?.AllowedFirstAuthFactors, ["PASSWORD"]);
    const client = (await t.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: ids.userPoolId, ClientId: ids.clientId }))).UserPoolClient!;
    assert.equal(client.ExplicitAuthFlows?.includes("ALLOW_USER_AUTH"), false);
    assert.equal((await t.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: ids.userPoolId }))).WebAuthnConfiguration, undefined);
  });

  test("sign-up without a password, confirmed with the sent code, is signed in; its passkey registration is for localhost", async () => {
    const email = "new@example.com";
    const session = await _signUpWithoutPassword(conn, email);
    const sent = await _sentCodes(conn, email);
    assert.deepEqual(sent.map((c) => [c.purpose, c.deliveryMedium, c.destination]), [["SIGN_UP", "EMAIL", email]]);
    const tokens = await _confirmSignUpAndSignIn(conn, email, await _lastCode(conn, email, "SIGN_UP"), session);
    assert.match(tokens.idToken, /^ey/);
    const options = (await t.idp.send(new StartWebAuthnRegistrationCommand({ AccessToken: tokens.accessToken }))).CredentialCreationOptions as { rp: { id: string } };
    assert.equal(options.rp.id, "localhost");
    // The confirmation's session signs in once.
    await assert.rejects(_confirmSignUpAndSignIn(conn, email, sent[0]!.code, session), /^Error: NotAuthorizedException: /);
  });

  test("an EMAIL_OTP sign-in with the code the service sent; a wrong code is refused", async () => {
    const email = "new@example.com";
    const challenge = await _startSignIn(conn, email, undefined);
    assert.equal(challenge.challengeName, "EMAIL_OTP");
    assert.equal(challenge.deliveryMedium, "EMAIL");
    assert.match(challenge.destination, /^n\*\*\*@e\*\*\*/);
    const code = await _lastCode(conn, email, "SIGN_IN");
    await assert.rejects(_answerSignIn(conn, email, challenge, code === "000000" ? "111111" : "000000"), /^Error: CodeMismatchException: /);
    const tokens = await _answerSignIn(conn, email, challenge, code);
    assert.match(tokens.accessToken, /^ey/);
    assert.equal(tokens.expiresIn, 3600);
    assert.deepEqual((await _sentCodes(conn, email)).map((c) => c.purpose), ["SIGN_IN", "SIGN_UP"]);
  });

  test("the helpers refuse what they cannot do, with the reason", async () => {
    await assert.rejects(_startSignIn(conn, "new@example.com", "WEB_AUTHN"), /method must be EMAIL_OTP or SMS_OTP/);
    await assert.rejects(_lastCode(conn, "new@example.com", "LOGIN"), /unknown purpose "LOGIN"/);
    await assert.rejects(_lastCode(conn, "nobody@example.com", "SIGN_IN"), /no SIGN_IN code was sent to nobody@example.com/);
    // SMS_OTP is not among this pool's factors: Cognito answers SELECT_CHALLENGE with what this user can do (no
    // password: the user signed up without one).
    await assert.rejects(_startSignIn(conn, "new@example.com", "SMS_OTP"), /^Error: ChallengeRequiredException: the sign-in of new@example.com answered SELECT_CHALLENGE instead of SMS_OTP \(this user may use EMAIL_OTP, WEB_AUTHN\)|\(this user may use EMAIL_OTP\)/);
  });
});
