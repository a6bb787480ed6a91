// The Session that carries a new user from SignUp through ConfirmSignUp to a first sign-in (USER_AUTH) without a second
// code: SignUp's Session names the user; ConfirmSignUp, given it, returns another that InitiateAuth / AdminInitiateAuth
// accept once, within the session's lifetime, for the same user and app client (user-auth.ts signs the user in).
import { SIGN_UP_SESSION_KINDS, type ChallengeSession, type SignUpSessionKind } from "../challenge-sessions";
import type { ServiceContext } from "../context";
import * as errors from "../errors";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";

export const invalidSession = () => errors.notAuthorized("Invalid session for the user, session is expired.");

export function isSignUpSession(session: ChallengeSession): boolean {
  return SIGN_UP_SESSION_KINDS.includes(session.challenge);
}

/** The Session SignUp returns for `user`. */
export function openSignUpSession(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord): string {
  return ctx.challenges.open({ challenge: "SIGN_UP_SESSION", userPoolId: pool.Id, clientId: client.ClientId, username: user.username });
}

/** The live session `token` of `kind` for this pool, client and user, or NotAuthorizedException. */
export function requireSignUpSession(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, username: string, token: string, kind: SignUpSessionKind): void {
  const session = ctx.challenges.find(token);
  if (!session || session.challenge !== kind || session.userPoolId !== pool.Id || session.clientId !== client.ClientId || session.username !== username) {
    throw invalidSession();
  }
}

/** ConfirmSignUp's check, before it changes anything, of the SignUp Session it was given. */
export function checkSignUpSession(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, token: string): void {
  requireSignUpSession(ctx, pool, client, user.username, token, "SIGN_UP_SESSION");
}

/** After a successful ConfirmSignUp: ends SignUp's Session (if given) and returns the one that signs the user in. */
export function openConfirmedSignUpSession(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, given: string | undefined): string {
  if (given) ctx.challenges.close(given);
  return ctx.challenges.open({ challenge: "CONFIRMED_SIGN_UP_SESSION", userPoolId: pool.Id, clientId: client.ClientId, username: user.username });
}
