// Email MFA (EMAIL_OTP): the pool's EmailMfaConfiguration (Message with its {####} code placeholder, Subject) as
// SetUserPoolMfaConfig stores it and GetUserPoolMfaConfig returns it, the user's EmailMfaSettings
// (Set/AdminSetUserMFAPreference), and whether a user can be challenged with a code by email.
import * as errors from "../errors";
import type { Input } from "../input";
import type { UserPoolRecord, UserRecord } from "../model";

/** AWS's defaults when EmailMfaConfiguration leaves Message or Subject out. */
const DEFAULT_MESSAGE = "Your verification code is {####}.";
const DEFAULT_SUBJECT = "Your verification code";

/** The settings entry SetUserPoolMfaConfig keeps for an EmailMfaConfiguration, checked as AWS checks it. */
export function emailMfaSettings(config: Input | undefined): Record<string, unknown> {
  if (!config) return {};
  const { Message, Subject } = config;
  if (Message !== undefined && (typeof Message !== "string" || Message.length < 6 || Message.length > 20000 || !Message.includes("{####}"))) {
    throw errors.invalidParameter("EmailMfaConfiguration.Message must be 6 to 20000 characters and contain the {####} code placeholder.");
  }
  if (Subject !== undefined && (typeof Subject !== "string" || Subject.length < 1 || Subject.length > 140)) {
    throw errors.invalidParameter("EmailMfaConfiguration.Subject must be 1 to 140 characters.");
  }
  return { EmailMfaConfiguration: { Message: Message ?? DEFAULT_MESSAGE, Subject: Subject ?? DEFAULT_SUBJECT } };
}

/** GetUserPoolMfaConfig's EmailMfaConfiguration. */
export function emailMfaConfiguration(pool: UserPoolRecord): { Message: string; Subject: string } {
  const stored = pool.settings.EmailMfaConfiguration as { Message?: string; Subject?: string } | undefined;
  return { Message: stored?.Message ?? DEFAULT_MESSAGE, Subject: stored?.Subject ?? DEFAULT_SUBJECT };
}

/** A user can get an EMAIL_OTP challenge: the pool offers email MFA, the user has an email and turned it on (or MFA is ON). */
export function emailMfaUsable(pool: UserPoolRecord, user: UserRecord): boolean {
  return pool.emailMfaEnabled && !!user.attributes.email && (user.mfa.emailEnabled || pool.mfaConfiguration === "ON");
}

/** Applies EmailMfaSettings {Enabled, PreferredMfa} of Set/AdminSetUserMFAPreference to `mfa` (in place). */
export function applyEmailMfaSettings(pool: UserPoolRecord, user: UserRecord, mfa: UserRecord["mfa"], settings: Input | undefined): void {
  if (!settings) return;
  if (settings.Enabled === true) {
    if (!pool.emailMfaEnabled) throw errors.invalidParameter("Email MFA is not enabled for the user pool.");
    if (!user.attributes.email) throw errors.invalidParameter("User does not have an email address for email MFA.");
  }
  if (typeof settings.Enabled === "boolean") mfa.emailEnabled = settings.Enabled;
  if (settings.PreferredMfa === true) mfa.preferred = "EMAIL_OTP";
  else if (mfa.preferred === "EMAIL_OTP" && (settings.PreferredMfa === false || settings.Enabled === false)) mfa.preferred = undefined;
}
