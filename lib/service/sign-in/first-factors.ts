// The first factors a pool lets its users sign in with (Policies.SignInPolicy.AllowedFirstAuthFactors: PASSWORD,
// EMAIL_OTP, SMS_OTP, WEB_AUTHN), checked as Create/UpdateUserPool check them, and the feature plan they need:
// passwordless factors and passkeys need ESSENTIALS or PLUS.
import * as errors from "../errors";
import { optionalObject, type Input } from "../input";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import { clientAllowsFlow } from "../operations/app-clients";

export const FIRST_AUTH_FACTORS = ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"] as const;
export type FirstAuthFactor = (typeof FIRST_AUTH_FACTORS)[number];
export type PasswordlessFactor = Exclude<FirstAuthFactor, "PASSWORD">;

/** AuthFactorType as the API knows it; SOFTWARE_TOKEN exists but is no first factor. */
const AUTH_FACTOR_TYPES = [...FIRST_AUTH_FACTORS, "SOFTWARE_TOKEN"];

/** AWS's names of the features, as FeatureUnavailableInTierException lists them. */
const FEATURE_NAMES: Record<PasswordlessFactor, string> = { EMAIL_OTP: "Passwordless", SMS_OTP: "Passwordless", WEB_AUTHN: "Passkey" };

/** The pool's allowed first factors (PASSWORD only, until SignInPolicy says more). */
export function allowedFirstFactors(pool: Pick<UserPoolRecord, "settings">): FirstAuthFactor[] {
  const policy = pool.settings.SignInPolicy as { AllowedFirstAuthFactors?: FirstAuthFactor[] } | undefined;
  return policy?.AllowedFirstAuthFactors ?? ["PASSWORD"];
}

export function poolAllows(pool: Pick<UserPoolRecord, "settings">, factor: FirstAuthFactor): boolean {
  return allowedFirstFactors(pool).includes(factor);
}

/**
 * The SignInPolicy settings entry for a Create/UpdateUserPool input: the given Policies.SignInPolicy, checked, or the
 * previous one. `tier` is the plan the pool has after the call; passwordless factors on LITE are refused.
 */
export function signInPolicySettings(input: Input, previous: Pick<UserPoolRecord, "settings"> | undefined, tier: string): Record<string, unknown> {
  const policies = optionalObject(input, "Policies");
  const given = policies ? optionalObject(policies, "SignInPolicy") : undefined;
  const factors = given ? readFactors(given) : previous ? allowedFirstFactors(previous) : ["PASSWORD" as const];
  const passwordless = factors.filter((f): f is PasswordlessFactor => f !== "PASSWORD");
  // TODO(tiers.ts): use requireTier from lib/service/tiers.ts (branch ops-settings) once merged; same rule and message.
  if (tier === "LITE" && passwordless.length > 0) {
    const features = [...new Set(passwordless.map((f) => FEATURE_NAMES[f]))];
    throw featureUnavailableInTier(`The following features need to be disabled for the LITE pricing tier configured: ${features.join(", ")}`);
  }
  return given || previous?.settings.SignInPolicy ? { SignInPolicy: { AllowedFirstAuthFactors: factors } } : {};
}

function readFactors(policy: Input): FirstAuthFactor[] {
  const raw = policy.AllowedFirstAuthFactors;
  if (raw === undefined) return ["PASSWORD"];
  if (!Array.isArray(raw) || raw.some((f) => typeof f !== "string")) throw errors.invalidParameter("AllowedFirstAuthFactors must be a list of strings.");
  for (const factor of raw as string[]) {
    if (!AUTH_FACTOR_TYPES.includes(factor)) {
      throw errors.invalidParameter(`1 validation error detected: Value '[${(raw as string[]).join(", ")}]' at 'policies.signInPolicy.allowedFirstAuthFactors' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${AUTH_FACTOR_TYPES.join(", ")}]]`);
    }
    if (factor === "SOFTWARE_TOKEN") throw errors.invalidParameter("SOFTWARE_TOKEN is not supported as a first auth factor.");
  }
  const factors = FIRST_AUTH_FACTORS.filter((f) => (raw as string[]).includes(f));
  if (!factors.includes("PASSWORD")) throw errors.invalidParameter("PASSWORD must be one of the AllowedFirstAuthFactors.");
  return factors;
}

// TODO(tiers.ts): errors.featureUnavailableInTier comes with lib/service/tiers.ts (branch ops-settings).
const featureUnavailableInTier = (message: string) => new errors.CognitoError("FeatureUnavailableInTierException", message);

/** The pool's plan (UserPoolTier as stored; ESSENTIALS when unset, AWS's default for new pools). TODO(tiers.ts): poolTier. */
export function tierOf(pool: Pick<UserPoolRecord, "settings">): string {
  return typeof pool.settings.UserPoolTier === "string" ? pool.settings.UserPoolTier : "ESSENTIALS";
}

/** The attribute a one-time code factor sends its code to. */
export const OTP_ATTRIBUTE = { EMAIL_OTP: "email", SMS_OTP: "phone_number" } as const;

/**
 * SignUp without a password: allowed when the app client allows USER_AUTH and the pool allows a one-time code factor
 * whose attribute the user gives and the pool verifies on sign-up (so the confirmation code proves it). Otherwise
 * InvalidParameterException, and nothing is stored.
 */
export function checkPasswordlessSignUp(pool: UserPoolRecord, client: AppClientRecord, user: UserRecord): void {
  const usable = (["EMAIL_OTP", "SMS_OTP"] as const).some((factor) => {
    const attribute = OTP_ATTRIBUTE[factor];
    return poolAllows(pool, factor) && user.attributes[attribute] !== undefined && pool.autoVerifiedAttributes.includes(attribute);
  });
  if (!clientAllowsFlow(client, "USER_AUTH") || !usable || tierOf(pool) === "LITE") {
    throw errors.invalidParameter("Password is required: the user pool and app client allow no passwordless sign-in with this user's attributes.");
  }
}
