// The MFA step of a sign-in: which challenge follows a correct first factor (SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP,
// SELECT_MFA_TYPE, MFA_SETUP), how each is answered, and the count of wrong codes that ends a session.
import { MAX_CHALLENGE_FAILURES, type ChallengeName, type ChallengeSession } from "../challenge-sessions";
import type { ServiceContext } from "../context";
import * as errors from "../errors";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import { recordFailedSignIn, type SignInSubject } from "../sign-in-failures";
import { matchingTotpStep } from "../totp";
import { runCustomMessage } from "../trigger-hooks";
import { emailMfaUsable } from "./email-mfa";

type MfaMethod = "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP";

/** The MFA methods a user can be challenged with right now. */
export function usableMethods(pool: UserPoolRecord, user: UserRecord): MfaMethod[] {
  const methods: MfaMethod[] = [];
  if (pool.smsMfaEnabled && user.attributes.phone_number && (user.mfa.smsEnabled || pool.mfaConfiguration === "ON")) methods.push("SMS_MFA");
  // A verified token counts once the user turned it on, or whenever the pool requires MFA; it keeps working after the
  // pool stops offering software tokens (as AWS documents).
  if (user.mfa.totpSecret && (user.mfa.softwareTokenEnabled || pool.mfaConfiguration === "ON")) methods.push("SOFTWARE_TOKEN_MFA");
  if (emailMfaUsable(pool, user)) methods.push("EMAIL_OTP");
  return methods;
}

/** The MFA challenge that follows a correct first factor, or undefined when the user signs in without one. */
export async function mfaChallengeAfterFirstFactor(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, clientMetadata?: Record<string, string>,
): Promise<Record<string, unknown> | undefined> {
  if (pool.mfaConfiguration === "OFF") return undefined;
  const methods = usableMethods(pool, user);
  if (methods.length === 0) {
    if (pool.mfaConfiguration !== "ON") return undefined;
    const canSetUp = pool.softwareTokenMfaEnabled ? ["SOFTWARE_TOKEN_MFA"] : [];
    if (canSetUp.length === 0) throw errors.invalidParameter("MFA is required, but the user has no MFA method and none can be set up.");
    return challenge(ctx, pool, client, user, "MFA_SETUP", { MFAS_CAN_SETUP: JSON.stringify(canSetUp) });
  }
  const preferred = user.mfa.preferred && methods.includes(user.mfa.preferred as MfaMethod) ? (user.mfa.preferred as MfaMethod) : undefined;
  if (!preferred && methods.length > 1) return challenge(ctx, pool, client, user, "SELECT_MFA_TYPE", { MFAS_CAN_CHOOSE: JSON.stringify(methods) });
  return methodChallenge(ctx, pool, client, user, preferred ?? methods[0], clientMetadata);
}

/** The challenge of one MFA method; an SMS or email code's text is written by CustomMessage (`CustomMessage_Authentication`). */
async function methodChallenge(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, method: MfaMethod, clientMetadata?: Record<string, string>,
) {
  const message = method === "SOFTWARE_TOKEN_MFA" ? undefined : await runCustomMessage(ctx, pool, "Authentication", user, client.ClientId, clientMetadata);
  if (method === "SMS_MFA") {
    const delivery = ctx.issueCode(pool, user, "MFA", "phone_number", message);
    return challenge(ctx, pool, client, user, "SMS_MFA", { CODE_DELIVERY_DELIVERY_MEDIUM: delivery.DeliveryMedium, CODE_DELIVERY_DESTINATION: delivery.Destination });
  }
  if (method === "EMAIL_OTP") {
    const delivery = ctx.issueCode(pool, user, "MFA", "email", message);
    return challenge(ctx, pool, client, user, "EMAIL_OTP", { CODE_DELIVERY_DELIVERY_MEDIUM: delivery.DeliveryMedium, CODE_DELIVERY_DESTINATION: delivery.Destination });
  }
  return challenge(ctx, pool, client, user, "SOFTWARE_TOKEN_MFA", {});
}

function challenge(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, name: ChallengeName, parameters: Record<string, string>) {
  const session = ctx.challenges.open({ challenge: name, userPoolId: pool.Id, clientId: client.ClientId, username: user.username });
  return { ChallengeName: name, Session: session, ChallengeParameters: { USER_ID_FOR_SRP: user.username, ...parameters } };
}

/**
 * Counts a wrong code (MFA, or a one-time code first factor) against the sign-in session (and the user's failed sign-ins): after a few the session is
 * over, so a code cannot be guessed by trying them all. Returns the error to throw.
 */
export function wrongCode(ctx: ServiceContext, subject: SignInSubject, session: ChallengeSession, sessionToken: string, error: Error): Error {
  recordFailedSignIn(ctx, subject);
  const failedAttempts = (session.failedAttempts ?? 0) + 1;
  if (failedAttempts >= MAX_CHALLENGE_FAILURES) {
    ctx.challenges.close(sessionToken);
    return errors.notAuthorized("Invalid session for the user, session is expired.");
  }
  ctx.challenges.update(sessionToken, { ...session, failedAttempts });
  return error;
}

/** Answers an MFA challenge: either the user is through (tokens follow) or another challenge comes next. */
export async function answerMfaChallenge(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, session: ChallengeSession, sessionToken: string,
  challengeName: string, responses: Record<string, string>, clientMetadata?: Record<string, string>,
): Promise<{ user: UserRecord } | { next: Record<string, unknown> }> {
  switch (challengeName) {
    case "SMS_MFA": {
      const code = responses.SMS_MFA_CODE;
      if (!code) throw errors.invalidParameter("Missing required parameter SMS_MFA_CODE");
      ctx.consumeCode(pool, user, "MFA", code);
      ctx.challenges.close(sessionToken);
      return { user };
    }
    case "SOFTWARE_TOKEN_MFA": {
      const code = responses.SOFTWARE_TOKEN_MFA_CODE;
      if (!code) throw errors.invalidParameter("Missing required parameter SOFTWARE_TOKEN_MFA_CODE");
      const step = user.mfa.totpSecret ? matchingTotpStep(user.mfa.totpSecret, code, new Date(ctx.nowMs())) : undefined;
      if (step === undefined || (user.mfa.lastTotpStep !== undefined && step <= user.mfa.lastTotpStep)) {
        throw wrongCode(ctx, { pool, user }, session, sessionToken, errors.codeMismatch("Invalid code received for user"));
      }
      const updated: UserRecord = { ...user, mfa: { ...user.mfa, lastTotpStep: step } };
      ctx.state.putUser(pool, updated);
      ctx.challenges.close(sessionToken);
      return { user: updated };
    }
    case "EMAIL_OTP": {
      const code = responses.EMAIL_OTP_CODE;
      if (!code) throw errors.invalidParameter("Missing required parameter EMAIL_OTP_CODE");
      ctx.consumeCode(pool, user, "MFA", code);
      ctx.challenges.close(sessionToken);
      return { user };
    }
    case "SELECT_MFA_TYPE": {
      const answer = responses.ANSWER;
      const methods = usableMethods(pool, user);
      if (answer !== "SMS_MFA" && answer !== "SOFTWARE_TOKEN_MFA" && answer !== "EMAIL_OTP") throw errors.invalidParameter("ANSWER must be SMS_MFA, SOFTWARE_TOKEN_MFA or EMAIL_OTP");
      if (!methods.includes(answer)) throw errors.mfaMethodNotFound(`${answer} is not enabled for the user.`);
      const next = await methodChallenge(ctx, pool, client, user, answer, clientMetadata);
      ctx.challenges.close(sessionToken);
      return { next };
    }
    case "MFA_SETUP": {
      if (!session.totpVerified || !session.pendingTotpSecret) throw errors.invalidParameter("Software token MFA has not been verified for this session.");
      const updated: UserRecord = {
        ...user,
        mfa: { ...user.mfa, totpSecret: session.pendingTotpSecret, pendingTotpSecret: undefined, softwareTokenEnabled: true, preferred: user.mfa.preferred ?? "SOFTWARE_TOKEN_MFA" },
        lastModifiedAt: ctx.now(),
      };
      ctx.state.putUser(pool, updated);
      ctx.challenges.close(sessionToken);
      return { user: updated };
    }
    default:
      throw errors.invalidParameter(`Unsupported challenge ${challengeName}`);
  }
}

