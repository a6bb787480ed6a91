// Device tracking with an unmodified amazon-cognito-identity-js and the AWS SDK v3: NewDeviceMetadata and the
// library's automatic ConfirmDevice, device SRP sign-in (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER) checked against the
// verifier the device registered, remembered devices skipping MFA, user opt-in (UserConfirmationNecessary,
// setDeviceStatusRemembered), refresh tokens bound to their device, listDevices/getDevice/forgetDevice and the Admin forms.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import {
  AdminConfirmSignUpCommand, AdminForgetDeviceCommand, AdminGetDeviceCommand, AdminListDevicesCommand, AdminSetUserMFAPreferenceCommand,
  AdminUpdateDeviceStatusCommand, CreateUserPoolClientCommand, GetDeviceCommand, InitiateAuthCommand, ListDevicesCommand, SetUserPoolMfaConfigCommand,
  SignUpCommand, UpdateDeviceStatusCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { AuthenticationDetails, CognitoUserPool, type CognitoUser, type CognitoUserSession } from "amazon-cognito-identity-js";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createPoolAndClient, startTestService, type TestService } from "../support/local-service";
import { rejectsWithAwsError } from "../support/aws-errors";
import * as js from "../support/identity-js";

const PASSWORD = "Device-passw0rd!";

/** The ChallengeName of every RespondToAuthChallenge the library sends, recorded from its fetch calls. */
const challengesSent: string[] = [];
const realFetch = globalThis.fetch;

interface DevicePool {
  userPoolId: string;
  clientId: string;
  pool: CognitoUserPool;
}

type Outcome =
  | { kind: "signedIn"; session: CognitoUserSession; userConfirmationNecessary?: boolean }
  | { kind: "mfaRequired"; challengeName: string };

/** authenticateUser, resolving with the session and the library's `userConfirmationNecessary` flag (ConfirmDevice). */
function signIn(user: CognitoUser, password = PASSWORD): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
      onSuccess: (session, userConfirmationNecessary) => resolve({ kind: "signedIn", session, userConfirmationNecessary }),
      onFailure: reject,
      mfaRequired: (challengeName) => resolve({ kind: "mfaRequired", challengeName }),
      totpRequired: (challengeName) => resolve({ kind: "mfaRequired", challengeName }),
    });
  });
}

function sendMfaCode(user: CognitoUser, code: string): Promise<CognitoUserSession> {
  return new Promise((resolve, reject) => user.sendMFACode(code, { onSuccess: (s) => resolve(s), onFailure: reject }));
}

function call<T>(run: (callbacks: { onSuccess: (r: T) => void; onFailure: (e: Error) => void }) => void): Promise<T> {
  return new Promise((resolve, reject) => run({ onSuccess: resolve, onFailure: reject }));
}

async function signedIn(outcome: Promise<Outcome>): Promise<{ session: CognitoUserSession; userConfirmationNecessary?: boolean }> {
  const o = await outcome;
  if (o.kind !== "signedIn") throw new Error(`expected tokens, got ${o.challengeName}`);
  return o;
}

describe("device tracking", () => {
  let t: TestService;
  let always: DevicePool;
  let n = 0;

  before(async () => {
    t = await startTestService();
    globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const target = new Headers(init?.headers).get("x-amz-target") ?? "";
      if (target.endsWith(".RespondToAuthChallenge") && typeof init?.body === "string") challengesSent.push(JSON.parse(init.body).ChallengeName);
      return realFetch(input, init);
    };
    always = await devicePool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false });
  });
  after(async () => {
    globalThis.fetch = realFetch;
    await t.stop();
  });

  async function devicePool(DeviceConfiguration: { ChallengeRequiredOnNewDevice: boolean; DeviceOnlyRememberedOnUserPrompt: boolean }, mfa = false): Promise<DevicePool> {
    const created = await createPoolAndClient(t.idp, { DeviceConfiguration });
    if (mfa) {
      await t.idp.send(new SetUserPoolMfaConfigCommand({
        UserPoolId: created.userPoolId, MfaConfiguration: "OPTIONAL",
        SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: "arn:aws:iam::123456789012:role/sms", ExternalId: "x" } },
      }));
    }
    return { ...created, pool: js.userPool(t.url, created.userPoolId, created.clientId) };
  }

  async function newUser(p: DevicePool, smsMfa = false): Promise<string> {
    const username = `device-user-${++n}`;
    await t.idp.send(new SignUpCommand({
      ClientId: p.clientId, Username: username, Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: `${username}@example.com` }, { Name: "phone_number", Value: `+1555020${String(n).padStart(4, "0")}` }],
    }));
    await t.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: p.userPoolId, Username: username }));
    if (smsMfa) await t.idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: p.userPoolId, Username: username, SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
    return username;
  }

  test("a first sign-in gets NewDeviceMetadata, the library confirms the device; the next sign-in runs device SRP", async () => {
    const username = await newUser(always);
    const user = js.cognitoUser(always.pool, username);
    challengesSent.length = 0;
    const first = await signedIn(signIn(user));
    assert.deepEqual(challengesSent, ["PASSWORD_VERIFIER"]);
    assert.notEqual(first.userConfirmationNecessary, true);
    const deviceKey = js.claims(first.session).access.device_key as string;
    assert.match(deviceKey, /^us-east-1_[0-9a-f-]{36}$/);
    const storage = js.storageOf(always.pool);
    const prefix = `CognitoIdentityServiceProvider.${always.clientId}.${username}`;
    assert.equal(storage.getItem(`${prefix}.deviceKey`), deviceKey);
    assert.ok(storage.getItem(`${prefix}.randomPasswordKey`));

    const listed = await call<{ Devices: Array<{ DeviceKey: string; DeviceAttributes: Array<{ Name: string; Value: string }> }> }>((cb) => user.listDevices(10, null, cb));
    assert.equal(listed.Devices.length, 1);
    assert.equal(listed.Devices[0].DeviceKey, deviceKey);
    const attrs = Object.fromEntries(listed.Devices[0].DeviceAttributes.map((a) => [a.Name, a.Value]));
    assert.equal(attrs["dev:device_remembered_status"], "remembered");
    assert.equal(attrs.device_status, "valid");
    assert.ok(attrs.device_name);

    // A later sign-in from the same storage proves the device with its own SRP secret.
    challengesSent.length = 0;
    const again = js.cognitoUser(always.pool, username);
    const second = await signedIn(signIn(again));
    assert.deepEqual(challengesSent, ["PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"]);
    assert.equal(js.claims(second.session).access.device_key, deviceKey);
    const admin = await t.idp.send(new AdminListDevicesCommand({ UserPoolId: always.userPoolId, Username: username }));
    assert.equal(admin.Devices?.length, 1, "no second device was registered");

    // A wrong device secret is refused: the verifier is really checked.
    storage.setItem(`${prefix}.randomPasswordKey`, "not-the-device-secret");
    const err = await js.expectError(signIn(js.cognitoUser(always.pool, username)), "NotAuthorizedException");
    assert.equal(err.message, "Incorrect username or password.");
  });

  test("refresh tokens are bound to their device: the library's refresh sends DEVICE_KEY; without it or after ForgetDevice it fails", async () => {
    const username = await newUser(always);
    const user = js.cognitoUser(always.pool, username);
    const { session } = await signedIn(signIn(user));
    const refreshed = await js.refreshSession(user, session);
    assert.ok(refreshed.getAccessToken().getJwtToken());
    const deviceKey = js.claims(session).access.device_key as string;
    assert.equal(js.claims(refreshed).access.device_key, deviceKey);
    const refresh = (DEVICE_KEY?: string) => t.idp.send(new InitiateAuthCommand({
      ClientId: always.clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: session.getRefreshToken().getToken(), ...(DEVICE_KEY ? { DEVICE_KEY } : {}) },
    }));
    await rejectsWithAwsError(refresh(), "NotAuthorizedException", "Invalid Refresh Token");
    await rejectsWithAwsError(refresh(`us-east-1_${"0".repeat(8)}-0000-0000-0000-${"0".repeat(12)}`), "NotAuthorizedException", "Invalid Refresh Token");
    assert.ok((await refresh(deviceKey)).AuthenticationResult?.AccessToken);

    await call<string>((cb) => user.forgetDevice(cb));
    await rejectsWithAwsError(refresh(deviceKey), "NotAuthorizedException", "Invalid Refresh Token");
    const listed = await t.idp.send(new ListDevicesCommand({ AccessToken: refreshed.getAccessToken().getJwtToken() }));
    assert.deepEqual(listed.Devices, []);
    // With its device forgotten, the library signs in afresh and registers a new device.
    challengesSent.length = 0;
    const next = await signedIn(signIn(js.cognitoUser(always.pool, username)));
    assert.deepEqual(challengesSent, ["PASSWORD_VERIFIER"]);
    assert.notEqual(js.claims(next.session).access.device_key, deviceKey);
  });

  test("a device key the pool no longer knows: the library drops it on ResourceNotFoundException and signs in", async () => {
    const username = await newUser(always);
    const { session } = await signedIn(signIn(js.cognitoUser(always.pool, username)));
    const deviceKey = js.claims(session).access.device_key as string;
    await t.idp.send(new AdminForgetDeviceCommand({ UserPoolId: always.userPoolId, Username: username, DeviceKey: deviceKey }));
    challengesSent.length = 0;
    const again = await signedIn(signIn(js.cognitoUser(always.pool, username)));
    assert.deepEqual(challengesSent, ["PASSWORD_VERIFIER", "PASSWORD_VERIFIER"]);
    const fresh = js.claims(again.session).access.device_key as string;
    assert.ok(fresh && fresh !== deviceKey);
  });

  test("a remembered device skips MFA when ChallengeRequiredOnNewDevice; opt-in devices ask first (UserConfirmationNecessary)", async () => {
    const optIn = await devicePool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true }, true);
    const username = await newUser(optIn, true);
    const user = js.cognitoUser(optIn.pool, username);
    const first = await signIn(user);
    assert.equal(first.kind, "mfaRequired");
    // After MFA the library confirms the new device; this pool remembers it only when the user says so.
    const session = await sendMfaCode(user, await t.latestCode(optIn.userPoolId, username, "MFA"));
    const deviceKey = js.claims(session).access.device_key as string;
    const got = await t.idp.send(new GetDeviceCommand({ AccessToken: session.getAccessToken().getJwtToken(), DeviceKey: deviceKey }));
    assert.equal(got.Device?.DeviceAttributes?.find((a) => a.Name === "dev:device_remembered_status")?.Value, "not_remembered");

    // Not remembered: MFA again, then device SRP.
    const second = js.cognitoUser(optIn.pool, username);
    assert.equal((await signIn(second)).kind, "mfaRequired");
    challengesSent.length = 0;
    const secondSession = await sendMfaCode(second, await t.latestCode(optIn.userPoolId, username, "MFA"));
    assert.deepEqual(challengesSent, ["SMS_MFA", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"]);
    await call<string>((cb) => second.setDeviceStatusRemembered(cb));
    assert.equal(js.claims(secondSession).access.device_key, deviceKey);

    // Remembered: no MFA.
    challengesSent.length = 0;
    const third = await signedIn(signIn(js.cognitoUser(optIn.pool, username)));
    assert.deepEqual(challengesSent, ["PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"]);
    assert.equal(js.claims(third.session).access.device_key, deviceKey);
  });

  test("with ChallengeRequiredOnNewDevice false a remembered device still answers MFA", async () => {
    const p = await devicePool({ ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false }, true);
    const username = await newUser(p, true);
    const user = js.cognitoUser(p.pool, username);
    assert.equal((await signIn(user)).kind, "mfaRequired");
    const first = await sendMfaCode(user, await t.latestCode(p.userPoolId, username, "MFA"));
    assert.ok(js.claims(first).access.device_key);
    assert.equal((await signIn(js.cognitoUser(p.pool, username))).kind, "mfaRequired");
  });

  test("SDK v3: Get/List/UpdateDeviceStatus/Forget and the Admin forms, with AWS's errors", async () => {
    const username = await newUser(always);
    const { session } = await signedIn(signIn(js.cognitoUser(always.pool, username)));
    const AccessToken = session.getAccessToken().getJwtToken();
    const DeviceKey = js.claims(session).access.device_key as string;
    const UserPoolId = always.userPoolId;

    const got = await t.idp.send(new AdminGetDeviceCommand({ UserPoolId, Username: username, DeviceKey }));
    assert.equal(got.Device?.DeviceKey, DeviceKey);
    assert.ok(got.Device?.DeviceCreateDate instanceof Date);
    assert.ok(got.Device?.DeviceLastAuthenticatedDate instanceof Date);
    await t.idp.send(new AdminUpdateDeviceStatusCommand({ UserPoolId, Username: username, DeviceKey, DeviceRememberedStatus: "not_remembered" }));
    const status = async () => (await t.idp.send(new GetDeviceCommand({ AccessToken, DeviceKey }))).Device?.DeviceAttributes?.find((a) => a.Name === "dev:device_remembered_status")?.Value;
    assert.equal(await status(), "not_remembered");
    await t.idp.send(new UpdateDeviceStatusCommand({ AccessToken, DeviceKey, DeviceRememberedStatus: "remembered" }));
    assert.equal(await status(), "remembered");
    await rejectsWithAwsError(t.idp.send(new UpdateDeviceStatusCommand({ AccessToken, DeviceKey, DeviceRememberedStatus: "forever" as never })), "InvalidParameterException", /deviceRememberedStatus/);

    const missing = `us-east-1_${"1".repeat(8)}-1111-1111-1111-${"1".repeat(12)}`;
    await rejectsWithAwsError(t.idp.send(new GetDeviceCommand({ AccessToken, DeviceKey: missing })), "ResourceNotFoundException", "Device does not exist.");
    await rejectsWithAwsError(t.idp.send(new AdminGetDeviceCommand({ UserPoolId, Username: username, DeviceKey: "not a key" })), "InvalidParameterException", /deviceKey/);
    // Another user's device is not this user's.
    const other = await newUser(always);
    await rejectsWithAwsError(t.idp.send(new AdminGetDeviceCommand({ UserPoolId, Username: other, DeviceKey })), "ResourceNotFoundException", "Device does not exist.");
    await rejectsWithAwsError(t.idp.send(new AdminListDevicesCommand({ UserPoolId, Username: "nobody" })), "UserNotFoundException");

    // Paging.
    const two = await signedIn(signIn(js.cognitoUser(js.userPool(t.url, UserPoolId, always.clientId), username)));
    assert.notEqual(js.claims(two.session).access.device_key, DeviceKey);
    const page1 = await t.idp.send(new AdminListDevicesCommand({ UserPoolId, Username: username, Limit: 1 }));
    assert.equal(page1.Devices?.length, 1);
    assert.ok(page1.PaginationToken);
    const page2 = await t.idp.send(new AdminListDevicesCommand({ UserPoolId, Username: username, Limit: 1, PaginationToken: page1.PaginationToken }));
    assert.equal(page2.Devices?.length, 1);
    assert.notEqual(page2.Devices?.[0].DeviceKey, page1.Devices?.[0].DeviceKey);
    assert.equal(page2.PaginationToken, undefined);

    await t.idp.send(new AdminForgetDeviceCommand({ UserPoolId, Username: username, DeviceKey }));
    await rejectsWithAwsError(t.idp.send(new AdminForgetDeviceCommand({ UserPoolId, Username: username, DeviceKey })), "ResourceNotFoundException", "Device does not exist.");
    assert.equal((await t.idp.send(new ListDevicesCommand({ AccessToken }))).Devices?.length, 1);
  });

  test("a pool without DeviceConfiguration issues no NewDeviceMetadata and no device_key", async () => {
    const plain = await createPoolAndClient(t.idp);
    const client = await t.idp.send(new CreateUserPoolClientCommand({ UserPoolId: plain.userPoolId, ClientName: "c", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }));
    const ClientId = client.UserPoolClient!.ClientId!;
    await t.idp.send(new SignUpCommand({ ClientId, Username: "plain", Password: PASSWORD }));
    await t.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: plain.userPoolId, Username: "plain" }));
    const auth = await t.idp.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "plain", PASSWORD } }));
    assert.equal(auth.AuthenticationResult?.NewDeviceMetadata, undefined);
    // The SDK v3 user of a tracking pool gets NewDeviceMetadata too, with USER_PASSWORD_AUTH.
    const username = await newUser(always);
    const tracked = await t.idp.send(new InitiateAuthCommand({ ClientId: always.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD } }));
    assert.match(tracked.AuthenticationResult?.NewDeviceMetadata?.DeviceKey ?? "", /^us-east-1_/);
    assert.ok(tracked.AuthenticationResult?.NewDeviceMetadata?.DeviceGroupKey);
    // Unconfirmed, it is not listed.
    const listed = await t.idp.send(new ListDevicesCommand({ AccessToken: tracked.AuthenticationResult!.AccessToken! }));
    assert.deepEqual(listed.Devices, []);
  });
});

describe("device tracking across a restart", () => {
  test("a confirmed device, its verifier and its bound refresh token survive a restart of the service", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-devices-"));
    let t = await startTestService({ dataDir });
    try {
      const { userPoolId, clientId } = await createPoolAndClient(t.idp, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false } });
      await t.idp.send(new SignUpCommand({ ClientId: clientId, Username: "restarted", Password: PASSWORD }));
      await t.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: "restarted" }));
      const storage = new js.MemoryStorage();
      // The same device storage, talking to the service before and after its restart.
      const poolAt = (url: string) => new CognitoUserPool({ UserPoolId: userPoolId, ClientId: clientId, endpoint: `${url}/`, Storage: storage });
      const first = await signedIn(signIn(js.cognitoUser(poolAt(t.url), "restarted")));
      const deviceKey = js.claims(first.session).access.device_key as string;
      await t.stop();
      t = await startTestService({ dataDir });
      challengesSent.length = 0;
      globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
        const target = new Headers(init?.headers).get("x-amz-target") ?? "";
        if (target.endsWith(".RespondToAuthChallenge") && typeof init?.body === "string") challengesSent.push(JSON.parse(init.body).ChallengeName);
        return realFetch(input, init);
      };
      const again = await signedIn(signIn(js.cognitoUser(poolAt(t.url), "restarted")));
      assert.deepEqual(challengesSent, ["PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"]);
      assert.equal(js.claims(again.session).access.device_key, deviceKey);
      const refreshed = await t.idp.send(new InitiateAuthCommand({
        ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: first.session.getRefreshToken().getToken(), DEVICE_KEY: deviceKey },
      }));
      assert.ok(refreshed.AuthenticationResult?.AccessToken);
    } finally {
      globalThis.fetch = realFetch;
      await t.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
