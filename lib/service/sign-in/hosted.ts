// The hosted sign-in page's entry points into sign-in (lib/service/oauth/login.ts): the same checks as the API, ending
// with the page's own `finish` (an authorization code) instead of tokens.
import type { ServiceContext } from "../context";
import type { Input } from "../input";
import type { AppClientRecord, UserPoolRecord } from "../model";
import { afterFirstFactor } from "./next-step";
import { checkPassword } from "./password";
import { respondToChallenge } from "./respond";
import type { AuthResponse, SignInFinish } from "./types";

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
