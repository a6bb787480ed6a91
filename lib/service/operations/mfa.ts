// Setting MFA up: AssociateSoftwareToken, VerifySoftwareToken (with an access token, or inside an MFA_SETUP sign-in),
// SetUserMFAPreference, AdminSetUserMFAPreference, SetUserSettings, AdminSetUserSettings. The MFA step of a sign-in is
// sign-in/mfa.ts.
import * as errors from "../errors";
import { optionalObject, optionalString, requiredString, type Input } from "../input";
import type { UserPoolRecord, UserRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { verifyAccessToken } from "../sessions";
import { generateTotpSecret, totpCodeMatches } from "../totp";
import { applyEmailMfaSettings } from "../sign-in/email-mfa";
import { wrongCode } from "../sign-in/mfa";

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
        throw session && sessionToken ? wrongCode(ctx, { pool, user }, session, sessionToken, mismatch) : mismatch;
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
