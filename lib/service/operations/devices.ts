// The device operations (GetDevice, ListDevices, ConfirmDevice, ForgetDevice, UpdateDeviceStatus and their Admin
// forms) over the devices a user signs in from (device-records.ts; device sign-in is sign-in/device.ts).
import * as errors from "../errors";
import { optionalObject, optionalString, requiredString, type Input } from "../input";
import type { UserRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { deviceConfiguration, deviceNotFound, devicesOf, liveDevice, type DeviceRecord } from "../device-records";
import { pageAfter, readLimit, readPageToken } from "../paging";
import { verifyAccessToken } from "../sessions";
import { SRP_N } from "../srp";

const DEVICE_KEY_PATTERN = /^[\w-]+_[0-9a-f-]+$/;

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
