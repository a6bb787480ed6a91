// RespondToAuthChallenge / AdminRespondToAuthChallenge (and the hosted page's answers): finds the live challenge the
// Session names, hands the answer to the module of that challenge (password-srp, user-auth, otp, passkey, custom,
// device, new-password, mfa),
// and lets next-step.ts decide what follows.
import type { ServiceContext } from "../context";
import * as errors from "../errors";
import { optionalString, optionalStringMap, requiredString, type Input } from "../input";
import type { AppClientRecord, UserPoolRecord } from "../model";
import { hidesUserExistence } from "../user-existence";
import { answerCustomChallenge } from "./custom";
import { answerDeviceChallenge, carryDeviceKey, deviceChallengeSession } from "./device";
import { answerMfaChallenge } from "./mfa";
import { answerNewPassword } from "./new-password";
import { afterFirstFactor, afterLastChallenge, afterOneTimeFirstFactor, afterPasswordClaim } from "./next-step";
import { parameterMap } from "./parameters";
import { checkPasswordClaim } from "./password-srp";
import { answerOtpChallenge } from "./otp";
import { answerPasskeyChallenge } from "./passkey";
import { isSignUpSession } from "./sign-up-session";
import type { AuthResponse, SignInFinish } from "./types";
import { answerSelectChallenge } from "./user-auth";

export async function respondToChallenge(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, input: Input, finish?: SignInFinish,
): Promise<AuthResponse> {
  const challengeName = requiredString(input, "ChallengeName");
  const responses = parameterMap(input, "ChallengeResponses");
  const clientMetadata = optionalStringMap(input, "ClientMetadata");
  const username = responses.USERNAME;
  if (!username) throw errors.invalidParameter("Missing required parameter USERNAME");
  ctx.checkSecretHash(client, username, responses.SECRET_HASH);
  if (challengeName === "PASSWORD_VERIFIER") {
    return afterPasswordClaim(ctx, pool, client, checkPasswordClaim(ctx, pool, client, input, responses), responses.DEVICE_KEY, clientMetadata);
  }

  const sessionToken = deviceChallengeSession(ctx, challengeName, optionalString(input, "Session"));
  const session = ctx.challenges.find(sessionToken);
  if (!session || !sessionToken || session.userPoolId !== pool.Id || session.clientId !== client.ClientId) throw errors.notAuthorized("Invalid session for the user, session is expired.");
  if (isSignUpSession(session)) throw errors.notAuthorized("Invalid session for the user, session is expired.");
  if (session.challenge !== challengeName) throw errors.invalidParameter(`Invalid challenge name ${challengeName}; expected ${session.challenge}.`);
  if (challengeName === "CUSTOM_CHALLENGE" && session.custom) {
    return answerCustomChallenge(ctx, pool, client, session.custom, sessionToken, responses, clientMetadata);
  }
  if (challengeName === "SELECT_CHALLENGE") return answerSelectChallenge(ctx, pool, client, session, sessionToken, input, responses, clientMetadata);
  if ((challengeName === "EMAIL_OTP" || challengeName === "SMS_OTP") && session.otpCodeHash !== undefined) {
    const signedIn = answerOtpChallenge(ctx, pool, session, sessionToken, responses);
    return afterOneTimeFirstFactor(ctx, pool, client, signedIn, responses.DEVICE_KEY ?? session.deviceKey, clientMetadata, finish);
  }
  if (challengeName === "WEB_AUTHN") {
    const signedIn = await answerPasskeyChallenge(ctx, pool, session, sessionToken, responses);
    return afterOneTimeFirstFactor(ctx, pool, client, signedIn, responses.DEVICE_KEY ?? session.deviceKey, clientMetadata, finish);
  }
  const user = ctx.state.findUser(pool, username) ?? ctx.state.userByUsername(pool, session.username);
  if (!user || user.username !== session.username) {
    if (hidesUserExistence(client)) throw errors.incorrectCredentials();
    throw errors.userNotFound("User does not exist.");
  }
  if (!user.enabled) throw errors.notAuthorized("User is disabled.");

  switch (challengeName) {
    case "DEVICE_SRP_AUTH":
    case "DEVICE_PASSWORD_VERIFIER":
      return answerDeviceChallenge(ctx, pool, client, user, session, sessionToken, responses);
    case "NEW_PASSWORD_REQUIRED": {
      const updated = answerNewPassword(ctx, pool, user, sessionToken, responses);
      return afterFirstFactor(ctx, pool, client, updated, undefined, "NewPasswordChallenge", clientMetadata, finish);
    }
    default: {
      const answered = await answerMfaChallenge(ctx, pool, client, user, session, sessionToken, challengeName, responses, clientMetadata);
      if ("next" in answered) return carryDeviceKey(ctx, answered.next, session.deviceKey);
      return afterLastChallenge(ctx, pool, client, answered.user, sessionToken, session.deviceKey, clientMetadata, finish);
    }
  }
}
