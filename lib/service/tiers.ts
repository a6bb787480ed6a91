// User pool feature plans (UserPoolTier: LITE, ESSENTIALS, PLUS): a pool's plan, the check that refuses a feature
// above it with AWS's FeatureUnavailableInTierException, and the features in use that keep a pool from moving to a
// plan without them. AWS's message names the pool's plan and the features, e.g. "The following features need to be
// disabled for the ESSENTIALS pricing tier configured: Threat Protection".
import * as errors from "./errors";
import { optionalString, type Input } from "./input";
import type { UserPoolRecord } from "./model";
import type { CognitoState } from "./state";
import { enumMember } from "./validation";

export const USER_POOL_TIERS = ["LITE", "ESSENTIALS", "PLUS"] as const;
export type UserPoolTier = (typeof USER_POOL_TIERS)[number];

/** The plan of a pool created without one (AWS's default for new pools). */
export const DEFAULT_USER_POOL_TIER: UserPoolTier = "ESSENTIALS";

const isTier = (value: unknown): value is UserPoolTier => (USER_POOL_TIERS as readonly unknown[]).includes(value);

/** A pool's feature plan. */
export function poolTier(pool: Pick<UserPoolRecord, "settings">): UserPoolTier {
  const tier = pool.settings.UserPoolTier;
  return isTier(tier) ? tier : DEFAULT_USER_POOL_TIER;
}

/** Whether plan `tier` includes what plan `minimum` includes. */
export function tierIncludes(tier: UserPoolTier, minimum: UserPoolTier): boolean {
  return USER_POOL_TIERS.indexOf(tier) >= USER_POOL_TIERS.indexOf(minimum);
}

/** AWS's refusal of features that plan `tier` lacks. */
export function tierRefusal(tier: UserPoolTier, features: readonly string[]): errors.CognitoError {
  return errors.featureUnavailableInTier(`The following features need to be disabled for the ${tier} pricing tier configured: ${features.join(", ")}`);
}

/** Refuses `feature` (AWS's feature name, e.g. "Threat Protection") unless the pool's plan is at least `minimum`. */
export function requireTier(pool: Pick<UserPoolRecord, "settings">, minimum: UserPoolTier, feature: string): void {
  const tier = poolTier(pool);
  if (!tierIncludes(tier, minimum)) throw tierRefusal(tier, [feature]);
}

/** The `UserPoolTier` member of CreateUserPool / UpdateUserPool, validated against AWS's enum. */
export function readUserPoolTier(input: Input): UserPoolTier | undefined {
  const value = optionalString(input, "UserPoolTier");
  return value === undefined ? undefined : enumMember(value, USER_POOL_TIERS, "userPoolTier");
}

/** A feature of a plan above LITE that a pool may have turned on (a module registers the ones it keeps). */
export interface TierFeature {
  /** AWS's name of the feature, as FeatureUnavailableInTierException lists it. */
  name: string;
  /** The lowest plan that includes it. */
  minimum: UserPoolTier;
  /** Whether the pool uses it: `pool` is the pool as it is to be (after the Create/UpdateUserPool being checked). */
  inUse(poolId: string, pool: UserPoolRecord): boolean;
}

const featuresOfState = new WeakMap<CognitoState, Map<string, TierFeature>>();

/** Registers a feature (once per state and name) that a change of plan must check. */
export function registerTierFeature(state: CognitoState, feature: TierFeature): void {
  let features = featuresOfState.get(state);
  if (!features) featuresOfState.set(state, (features = new Map()));
  features.set(feature.name, feature);
}

/**
 * Refuses plan `tier` for `pool` (as Create/UpdateUserPool is about to store it) while the pool uses features that plan
 * lacks, as AWS does: a move to a lower plan, or a feature turned on above the plan.
 */
export function checkTierChange(state: CognitoState, pool: UserPoolRecord, tier: UserPoolTier): void {
  const blocking = [...(featuresOfState.get(state)?.values() ?? [])].filter((f) => !tierIncludes(tier, f.minimum) && f.inUse(pool.Id, pool));
  if (blocking.length > 0) throw tierRefusal(tier, blocking.map((f) => f.name));
}
