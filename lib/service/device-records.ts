// Devices as records: the devices a user signs in from (DeviceRecord), kept in the durable store with an index per user
// and dropped with their user or pool; the pool's DeviceConfiguration and which device keys are usable. Used by device
// sign-in (sign-in/device.ts) and the device operations (operations/devices.ts).
import { randomBytes, randomUUID } from "node:crypto";
import * as errors from "./errors";
import type { UserPoolRecord, UserRecord } from "./model";
import type { ServiceContext } from "./context";
import type { CognitoState } from "./state";

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
export const UNCONFIRMED_DEVICE_SECONDS = 24 * 3600;
const GROUP_KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** The devices of every user, kept in the durable store with an index per user. */
export class DeviceStore {
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

export function devicesOf(ctx: ServiceContext): DeviceStore {
  let store = stores.get(ctx.state);
  if (!store) {
    store = new DeviceStore(ctx.state);
    stores.set(ctx.state, store);
  }
  return store;
}

/** The pool's DeviceConfiguration, when it tracks devices. */
export function deviceConfiguration(pool: UserPoolRecord): { ChallengeRequiredOnNewDevice?: boolean; DeviceOnlyRememberedOnUserPrompt?: boolean } | undefined {
  const config = pool.settings.DeviceConfiguration;
  return config && typeof config === "object" ? (config as { ChallengeRequiredOnNewDevice?: boolean; DeviceOnlyRememberedOnUserPrompt?: boolean }) : undefined;
}

/** A device of `user` that can be used: confirmed, or a fresh unconfirmed one. */
export function liveDevice(ctx: ServiceContext, user: UserRecord, deviceKey: string | undefined): DeviceRecord | undefined {
  if (!deviceKey) return undefined;
  const device = devicesOf(ctx).get(deviceKey);
  if (!device || device.userPoolId !== user.userPoolId || device.username !== user.username || device.sub !== user.sub) return undefined;
  if (!device.confirmed && device.createdAt + UNCONFIRMED_DEVICE_SECONDS <= ctx.now()) return undefined;
  return device;
}

export const deviceNotFound = () => errors.resourceNotFound("Device does not exist.");

/** A new, unconfirmed device of `user`, stored (NewDeviceMetadata of a sign-in from a pool that tracks devices). */
export function newDevice(ctx: ServiceContext, user: UserRecord): DeviceRecord {
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
