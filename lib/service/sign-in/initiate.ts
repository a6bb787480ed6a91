// InitiateAuth / AdminInitiateAuth: which flow the call asks for, whether the client allows it, and the first factor
// module that runs it (password.ts, password-srp.ts, custom.ts, refresh.ts, user-auth.ts); next-step.ts decides what follows.
import type { ServiceContext } from "../context";
import * as errors from "../errors";
import { optionalStringMap, requiredString, type Input } from "../input";
import type { AppClientRecord, UserPoolRecord } from "../model";
import { clientAllowsFlow } from "../operations/app-clients";
import { validationDataOf } from "../operations/sign-up";
import { runPreAuthentication } from "../trigger-hooks";
import { hidesUserExistence } from "../user-existence";
import { initiateCustomAuth } from "./custom";
import { deviceForSignIn } from "./device";
import { afterFirstFactor } from "./next-step";
import { parameterMap, requiredParameter } from "./parameters";
import { checkPassword } from "./password";
import { openPasswordVerifierChallenge } from "./password-srp";
import { refreshTokenAuth } from "./refresh";
import type { AuthResponse } from "./types";
import { initiateUserAuth } from "./user-auth";

export async function initiateAuth(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, input: Input, admin: boolean): Promise<AuthResponse> {
  const flow = requiredString(input, "AuthFlow");
  const params = parameterMap(input, "AuthParameters");
  const clientMetadata = optionalStringMap(input, "ClientMetadata");
  switch (flow) {
    case "USER_PASSWORD_AUTH":
    case "ADMIN_USER_PASSWORD_AUTH":
    case "ADMIN_NO_SRP_AUTH": {
      const wanted = flow === "USER_PASSWORD_AUTH" ? "USER_PASSWORD_AUTH" : "ADMIN_USER_PASSWORD_AUTH";
      if ((wanted === "USER_PASSWORD_AUTH") === admin) throw errors.invalidParameter(`Initiate Auth method not supported.`);
      if (!clientAllowsFlow(client, wanted)) throw errors.invalidParameter(`${wanted} flow not enabled for this client`);
      const username = requiredParameter(params, "USERNAME");
      const password = requiredParameter(params, "PASSWORD");
      ctx.checkSecretHash(client, username, params.SECRET_HASH);
      const user = await checkPassword(ctx, pool, client, username, password, input, clientMetadata);
      deviceForSignIn(ctx, pool, user, params.DEVICE_KEY);
      return afterFirstFactor(ctx, pool, client, user, params.DEVICE_KEY, "Authentication", clientMetadata);
    }
    case "USER_SRP_AUTH": {
      if (!clientAllowsFlow(client, "USER_SRP_AUTH")) throw errors.invalidParameter("USER_SRP_AUTH flow not enabled for this client");
      const username = requiredParameter(params, "USERNAME");
      const srpA = requiredParameter(params, "SRP_A");
      ctx.checkSecretHash(client, username, params.SECRET_HASH);
      const user = ctx.state.findUser(pool, username);
      if (!user && !hidesUserExistence(client)) throw errors.userNotFound("User does not exist.");
      await runPreAuthentication(ctx, pool, username, user, client.ClientId, validationDataOf(input), clientMetadata);
      return openPasswordVerifierChallenge(ctx, pool, client, user, username, srpA);
    }
    case "REFRESH_TOKEN_AUTH":
    case "REFRESH_TOKEN":
      return refreshTokenAuth(ctx, pool, client, params);
    case "CUSTOM_AUTH":
      return initiateCustomAuth(ctx, pool, client, params, clientMetadata);
    case "USER_AUTH":
      return initiateUserAuth(ctx, pool, client, input, params, clientMetadata);
    default:
      throw errors.invalidParameter(`1 validation error detected: Value '${flow}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set`);
  }
}
