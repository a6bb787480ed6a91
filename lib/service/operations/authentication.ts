// cognito-idp sign-in operations: InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge
// and GetTokensFromRefreshToken. Each resolves its pool and client and hands over to lib/service/sign-in/.
import { optionalString, optionalStringMap, requiredString } from "../input";
import type { OperationTable, ServiceContext } from "../context";
import { initiateAuth } from "../sign-in/initiate";
import { tokensFromRefreshToken } from "../sign-in/refresh";
import { respondToChallenge } from "../sign-in/respond";

export function authenticationOperations(ctx: ServiceContext): OperationTable {
  return {
    InitiateAuth(input) {
      const client = ctx.requireClient(requiredString(input, "ClientId"));
      const pool = ctx.requirePool(client.UserPoolId);
      return initiateAuth(ctx, pool, client, input, false);
    },
    AdminInitiateAuth(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const client = ctx.requireClient(requiredString(input, "ClientId"), pool);
      return initiateAuth(ctx, pool, client, input, true);
    },
    RespondToAuthChallenge(input) {
      const client = ctx.requireClient(requiredString(input, "ClientId"));
      const pool = ctx.requirePool(client.UserPoolId);
      return respondToChallenge(ctx, pool, client, input);
    },
    AdminRespondToAuthChallenge(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const client = ctx.requireClient(requiredString(input, "ClientId"), pool);
      return respondToChallenge(ctx, pool, client, input);
    },
    /** Amplify v6's refresh: new ID and access tokens, and a new refresh token when the client rotates them. */
    GetTokensFromRefreshToken(input) {
      const client = ctx.requireClient(requiredString(input, "ClientId"));
      const pool = ctx.requirePool(client.UserPoolId);
      const refreshToken = requiredString(input, "RefreshToken");
      optionalStringMap(input, "ClientMetadata");
      const deviceKey = optionalString(input, "DeviceKey");
      const clientSecret = optionalString(input, "ClientSecret");
      return tokensFromRefreshToken(ctx, pool, client, refreshToken, clientSecret, deviceKey);
    },
  };
}
