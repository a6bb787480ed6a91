// GetUserAuthFactors and AdminGetUserAuthFactors: the user's MFA settings and the first factors it has configured
// (ConfiguredUserAuthFactors): PASSWORD when it has one, EMAIL_OTP / SMS_OTP when the pool allows them and the email /
// phone number is verified, WEB_AUTHN when the pool allows passkeys and the user has one.
import type { OperationTable, ServiceContext } from "../context";
import { requiredString } from "../input";
import type { UserPoolRecord, UserRecord } from "../model";
import { verifyAccessToken } from "../sessions";
import { poolAllows } from "../sign-in/first-factors";
import { canReceiveOtp } from "../sign-in/otp";
import { passkeyCount } from "../sign-in/passkey";
import { mfaSettingList } from "../user-records";

function configuredFactors(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord): string[] {
  const factors: string[] = [];
  if (user.password) factors.push("PASSWORD");
  if (poolAllows(pool, "EMAIL_OTP") && canReceiveOtp(user, "EMAIL_OTP")) factors.push("EMAIL_OTP");
  if (poolAllows(pool, "SMS_OTP") && canReceiveOtp(user, "SMS_OTP")) factors.push("SMS_OTP");
  if (poolAllows(pool, "WEB_AUTHN") && passkeyCount(ctx, pool, user) > 0) factors.push("WEB_AUTHN");
  return factors;
}

function authFactorsView(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord) {
  const mfaList = mfaSettingList(user);
  return {
    Username: user.username,
    ...(mfaList.length ? { UserMFASettingList: mfaList, PreferredMfaSetting: user.mfa.preferred ?? mfaList[0] } : {}),
    ConfiguredUserAuthFactors: configuredFactors(ctx, pool, user),
  };
}

export function userAuthFactorOperations(ctx: ServiceContext): OperationTable {
  return {
    GetUserAuthFactors(input) {
      const { pool, user } = verifyAccessToken(ctx, requiredString(input, "AccessToken"));
      return authFactorsView(ctx, pool, user);
    },
    AdminGetUserAuthFactors(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      return authFactorsView(ctx, pool, ctx.requireUser(pool, requiredString(input, "Username")));
    },
  };
}
