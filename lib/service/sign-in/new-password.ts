// NEW_PASSWORD_REQUIRED: the challenge a user with a temporary password (FORCE_CHANGE_PASSWORD) meets after signing in
// with it, and its answer (NEW_PASSWORD plus any required attributes the user still lacks).
import type { ServiceContext } from "../context";
import * as errors from "../errors";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import { checkAliasesFree, checkAttributes, passwordRecord } from "../user-records";
import type { AuthResponse } from "./types";

/** The NEW_PASSWORD_REQUIRED challenge, or NotAuthorizedException when the temporary password has expired. */
export function openNewPasswordChallenge(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord): AuthResponse {
  if (user.temporaryPasswordExpiresAt !== undefined && user.temporaryPasswordExpiresAt <= ctx.now()) {
    throw errors.notAuthorized("Temporary password has expired and must be reset by an administrator.");
  }
  const session = ctx.challenges.open({ challenge: "NEW_PASSWORD_REQUIRED", userPoolId: pool.Id, clientId: client.ClientId, username: user.username });
  const userAttributes = Object.fromEntries(Object.entries(user.attributes).filter(([name]) => name !== "sub" && !name.endsWith("_verified")));
  const required = pool.schema.filter((s) => s.Required && s.Name !== "sub" && user.attributes[s.Name] === undefined).map((s) => `userAttributes.${s.Name}`);
  return {
    ChallengeName: "NEW_PASSWORD_REQUIRED",
    Session: session,
    ChallengeParameters: { USER_ID_FOR_SRP: user.username, requiredAttributes: JSON.stringify(required), userAttributes: JSON.stringify(userAttributes) },
  };
}

/** Answers NEW_PASSWORD_REQUIRED: stores the new password and attributes, confirms the user, closes the challenge. */
export function answerNewPassword(
  ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord, sessionToken: string, responses: Record<string, string>,
): UserRecord {
  const newPassword = responses.NEW_PASSWORD;
  if (!newPassword) throw errors.invalidParameter("Missing required parameter NEW_PASSWORD");
  ctx.checkPasswordPolicy(pool, newPassword);
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(responses)) if (key.startsWith("userAttributes.")) attributes[key.slice("userAttributes.".length)] = value;
  checkAttributes(pool, attributes, false);
  // The user may not claim another user's sign-in alias, nor vouch for its own email or phone.
  for (const name of Object.keys(attributes)) if (name.endsWith("_verified")) delete attributes[name];
  checkAliasesFree(ctx, pool, user, attributes);
  const missing = pool.schema.filter((s) => s.Required && s.Name !== "sub" && user.attributes[s.Name] === undefined && attributes[s.Name] === undefined);
  if (missing.length) throw errors.invalidParameter(`Missing required attribute ${missing[0].Name}`);
  const updated: UserRecord = {
    ...user,
    attributes: { ...user.attributes, ...attributes },
    password: passwordRecord(pool, user, newPassword),
    status: "CONFIRMED",
    temporaryPasswordExpiresAt: undefined,
    lastModifiedAt: ctx.now(),
  };
  ctx.state.putUser(pool, updated);
  ctx.challenges.close(sessionToken);
  return updated;
}
