// The first factors a pool lets its users sign in with (Policies.SignInPolicy.AllowedFirstAuthFactors: PASSWORD,
// EMAIL_OTP, SMS_OTP, WEB_AUTHN), checked as Create/UpdateUserPool check them, and the feature plan they need:
// passwordless factors and passkeys need ESSENTIALS or PLUS (registered with tiers.ts, which refuses them on LITE and
// refuses a move to LITE while a pool allows them).
import * as errors from "../errors";
import { optionalObject, type Input } from "../input";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import { clientAllowsFlow } from "../operations/app-clients";
import type { CognitoState } from "../state";
import { poolTier, registerTierFeature } from "../tiers";

export const FIRST_AUTH_FACTORS = ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"] as const;
export type FirstAuthFactor = (typeof FIRST_AUTH_FACTORS)[number];
export type PasswordlessFactor = Exclude<FirstAuthFactor, "PASSWORD">;

/** AuthFactorType as the API knows it; SOFTWARE_TOKEN exists but is no first factor. */
const AUTH_FACTOR_TYPES = [...FIRST_AUTH_FACTORS, "SOFTWARE_TOKEN"];

/** AWS's names of the features, as FeatureUnavailableInTierException lists them. */
export const PASSWORDLESS_FEATURE = "Passwordless";
export const PASSKEY_FEATURE = "Passkey";

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
 * previous one. (The plan the factors need is checked by tiers.ts's checkTierChange, with the features registered below.)
 */
export function signInPolicySettings(input: Input, previous: Pick<UserPoolRecord, "settings"> | undefined): Record<string, unknown> {
  const policies = optionalObject(input, "Policies");
  const given = policies ? optionalObject(policies, "SignInPolicy") : undefined;
  const factors = given ? readFactors(given) : previous ? allowedFirstFactors(previous) : ["PASSWORD" as const];
  return given || previous?.settings.SignInPolicy ? { SignInPolicy: { AllowedFirstAuthFactors: factors } } : {};
}

/** Registers passwordless sign-in (one-time codes) and passkeys as features of the ESSENTIALS plan, in use when allowed. */
export function registerSignInTierFeatures(state: CognitoState): void {
  registerTierFeature(state, { name: PASSWORDLESS_FEATURE, minimum: "ESSENTIALS", inUse: (_id, pool) => poolAllows(pool, "EMAIL_OTP") || poolAllows(pool, "SMS_OTP") });
  registerTierFeature(state, { name: PASSKEY_FEATURE, minimum: "ESSENTIALS", inUse: (_id, pool) => poolAllows(pool, "WEB_AUTHN") });
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
  if (!clientAllowsFlow(client, "USER_AUTH") || !usable || poolTier(pool) === "LITE") {
    throw errors.invalidParameter("Password is required: the user pool and app client allow no passwordless sign-in with this user's attributes.");
  }
}
