// Refreshing a sign-in: REFRESH_TOKEN_AUTH (InitiateAuth) and GetTokensFromRefreshToken (Amplify v6, rotation), with the
// client's secret and the device a refresh token is bound to.
import { isClientSecret } from "../client-secrets";
import type { ServiceContext } from "../context";
import * as errors from "../errors";
import type { AppClientRecord, UserPoolRecord } from "../model";
import { refreshSessionTokens, rotatesRefreshTokens } from "../sessions";
import { checkRefreshDevice } from "./device";
import { requiredParameter } from "./parameters";
import type { AuthResponse } from "./types";

/** REFRESH_TOKEN_AUTH: new ID and access tokens for a refresh token (never on a client that rotates them). */
export async function refreshTokenAuth(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, params: Record<string, string>): Promise<AuthResponse> {
  const refreshToken = requiredParameter(params, "REFRESH_TOKEN");
  // As on AWS: a client that rotates refresh tokens refreshes only through GetTokensFromRefreshToken.
  if (rotatesRefreshTokens(client)) throw errors.notAuthorized("Refresh token rotation is enabled for this app client: use GetTokensFromRefreshToken.");
  if (client.ClientSecret) {
    const session = ctx.state.sessionByRefreshToken(refreshToken);
    const owner = session ? ctx.state.userByUsername(pool, session.username) : undefined;
    ctx.checkSecretHash(client, params.USERNAME ?? owner?.username ?? "", params.SECRET_HASH);
  }
  checkRefreshDevice(ctx, refreshToken, params.DEVICE_KEY);
  return { ChallengeParameters: {}, AuthenticationResult: await refreshSessionTokens(ctx, pool, client, refreshToken, false) };
}

/** GetTokensFromRefreshToken: new ID and access tokens, and a new refresh token when the client rotates them. */
export async function tokensFromRefreshToken(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, refreshToken: string, clientSecret: string | undefined, deviceKey: string | undefined,
): Promise<AuthResponse> {
  checkRefreshDevice(ctx, refreshToken, deviceKey);
  if (client.ClientSecret) {
    if (clientSecret === undefined) throw errors.notAuthorized(`Client ${client.ClientId} is configured with secret but ClientSecret was not received`);
    if (!isClientSecret(client, clientSecret)) throw errors.notAuthorized(`Unable to verify secret for client ${client.ClientId}`);
  }
  return { AuthenticationResult: await refreshSessionTokens(ctx, pool, client, refreshToken, rotatesRefreshTokens(client)) };
}
