// GetClientToken: the machine-to-machine access token of the token endpoint's client_credentials grant, through the
// API, for a client with a secret and the ALLOW_CLIENT_TOKEN_AUTH flow. The token is issued by the same code as the
// token endpoint's (issueClientCredentialsToken in ../oauth/token.ts).
import * as errors from "../errors";
import { isClientSecret } from "../client-secrets";
import { optionalStringList, optionalStringMap, requiredString } from "../input";
import type { OperationTable, ServiceContext } from "../context";
import { issueClientCredentialsToken } from "../oauth/token";
import { CLIENT_TOKEN_FLOW } from "./app-clients";

export function clientTokenOperations(ctx: ServiceContext): OperationTable {
  return {
    async GetClientToken(input) {
      const clientId = requiredString(input, "ClientId");
      const secret = requiredString(input, "Secret");
      const scopes = optionalStringList(input, "Scopes") ?? [];
      optionalStringMap(input, "ClientMetadata");
      const client = ctx.requireClient(clientId);
      const pool = ctx.requirePool(client.UserPoolId);
      if (!client.ClientSecret || !isClientSecret(client, secret)) throw errors.notAuthorized(`Unable to verify secret for client ${client.ClientId}`);
      if (!client.ExplicitAuthFlows.includes(CLIENT_TOKEN_FLOW)) throw errors.invalidParameter("Auth flow not enabled for this client");
      const issued = await issueClientCredentialsToken(ctx, pool, client, scopes);
      if ("scopeProblem" in issued) throw errors.invalidParameter(issued.scopeProblem);
      return { ClientAuthenticationResult: { AccessToken: issued.accessToken, ExpiresIn: issued.expiresIn, TokenType: "Bearer" } };
    },
  };
}
