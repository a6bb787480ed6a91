// Device sign-in, as a user pool's DeviceConfiguration asks for it: the device a sign-in names (DEVICE_KEY), remembered
// devices skipping MFA (ChallengeRequiredOnNewDevice), NewDeviceMetadata with the tokens, device SRP (DEVICE_SRP_AUTH
// then DEVICE_PASSWORD_VERIFIER, as amazon-cognito-identity-js and Amplify run it) and refresh tokens bound to their device.
import { randomBytes } from "node:crypto";
import type { ChallengeSession } from "../challenge-sessions";
import type { ServiceContext } from "../context";
import { deviceConfiguration, deviceNotFound, devicesOf, liveDevice, newDevice, type DeviceRecord } from "../device-records";
import * as errors from "../errors";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import { issueTokens } from "../sessions";
import { recordFailedSignIn } from "../sign-in-failures";
import { isTimestampFresh, verifyPasswordClaim } from "../srp";
import { startSrpChallenge } from "./srp-start";

/** Lifetime of a sign-in challenge, as ChallengeSessions gives them. */
const CHALLENGE_SECONDS = 180;
/** Answered MFA Sessions that still name the DEVICE_SRP_AUTH challenge they led to (bounded, oldest dropped). */
const MAX_ALIASES = 10_000;
const sessionAliases = new Map<string, { token: string; expiresAt: number }>();

function rememberAlias(answered: string, next: string, now: number): void {
  if (sessionAliases.size >= MAX_ALIASES) sessionAliases.delete(sessionAliases.keys().next().value!);
  sessionAliases.set(answered, { token: next, expiresAt: now + CHALLENGE_SECONDS });
}

/** The Session a DEVICE_SRP_AUTH answer stands for: the one given, or the challenge an answered MFA Session led to. */
export function deviceChallengeSession(ctx: ServiceContext, challengeName: string, sessionToken: string | undefined): string | undefined {
  if (challengeName !== "DEVICE_SRP_AUTH" || !sessionToken || ctx.challenges.find(sessionToken)) return sessionToken;
  const alias = sessionAliases.get(sessionToken);
  sessionAliases.delete(sessionToken);
  return alias && alias.expiresAt > ctx.now() ? alias.token : sessionToken;
}
/**
 * The device a sign-in names with DEVICE_KEY, checked before its password step is consumed: an unknown key gets
 * ResourceNotFoundException "Device does not exist." (amazon-cognito-identity-js then forgets the key and answers again
 * without it). Undefined when no key is given or the pool does not track devices.
 */
export function deviceForSignIn(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord, deviceKey: string | undefined): DeviceRecord | undefined {
  if (!deviceKey || !deviceConfiguration(pool)) return undefined;
  const device = liveDevice(ctx, user, deviceKey);
  if (!device || !device.confirmed) throw deviceNotFound();
  return device;
}

/** A remembered device stands in for MFA when the pool says so (ChallengeRequiredOnNewDevice). */
export function deviceSkipsMfa(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord, deviceKey: string | undefined): boolean {
  const device = deviceKey ? liveDevice(ctx, user, deviceKey) : undefined;
  return !!device && device.confirmed && device.remembered && deviceConfiguration(pool)?.ChallengeRequiredOnNewDevice === true;
}

/** Carries the sign-in's device key into the challenge a response opens (MFA), so the last step still knows it. */
export function carryDeviceKey(ctx: ServiceContext, response: Record<string, unknown>, deviceKey: string | undefined): Record<string, unknown> {
  const token = typeof response.Session === "string" ? response.Session : undefined;
  const session = deviceKey ? ctx.challenges.find(token) : undefined;
  if (session && token) ctx.challenges.update(token, { ...session, deviceKey });
  return response;
}

/**
 * The last step of a sign-in whose factors all passed. From a tracked device with a verifier: the DEVICE_SRP_AUTH
 * challenge. Otherwise tokens; when the pool tracks devices they come with NewDeviceMetadata for a new device, and the
 * session (its refresh token) is bound to it.
 */
export async function finishSignIn(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, deviceKey: string | undefined, answeredSessionToken?: string,
): Promise<Record<string, unknown>> {
  const config = deviceConfiguration(pool);
  const device = config ? liveDevice(ctx, user, deviceKey) : undefined;
  if (device?.confirmed && device.verifier) {
    const session = ctx.challenges.open({ challenge: "DEVICE_SRP_AUTH", userPoolId: pool.Id, clientId: client.ClientId, username: user.username, deviceKey: device.deviceKey });
    // After an MFA answer, amazon-cognito-identity-js's sendMFACode starts device SRP with the Session it already held
    // (Amplify uses the one returned): that one leads to the new challenge too.
    if (answeredSessionToken) rememberAlias(answeredSessionToken, session, ctx.now());
    return { ChallengeName: "DEVICE_SRP_AUTH", Session: session, ChallengeParameters: {} };
  }
  if (device) return { ChallengeParameters: {}, AuthenticationResult: await issueTokens(ctx, pool, client, user, undefined, undefined, device.deviceKey) };
  if (!config) return { ChallengeParameters: {}, AuthenticationResult: await issueTokens(ctx, pool, client, user) };
  const fresh = newDevice(ctx, user);
  const result = await issueTokens(ctx, pool, client, user, undefined, undefined, fresh.deviceKey);
  return { ChallengeParameters: {}, AuthenticationResult: { ...result, NewDeviceMetadata: { DeviceKey: fresh.deviceKey, DeviceGroupKey: fresh.deviceGroupKey } } };
}

/** DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER: the device proves it holds the secret behind its verifier. */
export async function answerDeviceChallenge(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, session: ChallengeSession, sessionToken: string,
  responses: Record<string, string>,
): Promise<Record<string, unknown>> {
  const device = liveDevice(ctx, user, session.deviceKey);
  if (!device?.verifier || !device.salt) throw deviceNotFound();
  if (responses.DEVICE_KEY !== device.deviceKey) throw errors.notAuthorized("Invalid device key given.");
  if (session.challenge === "DEVICE_SRP_AUTH") {
    const srpA = responses.SRP_A;
    if (!srpA) throw errors.invalidParameter("Missing required parameter SRP_A");
    const srp = startSrpChallenge(device.verifier, srpA);
    const secretBlock = randomBytes(64).toString("base64");
    ctx.challenges.close(sessionToken);
    const next = ctx.challenges.open({
      challenge: "DEVICE_PASSWORD_VERIFIER", userPoolId: pool.Id, clientId: client.ClientId, username: user.username, deviceKey: device.deviceKey,
      srp: { srpA, serverSecretB: srp.serverSecretB, srpB: srp.srpB, secretBlock },
    });
    return {
      ChallengeName: "DEVICE_PASSWORD_VERIFIER",
      Session: next,
      ChallengeParameters: { DEVICE_KEY: device.deviceKey, SALT: device.salt, SECRET_BLOCK: secretBlock, SRP_B: srp.srpB, USERNAME: user.username },
    };
  }
  const srp = session.srp!;
  const timestamp = responses.TIMESTAMP ?? "";
  const signature = responses.PASSWORD_CLAIM_SIGNATURE ?? "";
  if (!timestamp || !signature) throw errors.invalidParameter("Missing required parameter PASSWORD_CLAIM_SIGNATURE or TIMESTAMP");
  ctx.challenges.close(sessionToken);
  const ok = responses.PASSWORD_CLAIM_SECRET_BLOCK === srp.secretBlock && isTimestampFresh(timestamp, new Date(ctx.nowMs())) && verifyPasswordClaim({
    // The device's SRP "pool name" is its group key and its "user id" its device key (the client's AuthenticationHelper
    // is built on the group key); srpPoolName() takes what follows the first "_".
    userPoolId: `_${device.deviceGroupKey}`,
    userIdForSrp: device.deviceKey,
    salt: device.salt,
    verifier: device.verifier,
    ...srp,
    timestamp,
    signature,
  });
  if (!ok) {
    recordFailedSignIn(ctx, { pool, user });
    throw errors.notAuthorized("Incorrect username or password.");
  }
  // A sign-in completed by a remembered device runs PreTokenGeneration as `TokenGeneration_AuthenticateDevice`.
  const result = await issueTokens(ctx, pool, client, user, undefined, undefined, device.deviceKey, undefined, { source: "AuthenticateDevice" });
  devicesOf(ctx).put({ ...device, lastAuthenticatedAt: ctx.now() });
  return { ChallengeParameters: {}, AuthenticationResult: result };
}

/**
 * REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken: a refresh token issued to a device works only from that device
 * (DEVICE_KEY / DeviceKey), and not once the device is forgotten.
 */
export function checkRefreshDevice(ctx: ServiceContext, refreshToken: string, deviceKey: string | undefined): void {
  const session = ctx.state.sessionByRefreshToken(refreshToken);
  if (!session?.deviceKey) return;
  const pool = ctx.state.pool(session.userPoolId);
  const user = pool ? ctx.state.userByUsername(pool, session.username) : undefined;
  if (!user || deviceKey !== session.deviceKey || !liveDevice(ctx, user, deviceKey)) throw errors.notAuthorized("Invalid Refresh Token");
}

