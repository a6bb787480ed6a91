// cognito-idp operations on session configuration: Get/SetUserPoolSessionConfiguration (session tracking on or off,
// and the per-user maximum of token sessions, 1 to 100) and Get/SetUserPoolClientSessionConfiguration (an app client's
// SSO session reuse window, 0 to 129600 minutes). Setting them needs the Essentials or Plus feature plan; a client's
// configuration needs tracking on for its pool. What they govern is in ../session-tracking.ts.
import * as errors from "../errors";
import { optionalObject, requiredString, type Input } from "../input";
import type { OperationTable, ServiceContext } from "../context";
import {
  clientSessionConfiguration, followDeletions, poolSessionConfiguration, putClientSessionConfiguration, putPoolSessionConfiguration,
  requireSessionTracking, tracksSessions, type ClientSessionConfiguration, type PoolSessionConfiguration,
} from "../session-tracking";
import { registerTierFeature, requireTier } from "../tiers";
import { constraintError, enumMember } from "../validation";

/** The feature's name in FeatureUnavailableInTierException (this service's name; AWS's message was not found). */
const SESSION_TRACKING_FEATURE = "User Session Tracking";

export function sessionConfigurationOperations(ctx: ServiceContext): OperationTable {
  followDeletions(ctx.state);
  // A pool that tracks sessions can not move to the Lite plan.
  registerTierFeature(ctx.state, { name: SESSION_TRACKING_FEATURE, minimum: "ESSENTIALS", inUse: (poolId) => tracksSessions(ctx, poolId) });
  return {
    GetUserPoolSessionConfiguration(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      return { UserPoolId: pool.Id, ...poolSessionConfiguration(ctx, pool.Id) };
    },
    SetUserPoolSessionConfiguration(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const tracking = enumMember(requiredString(input, "UserSessionTracking"), ["ENABLED", "DISABLED"] as const, "userSessionTracking");
      const maxPerUser = requiredInteger(requiredStructure(input, "TokenSession"), "MaxPerUser", "tokenSession.maxPerUser", 1, 100);
      requireTier(pool, "ESSENTIALS", SESSION_TRACKING_FEATURE);
      const config: PoolSessionConfiguration = { UserSessionTracking: tracking, TokenSession: { MaxPerUser: maxPerUser } };
      putPoolSessionConfiguration(ctx, pool.Id, config);
      return { UserPoolId: pool.Id, ...config };
    },
    GetUserPoolClientSessionConfiguration(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const client = ctx.requireClient(requiredString(input, "ClientId"), pool);
      return { UserPoolId: pool.Id, ClientId: client.ClientId, ...clientSessionConfiguration(ctx, pool.Id, client.ClientId) };
    },
    SetUserPoolClientSessionConfiguration(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const client = ctx.requireClient(requiredString(input, "ClientId"), pool);
      const minutes = requiredInteger(requiredStructure(input, "SSOSession"), "MaxValidityMinutes", "sSOSession.maxValidityMinutes", 0, 129_600);
      requireTier(pool, "ESSENTIALS", SESSION_TRACKING_FEATURE);
      requireSessionTracking(ctx, pool);
      const config: ClientSessionConfiguration = { SSOSession: { MaxValidityMinutes: minutes } };
      putClientSessionConfiguration(ctx, pool.Id, client.ClientId, config);
      return { UserPoolId: pool.Id, ClientId: client.ClientId, ...config };
    },
  };
}

function requiredStructure(input: Input, member: string): Input {
  const value = optionalObject(input, member);
  if (!value) throw errors.missingMember(member);
  return value;
}

function requiredInteger(input: Input, member: string, path: string, min: number, max: number): number {
  const value = input[member];
  if (value === undefined || value === null) throw errors.invalidParameter(`1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`);
  if (typeof value !== "number" || !Number.isInteger(value)) throw errors.invalidParameter(`${member} must be an integer.`);
  if (value < min) throw constraintError(value, path, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw constraintError(value, path, `Member must have value less than or equal to ${max}`);
  return value;
}

