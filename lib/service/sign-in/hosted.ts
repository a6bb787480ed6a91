// The hosted sign-in page's entry points into sign-in (lib/service/oauth/login.ts): the same checks as the API, ending
// with the page's own `finish` (an authorization code) instead of tokens. Two ways in: the password form, and (when
// the pool allows a passwordless first factor and the client USER_AUTH) choice-based sign-in, username first, whose
// SELECT_CHALLENGE, code and passkey answers go through hostedRespondToChallenge like any challenge.
import type { ServiceContext } from "../context";
import type { Input } from "../input";
import type { AppClientRecord, UserPoolRecord } from "../model";
import { clientAllowsFlow } from "../operations/app-clients";
import { poolTier } from "../tiers";
import { allowedFirstFactors } from "./first-factors";
import { afterFirstFactor } from "./next-step";
import { checkPassword } from "./password";
import { respondToChallenge } from "./respond";
import type { AuthResponse, SignInFinish } from "./types";
import { initiateUserAuth } from "./user-auth";

export type { SignInFinish } from "./types";

/**
 * The hosted sign-in page's password step: the same checks as USER_PASSWORD_AUTH (existence, disabled, lockout,
 * password, status, MFA), without the client's ExplicitAuthFlows, which do not govern the hosted page, and without
 * device tracking. Returns a challenge (NEW_PASSWORD_REQUIRED, SMS_MFA, SOFTWARE_TOKEN_MFA, ...) or what `finish` returns.
 */
export async function hostedPasswordSignIn(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, username: string, password: string, finish: SignInFinish,
): Promise<AuthResponse> {
  const user = await checkPassword(ctx, pool, client, username, password, {}, undefined);
  return afterFirstFactor(ctx, pool, client, user, undefined, "Authentication", undefined, finish);
}

/** The hosted sign-in page's answer to a challenge (a RespondToAuthChallenge input), ending with `finish`. */
export function hostedRespondToChallenge(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, input: Input, finish: SignInFinish): Promise<AuthResponse> {
  return respondToChallenge(ctx, pool, client, input, finish);
}

/**
 * Whether the hosted page signs users in by choice (username first, then the factors open to them): the client allows
 * USER_AUTH and the pool's plan and sign-in policy offer a first factor besides the password.
 */
export function hostedOffersChoice(pool: UserPoolRecord, client: AppClientRecord): boolean {
  return clientAllowsFlow(client, "USER_AUTH") && poolTier(pool) !== "LITE" && allowedFirstFactors(pool).some((f) => f !== "PASSWORD");
}

/**
 * The hosted page's choice-based start: USER_AUTH for `username` without a preference, as InitiateAuth runs it
 * (existence hiding, lockout, PreAuthentication), answered with SELECT_CHALLENGE and the factors open to the user.
 */
export function hostedChoiceSignIn(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, username: string, secretHash: string | undefined,
): Promise<AuthResponse> {
  return initiateUserAuth(ctx, pool, client, {}, { USERNAME: username, ...(secretHash ? { SECRET_HASH: secretHash } : {}) }, undefined);
}
