// The one place that decides what comes next in a sign-in once a factor has been checked: the user's status (not
// confirmed, reset required, a temporary password to change), MFA unless a remembered device stands in for it, a
// custom-auth sign-in's DefineAuthChallenge, then PostAuthentication and how the sign-in ends (tokens, a device
// challenge, or the hosted page's own finish).
import type { ServiceContext } from "../context";
import * as errors from "../errors";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import { issueTokens } from "../sessions";
import { recordFailedSignIn, recordSuccessfulSignIn } from "../sign-in-failures";
import { runPostAuthentication, type TokenSource } from "../trigger-hooks";
import { continueAfterPassword } from "./custom";
import { carryDeviceKey, deviceForSignIn, deviceSkipsMfa, finishSignIn } from "./device";
import { mfaChallengeAfterFirstFactor } from "./mfa";
import { openNewPasswordChallenge } from "./new-password";
import type { PasswordClaim } from "./password-srp";
import type { AuthResponse, SignInFinish } from "./types";

/** A sign-in that succeeded outside the device-aware path: PostAuthentication, then tokens. */
async function completeSignIn(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, source: TokenSource, clientMetadata?: Record<string, string>,
): Promise<AuthResponse> {
  await runPostAuthentication(ctx, pool, user, client.ClientId, clientMetadata);
  return { ChallengeParameters: {}, AuthenticationResult: await issueTokens(ctx, pool, client, user, undefined, undefined, undefined, undefined, { source, clientMetadata }) };
}

/** After the first factor (password, SRP proof, new password) checks out: statuses, forced password change, MFA, or the end. */
export async function afterFirstFactor(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, deviceKey?: string, source: TokenSource = "Authentication",
  clientMetadata?: Record<string, string>, finish?: SignInFinish,
): Promise<AuthResponse> {
  switch (user.status) {
    case "UNCONFIRMED":
      throw errors.userNotConfirmed("User is not confirmed.");
    case "RESET_REQUIRED":
      throw errors.passwordResetRequired("Password reset required for the user");
    case "FORCE_CHANGE_PASSWORD":
      return openNewPasswordChallenge(ctx, pool, client, user);
    default:
      break;
  }
  const mfa = deviceSkipsMfa(ctx, pool, user, deviceKey) ? undefined : await mfaChallengeAfterFirstFactor(ctx, pool, client, user, clientMetadata);
  if (mfa) return carryDeviceKey(ctx, mfa, deviceKey);
  if (finish) {
    await runPostAuthentication(ctx, pool, user, client.ClientId, clientMetadata);
    return finish(user);
  }
  if (source !== "Authentication") return completeSignIn(ctx, pool, client, user, source, clientMetadata);
  await runPostAuthentication(ctx, pool, user, client.ClientId, clientMetadata);
  return finishSignIn(ctx, pool, client, user, deviceKey);
}

/** After a one-time code or passkey first factor (USER_AUTH): the device it names, then as after any first factor. */
export function afterOneTimeFirstFactor(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, deviceKey: string | undefined,
  clientMetadata: Record<string, string> | undefined, finish?: SignInFinish,
): Promise<AuthResponse> {
  deviceForSignIn(ctx, pool, user, deviceKey);
  return afterFirstFactor(ctx, pool, client, user, deviceKey, "Authentication", clientMetadata, finish);
}

/** After a PASSWORD_VERIFIER answer: a custom-auth sign-in asks DefineAuthChallenge; otherwise the password decides. */
export function afterPasswordClaim(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, claim: PasswordClaim, deviceKey: string | undefined,
  clientMetadata: Record<string, string> | undefined,
): Promise<AuthResponse> {
  const { proven, user, subject, custom } = claim;
  if (custom && (user || custom.userNotFound)) {
    // Inside a custom-auth sign-in, DefineAuthChallenge decides what a right or wrong password leads to; for an
    // unknown name too (with userNotFound), so that it answers as it would a real user's wrong password.
    if (proven && user) recordSuccessfulSignIn(ctx, subject);
    else recordFailedSignIn(ctx, subject);
    return continueAfterPassword(ctx, pool, client, user, custom, proven && user !== undefined);
  }
  if (!proven || !user) {
    recordFailedSignIn(ctx, subject);
    throw errors.incorrectCredentials();
  }
  if (!user.enabled) throw errors.notAuthorized("User is disabled.");
  recordSuccessfulSignIn(ctx, subject);
  return afterFirstFactor(ctx, pool, client, user, deviceKey, "Authentication", clientMetadata);
}

/** After the last challenge (MFA) is answered: PostAuthentication, then the end (tokens or a device challenge). */
export async function afterLastChallenge(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, sessionToken: string, deviceKey: string | undefined,
  clientMetadata: Record<string, string> | undefined, finish?: SignInFinish,
): Promise<AuthResponse> {
  await runPostAuthentication(ctx, pool, user, client.ClientId, clientMetadata);
  if (finish) {
    ctx.challenges.close(sessionToken);
    return finish(user);
  }
  return finishSignIn(ctx, pool, client, user, deviceKey, sessionToken);
}
