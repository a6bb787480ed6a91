// Software-token MFA (AssociateSoftwareToken / VerifySoftwareToken / SOFTWARE_TOKEN_MFA): TOTP secrets and
// codes as authenticator apps use them (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps), built on otpauth.

import { Secret, TOTP } from "otpauth";

/** Seconds per TOTP time step. */
export const TOTP_PERIOD_SECONDS = 30;
/** Digits per code. */
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one (clock drift between phone and server). */
export const TOTP_WINDOW_STEPS = 1;
/** Secret size: 160 bits (RFC 4226's recommendation), which is exactly 32 base32 characters. */
const SECRET_BYTES = 20;

const CODE_PATTERN = new RegExp(`^[0-9]{${TOTP_DIGITS}}$`);
const BASE32_PATTERN = /^[A-Z2-7]+=*$/;

function totpFor(secretBase32: string): TOTP {
  return new TOTP({
    secret: Secret.fromBase32(secretBase32),
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

/** A fresh random secret, as AssociateSoftwareToken's SecretCode: 32 upper-case base32 characters. */
export function generateTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** True when `secret` looks like a base32 secret this module can use (upper-case, optional padding). */
export function isTotpSecret(secret: string): boolean {
  return typeof secret === "string" && secret.length >= 16 && BASE32_PATTERN.test(secret);
}

/** The time step (counter) a moment falls in: floor(unix seconds / 30). */
export function totpStep(now: Date = new Date()): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code an authenticator app shows at `now` (for tests and local tools). */
export function currentTotpCode(secretBase32: string, now: Date = new Date()): string {
  return totpFor(secretBase32).generate({ timestamp: now.getTime() });
}

/**
 * The time step a code belongs to when it is valid at `now` within ±1 step, otherwise undefined. Callers
 * that must refuse a replayed code remember the step of the last accepted code and refuse steps not after it.
 * Malformed codes or secrets give undefined.
 */
export function matchingTotpStep(secretBase32: string, code: string, now: Date = new Date()): number | undefined {
  if (typeof code !== "string" || !CODE_PATTERN.test(code) || !isTotpSecret(secretBase32)) return undefined;
  try {
    const delta = totpFor(secretBase32).validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW_STEPS });
    return delta === null ? undefined : totpStep(now) + delta;
  } catch {
    return undefined;
  }
}

/** True when `code` is the secret's code for the current step or one step either side. */
export function totpCodeMatches(secretBase32: string, code: string, now: Date = new Date()): boolean {
  return matchingTotpStep(secretBase32, code, now) !== undefined;
}

/**
 * The otpauth:// URI authenticator apps import (usually as a QR code), e.g.
 * `otpauth://totp/MyApp:alice?issuer=MyApp&secret=...&algorithm=SHA1&digits=6&period=30`.
 */
export function totpProvisioningUri(secretBase32: string, accountName: string, issuer = ""): string {
  const totp = new TOTP({
    issuer,
    label: accountName,
    secret: Secret.fromBase32(secretBase32),
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
  return totp.toString();
}
