// Device tracking, as a user pool's DeviceConfiguration asks for it: the devices a user signs in from (NewDeviceMetadata
// in the tokens' AuthenticationResult, ConfirmDevice with the device's SRP verifier), device SRP sign-in
// (DEVICE_SRP_AUTH then DEVICE_PASSWORD_VERIFIER, as amazon-cognito-identity-js and Amplify run it), remembered devices
// skipping MFA (ChallengeRequiredOnNewDevice), refresh tokens bound to their device, and the device operations
// (GetDevice, ListDevices, ForgetDevice, UpdateDeviceStatus and their Admin forms).
import { randomBytes, randomUUID } from "node:crypto";
import type { ChallengeSession } from "../challenge-sessions";
import * as errors from "../errors";
import { optionalObject, optionalString, requiredString, type Input } from "../input";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { pageAfter, readLimit, readPageToken } from "../paging";
import { issueTokens, verifyAccessToken } from "../sessions";
import { isTimestampFresh, SRP_N, SrpParameterError, startSrpSession, verifyPasswordClaim } from "../srp";
import type { CognitoState } from "../state";
import { recordFailedSignIn } from "../sign-in-failures";

/** A device a user signed in from. Its SRP verifier is the device's own secret, made by the client (ConfirmDevice). */
export interface DeviceRecord {
  deviceKey: string;
  deviceGroupKey: string;
  userPoolId: string;
  username: string;
  sub: string;
  /** ConfirmDevice was called: the device is tracked (and listed). Until then it only exists for its first session. */
  confirmed: boolean;
  /** dev:device_remembered_status. */
  remembered: boolean;
  name?: string;
  /** DeviceSecretVerifierConfig, hex (the client's padHex form). */
  salt?: string;
  verifier?: string;
  createdAt: number;
  modifiedAt: number;
  lastAuthenticatedAt: number;
}

const DEVICES = "devices";
/** A device key that is never confirmed stops being usable after a day. */
const UNCONFIRMED_DEVICE_SECONDS = 24 * 3600;
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
const DEVICE_KEY_PATTERN = /^[\w-]+_[0-9a-f-]+$/;
const GROUP_KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** The devices of every user, kept in the durable store with an index per user. */
class DeviceStore {
  private readonly byUser = new Map<string, Set<string>>();

  constructor(private readonly state: CognitoState) {
    for (const d of state.store.entries<DeviceRecord>(DEVICES).values()) this.index(d);
    state.cascades.user.push((user) => {
      for (const d of this.of(user.userPoolId, user.username)) this.delete(d);
    });
    state.cascades.pool.push((poolId) => {
      for (const d of [...state.store.entries<DeviceRecord>(DEVICES).values()]) if (d.userPoolId === poolId) this.delete(d);
    });
  }

  get(deviceKey: string): DeviceRecord | undefined {
    return this.state.store.get<DeviceRecord>(DEVICES, deviceKey);
  }
  of(poolId: string, username: string): DeviceRecord[] {
    return [...(this.byUser.get(userKey(poolId, username)) ?? [])].map((k) => this.get(k)).filter((d): d is DeviceRecord => !!d);
  }
  put(device: DeviceRecord): void {
    this.state.store.put(DEVICES, device.deviceKey, device);
    this.index(device);
  }
  delete(device: DeviceRecord): void {
    this.state.store.delete(DEVICES, device.deviceKey);
    this.byUser.get(userKey(device.userPoolId, device.username))?.delete(device.deviceKey);
  }
  private index(device: DeviceRecord): void {
    const key = userKey(device.userPoolId, device.username);
    let keys = this.byUser.get(key);
    if (!keys) {
      keys = new Set();
      this.byUser.set(key, keys);
    }
    keys.add(device.deviceKey);
  }
}

const userKey = (poolId: string, username: string) => `${poolId}\u0000${username}`;
const stores = new WeakMap<CognitoState, DeviceStore>();

function devicesOf(ctx: ServiceContext): DeviceStore {
  let store = stores.get(ctx.state);
  if (!store) {
    store = new DeviceStore(ctx.state);
    stores.set(ctx.state, store);
  }
  return store;
}

/** The pool's DeviceConfiguration, when it tracks devices. */
function deviceConfiguration(pool: UserPoolRecord): { ChallengeRequiredOnNewDevice?: boolean; DeviceOnlyRememberedOnUserPrompt?: boolean } | undefined {
  const config = pool.settings.DeviceConfiguration;
  return config && typeof config === "object" ? (config as { ChallengeRequiredOnNewDevice?: boolean; DeviceOnlyRememberedOnUserPrompt?: boolean }) : undefined;
}

/** A device of `user` that can be used: confirmed, or a fresh unconfirmed one. */
function liveDevice(ctx: ServiceContext, user: UserRecord, deviceKey: string | undefined): DeviceRecord | undefined {
  if (!deviceKey) return undefined;
  const device = devicesOf(ctx).get(deviceKey);
  if (!device || device.userPoolId !== user.userPoolId || device.username !== user.username || device.sub !== user.sub) return undefined;
  if (!device.confirmed && device.createdAt + UNCONFIRMED_DEVICE_SECONDS <= ctx.now()) return undefined;
  return device;
}

const deviceNotFound = () => errors.resourceNotFound("Device does not exist.");

// ---- the sign-in hooks (called from authentication.ts) ----------------------------------------------------------

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

function newDevice(ctx: ServiceContext, user: UserRecord): DeviceRecord {
  const store = devicesOf(ctx);
  const now = ctx.now();
  // Keys handed out and never confirmed are dropped once stale, so repeated sign-ins do not pile them up.
  for (const d of store.of(user.userPoolId, user.username)) if (!d.confirmed && d.createdAt + UNCONFIRMED_DEVICE_SECONDS <= now) store.delete(d);
  let groupKey = "-";
  for (const byte of randomBytes(8)) groupKey += GROUP_KEY_ALPHABET[byte % GROUP_KEY_ALPHABET.length];
  const device: DeviceRecord = {
    deviceKey: `${ctx.region}_${randomUUID()}`,
    deviceGroupKey: groupKey,
    userPoolId: user.userPoolId,
    username: user.username,
    sub: user.sub,
    confirmed: false,
    remembered: false,
    createdAt: now,
    modifiedAt: now,
    lastAuthenticatedAt: now,
  };
  store.put(device);
  return device;
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
    let srp;
    try {
      srp = startSrpSession(device.verifier, srpA);
    } catch (e) {
      if (e instanceof SrpParameterError) throw errors.invalidParameter(e.message);
      throw e;
    }
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
    srpA: srp.srpA,
    serverSecretB: srp.serverSecretB,
    srpB: srp.srpB,
    secretBlock: srp.secretBlock,
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

// ---- operations -------------------------------------------------------------------------------------------------

function deviceView(device: DeviceRecord) {
  return {
    DeviceKey: device.deviceKey,
    DeviceAttributes: [
      { Name: "device_status", Value: "valid" },
      ...(device.name !== undefined ? [{ Name: "device_name", Value: device.name }] : []),
      { Name: "dev:device_remembered_status", Value: device.remembered ? "remembered" : "not_remembered" },
    ],
    DeviceCreateDate: device.createdAt,
    DeviceLastModifiedDate: device.modifiedAt,
    DeviceLastAuthenticatedDate: device.lastAuthenticatedAt,
  };
}

function deviceKeyOf(input: Input): string {
  const key = requiredString(input, "DeviceKey");
  if (key.length < 1 || key.length > 55 || !DEVICE_KEY_PATTERN.test(key)) {
    throw errors.invalidParameter(`1 validation error detected: Value '${key}' at 'deviceKey' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-f-]+`);
  }
  return key;
}

/** A confirmed device of `user`, or ResourceNotFoundException. */
function requireDevice(ctx: ServiceContext, user: UserRecord, input: Input): DeviceRecord {
  const device = liveDevice(ctx, user, deviceKeyOf(input));
  if (!device || !device.confirmed) throw deviceNotFound();
  return device;
}

function rememberedStatus(input: Input): boolean | undefined {
  const status = optionalString(input, "DeviceRememberedStatus");
  if (status === undefined) return undefined;
  if (status !== "remembered" && status !== "not_remembered") {
    throw errors.invalidParameter(`1 validation error detected: Value '${status}' at 'deviceRememberedStatus' failed to satisfy constraint: Member must satisfy enum value set: [remembered, not_remembered]`);
  }
  return status === "remembered";
}

function listDevices(ctx: ServiceContext, user: UserRecord, input: Input) {
  const limit = readLimit(input, "Limit");
  const { page, nextToken } = pageAfter(
    devicesOf(ctx).of(user.userPoolId, user.username),
    (d) => [d.createdAt, d.deviceKey],
    readPageToken(input, "PaginationToken"),
    limit,
    (d) => d.confirmed,
  );
  return { Devices: page.map(deviceView), ...(nextToken ? { PaginationToken: nextToken } : {}) };
}

/** DeviceSecretVerifierConfig as stored hex, checked to be a usable SRP verifier. */
function verifierConfig(input: Input): { salt: string; verifier: string } | undefined {
  const config = optionalObject(input, "DeviceSecretVerifierConfig");
  if (!config) return undefined;
  const salt = typeof config.Salt === "string" ? Buffer.from(config.Salt, "base64").toString("hex") : "";
  const verifier = typeof config.PasswordVerifier === "string" ? Buffer.from(config.PasswordVerifier, "base64").toString("hex") : "";
  const v = verifier ? BigInt(`0x${verifier}`) : 0n;
  if (!salt || /^0*$/.test(salt) || v <= 1n || v >= SRP_N || salt.length > 1024) throw errors.invalidParameter("Invalid DeviceSecretVerifierConfig.");
  return { salt, verifier };
}

export function deviceOperations(ctx: ServiceContext): OperationTable {
  const store = devicesOf(ctx);
  const adminUser = (input: Input) => {
    const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
    return ctx.requireUser(pool, requiredString(input, "Username"));
  };
  return {
    ConfirmDevice(input) {
      const { pool, user, session } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      const key = deviceKeyOf(input);
      const device = liveDevice(ctx, user, key);
      if (!device || !deviceConfiguration(pool)) throw deviceNotFound();
      if (session.deviceKey !== undefined && session.deviceKey !== key) throw errors.notAuthorized("Invalid device key given.");
      const name = optionalString(input, "DeviceName");
      if (name !== undefined && (name.length < 1 || name.length > 1024)) throw errors.invalidParameter("DeviceName must be between 1 and 1024 characters.");
      const secret = verifierConfig(input);
      const onPrompt = deviceConfiguration(pool)?.DeviceOnlyRememberedOnUserPrompt === true;
      store.put({
        ...device,
        ...(secret ?? {}),
        ...(name !== undefined ? { name } : {}),
        confirmed: true,
        remembered: device.confirmed ? device.remembered : !onPrompt,
        modifiedAt: ctx.now(),
      });
      return { UserConfirmationNecessary: onPrompt };
    },
    GetDevice(input) {
      const { user } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      return { Device: deviceView(requireDevice(ctx, user, input)) };
    },
    AdminGetDevice(input) {
      return { Device: deviceView(requireDevice(ctx, adminUser(input), input)) };
    },
    ListDevices(input) {
      const { user } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      return listDevices(ctx, user, input);
    },
    AdminListDevices(input) {
      return listDevices(ctx, adminUser(input), input);
    },
    ForgetDevice(input) {
      const { user } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      store.delete(requireDevice(ctx, user, input));
      return {};
    },
    AdminForgetDevice(input) {
      store.delete(requireDevice(ctx, adminUser(input), input));
      return {};
    },
    UpdateDeviceStatus(input) {
      const { user } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      const device = requireDevice(ctx, user, input);
      const remembered = rememberedStatus(input);
      store.put({ ...device, remembered: remembered ?? device.remembered, modifiedAt: ctx.now() });
      return {};
    },
    AdminUpdateDeviceStatus(input) {
      const device = requireDevice(ctx, adminUser(input), input);
      const remembered = rememberedStatus(input);
      store.put({ ...device, remembered: remembered ?? device.remembered, modifiedAt: ctx.now() });
      return {};
    },
  };
}
