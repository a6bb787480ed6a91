// AdminDeleteSoftwareToken: an administrator removes a user's TOTP factor (a lost authenticator): the verified secret,
// one being associated, and TOTP as an enabled or preferred MFA method. The user can then associate a new one; in a
// pool that requires MFA, the next sign-in asks for whatever factor remains (or MFA_SETUP).
import * as errors from "../errors";
import { requiredString } from "../input";
import type { OperationTable, ServiceContext } from "../context";

export function softwareTokenOperations(ctx: ServiceContext): OperationTable {
  return {
    AdminDeleteSoftwareToken(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const user = ctx.requireUser(pool, requiredString(input, "Username"));
      const { mfa } = user;
      if (!mfa.totpSecret && !mfa.pendingTotpSecret) throw errors.resourceNotFound("The user has no software token registered.");
      ctx.state.putUser(pool, {
        ...user,
        mfa: {
          ...mfa,
          totpSecret: undefined,
          pendingTotpSecret: undefined,
          lastTotpStep: undefined,
          softwareTokenEnabled: false,
          preferred: mfa.preferred === "SOFTWARE_TOKEN_MFA" ? undefined : mfa.preferred,
        },
        lastModifiedAt: ctx.now(),
      });
      return {};
    },
  };
}
