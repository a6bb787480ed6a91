// Multi-factor sign-in: which MFA challenge follows a correct password (SMS_MFA, SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE,
// MFA_SETUP), how each is answered, and the operations that set MFA up (AssociateSoftwareToken, VerifySoftwareToken,
// SetUserMFAPreference, AdminSetUserMFAPreference, SetUserSettings, AdminSetUserSettings).
import { MAX_CHALLENGE_FAILURES, type ChallengeName, type ChallengeSession } from "../challenge-sessions";
import * as errors from "../errors";
import { optionalObject, optionalString, requiredString, type Input } from "../input";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { verifyAccessToken } from "../sessions";
import { recordFailedSignIn } from "../sign-in-failures";
import { generateTotpSecret, matchingTotpStep, totpCodeMatches } from "../totp";
import { runCustomMessage } from "../trigger-hooks";
import { applyEmailMfaSettings, emailMfaUsable } from "./email-mfa";

type MfaMethod = "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP";

/** The MFA methods a user can be challenged with right now. */
function usableMethods(pool: UserPoolRecord, user: UserRecord): MfaMethod[] {
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
 * Counts a wrong MFA code against the sign-in session (and the user's failed sign-ins): after a few the session is
 * over, so a code cannot be guessed by trying them all. Returns the error to throw.
 */
function wrongCode(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord, session: ChallengeSession, sessionToken: string, error: Error): Error {
  recordFailedSignIn(ctx, { pool, user });
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
        throw wrongCode(ctx, pool, user, session, sessionToken, errors.codeMismatch("Invalid code received for user"));
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

export function mfaOperations(ctx: ServiceContext): OperationTable {
  /** The user an MFA set-up call is for: from its AccessToken, or from an MFA_SETUP sign-in Session. */
  const subject = (input: Input) => {
    const accessToken = optionalString(input, "AccessToken");
    if (accessToken) {
      const { pool, user } = verifyAccessToken(ctx, accessToken);
      return { pool, user, sessionToken: undefined, session: undefined };
    }
    const sessionToken = optionalString(input, "Session");
    const session = ctx.challenges.find(sessionToken);
    if (!session || session.challenge !== "MFA_SETUP") throw errors.notAuthorized("Invalid session for the user, session is expired.");
    const pool = ctx.requirePool(session.userPoolId);
    const user = ctx.state.userByUsername(pool, session.username);
    if (!user) throw errors.notAuthorized("Invalid session for the user.");
    return { pool, user, sessionToken: sessionToken!, session };
  };

  const setPreference = (pool: UserPoolRecord, user: UserRecord, input: Input) => {
    const sms = optionalObject(input, "SMSMfaSettings");
    const totp = optionalObject(input, "SoftwareTokenMfaSettings");
    const mfa = { ...user.mfa };
    if (totp) {
      if (totp.Enabled === true && !mfa.totpSecret) throw errors.invalidParameter("User has not verified software token mfa");
      if (typeof totp.Enabled === "boolean") mfa.softwareTokenEnabled = totp.Enabled;
      if (totp.PreferredMfa === true) mfa.preferred = "SOFTWARE_TOKEN_MFA";
      else if (mfa.preferred === "SOFTWARE_TOKEN_MFA" && (totp.PreferredMfa === false || totp.Enabled === false)) mfa.preferred = undefined;
    }
    if (sms) {
      if (sms.Enabled === true && !user.attributes.phone_number) throw errors.invalidParameter("User does not have a phone number for SMS MFA.");
      if (typeof sms.Enabled === "boolean") mfa.smsEnabled = sms.Enabled;
      if (sms.PreferredMfa === true) mfa.preferred = "SMS_MFA";
      else if (mfa.preferred === "SMS_MFA" && (sms.PreferredMfa === false || sms.Enabled === false)) mfa.preferred = undefined;
    }
    applyEmailMfaSettings(pool, user, mfa, optionalObject(input, "EmailMfaSettings"));
    ctx.state.putUser(pool, { ...user, mfa, lastModifiedAt: ctx.now() });
    return {};
  };

  const setSmsSettings = (pool: UserPoolRecord, user: UserRecord, input: Input) => {
    const options = input.MFAOptions;
    if (!Array.isArray(options)) throw errors.invalidParameter("MFAOptions must be a list.");
    const sms = options.some((o) => o && typeof o === "object" && (o as Record<string, unknown>).DeliveryMedium === "SMS");
    if (sms && !user.attributes.phone_number) throw errors.invalidParameter("User does not have a phone number for SMS MFA.");
    ctx.state.putUser(pool, { ...user, mfa: { ...user.mfa, smsEnabled: sms, preferred: sms ? user.mfa.preferred : user.mfa.preferred === "SMS_MFA" ? undefined : user.mfa.preferred }, lastModifiedAt: ctx.now() });
    return {};
  };

  /** AWS refuses to associate or verify software tokens in a pool that does not offer them. */
  const requireSoftwareTokens = (pool: UserPoolRecord) => {
    if (!pool.softwareTokenMfaEnabled) throw errors.softwareTokenMfaNotFound("Software Token MFA has not been enabled by the userPool.");
  };

  return {
    AssociateSoftwareToken(input) {
      const { pool, user, sessionToken, session } = subject(input);
      requireSoftwareTokens(pool);
      const secret = generateTotpSecret();
      if (session && sessionToken) {
        ctx.challenges.update(sessionToken, { ...session, pendingTotpSecret: secret, totpVerified: false });
        return { SecretCode: secret, Session: sessionToken };
      }
      ctx.state.putUser(pool, { ...user, mfa: { ...user.mfa, pendingTotpSecret: secret }, lastModifiedAt: ctx.now() });
      return { SecretCode: secret };
    },
    VerifySoftwareToken(input) {
      const code = requiredString(input, "UserCode");
      const { pool, user, sessionToken, session } = subject(input);
      requireSoftwareTokens(pool);
      const pending = session ? session.pendingTotpSecret : user.mfa.pendingTotpSecret;
      if (!pending) throw errors.invalidParameter("Software token has not been associated with the user; call AssociateSoftwareToken first.");
      if (!/^[0-9]{6}$/.test(code) || !totpCodeMatches(pending, code, new Date(ctx.nowMs()))) {
        const mismatch = errors.enableSoftwareTokenMfa("Code mismatch and fail enable Software Token MFA");
        throw session && sessionToken ? wrongCode(ctx, pool, user, session, sessionToken, mismatch) : mismatch;
      }
      if (session && sessionToken) {
        // As on AWS, the verified token is the user's from now on (a new sign-in gets SOFTWARE_TOKEN_MFA), whether or
        // not the client goes on to answer MFA_SETUP with the Session returned here.
        ctx.state.putUser(pool, {
          ...user,
          mfa: { ...user.mfa, totpSecret: pending, pendingTotpSecret: undefined, softwareTokenEnabled: true, preferred: user.mfa.preferred ?? "SOFTWARE_TOKEN_MFA" },
          lastModifiedAt: ctx.now(),
        });
        ctx.challenges.update(sessionToken, { ...session, totpVerified: true });
        return { Status: "SUCCESS", Session: sessionToken };
      }
      // Verified, not yet turned on: SetUserMFAPreference turns it on (in a pool that requires MFA it counts at once).
      ctx.state.putUser(pool, { ...user, mfa: { ...user.mfa, totpSecret: pending, pendingTotpSecret: undefined }, lastModifiedAt: ctx.now() });
      return { Status: "SUCCESS" };
    },
    SetUserMFAPreference(input) {
      const { pool, user } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      return setPreference(pool, user, input);
    },
    AdminSetUserMFAPreference(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      return setPreference(pool, ctx.requireUser(pool, requiredString(input, "Username")), input);
    },
    SetUserSettings(input) {
      const { pool, user } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      return setSmsSettings(pool, user, input);
    },
    AdminSetUserSettings(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      return setSmsSettings(pool, ctx.requireUser(pool, requiredString(input, "Username")), input);
    },
  };
}
