// One-time codes as a first factor (USER_AUTH with EMAIL_OTP or SMS_OTP): the challenge that sends a code to the user's
// verified email or phone (its text by CustomMessage, `CustomMessage_Authentication`), bound to that one session, and
// its answer. With PreventUserExistenceErrors an unknown name gets the same challenge, for a code nobody receives.
import type { ChallengeSession } from "../challenge-sessions";
import { maskDestination, type ServiceContext } from "../context";
import * as errors from "../errors";
import { newSixDigitCode } from "../ids";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import { checkNotLockedOut, recordSuccessfulSignIn, type SignInSubject } from "../sign-in-failures";
import { sha256 } from "../state";
import { runCustomMessage } from "../trigger-hooks";
import { decoyDelivery } from "../user-existence";
import { wrongCode } from "./mfa";
import { OTP_ATTRIBUTE } from "./first-factors";
import type { AuthResponse } from "./types";

export type OtpFactor = "EMAIL_OTP" | "SMS_OTP";

const CODE_RESPONSE: Record<OtpFactor, string> = { EMAIL_OTP: "EMAIL_OTP_CODE", SMS_OTP: "SMS_OTP_CODE" };

/** The user can receive `factor`'s code: the attribute it goes to is there and verified. */
export function canReceiveOtp(user: UserRecord, factor: OtpFactor): boolean {
  const attribute = OTP_ATTRIBUTE[factor];
  return !!user.attributes[attribute] && user.attributes[`${attribute}_verified`] === "true";
}

/**
 * Sends a code for `factor` and opens its challenge. `user` undefined: a decoy for `givenName` (existence hiding), whose
 * code is made and forgotten. `deviceKey` rides along to the tokens.
 */
export async function openOtpChallenge(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord | undefined, givenName: string, factor: OtpFactor,
  clientMetadata: Record<string, string> | undefined, deviceKey: string | undefined,
): Promise<AuthResponse> {
  const code = newSixDigitCode();
  let delivery: { Destination: string; DeliveryMedium: string };
  if (user) {
    const message = await runCustomMessage(ctx, pool, "Authentication", user, client.ClientId, clientMetadata);
    delivery = ctx.deliver(pool, user, "SIGN_IN", code, OTP_ATTRIBUTE[factor], message);
  } else {
    delivery = decoyOtpDelivery(ctx, pool, givenName, factor);
  }
  const session = ctx.challenges.open({
    challenge: factor,
    userPoolId: pool.Id,
    clientId: client.ClientId,
    username: user?.username ?? givenName,
    ...(user ? {} : { decoyName: givenName }),
    otpCodeHash: sha256(code),
    ...(deviceKey ? { deviceKey } : {}),
  });
  return {
    ChallengeName: factor,
    Session: session,
    ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: delivery.DeliveryMedium, CODE_DELIVERY_DESTINATION: delivery.Destination },
  };
}

/** Where a decoy code "went": the medium of the factor, the destination existence hiding shows for the name. */
function decoyOtpDelivery(ctx: ServiceContext, pool: UserPoolRecord, name: string, factor: OtpFactor): { Destination: string; DeliveryMedium: string } {
  const decoy = decoyDelivery(ctx, pool, name);
  const medium = factor === "EMAIL_OTP" ? "EMAIL" : "SMS";
  if (decoy.DeliveryMedium === medium) return decoy;
  return { Destination: medium === "SMS" ? maskDestination(`+1555${sha256(name).replace(/\D/g, "").padEnd(7, "0").slice(0, 7)}`, "SMS") : "u***@e***", DeliveryMedium: medium };
}

/**
 * Checks the answer to an EMAIL_OTP / SMS_OTP first-factor challenge and returns the user it proves; the challenge is
 * closed. A wrong code counts against the session (three end it) and the user's lockout, and changes nothing else.
 */
export function answerOtpChallenge(
  ctx: ServiceContext, pool: UserPoolRecord, session: ChallengeSession, sessionToken: string, responses: Record<string, string>,
): UserRecord {
  const factor = session.challenge as OtpFactor;
  const code = responses[CODE_RESPONSE[factor]];
  if (!code) throw errors.invalidParameter(`Missing required parameter ${CODE_RESPONSE[factor]}`);
  const user = session.decoyName === undefined ? ctx.state.userByUsername(pool, session.username) : undefined;
  const subject: SignInSubject = user ? { pool, user } : { pool, unknownName: session.decoyName ?? session.username };
  checkNotLockedOut(ctx, subject);
  if (!user || sha256(code) !== session.otpCodeHash) {
    throw wrongCode(ctx, subject, session, sessionToken, errors.codeMismatch("Invalid code received for user"));
  }
  ctx.challenges.close(sessionToken);
  if (!user.enabled) throw errors.notAuthorized("User is disabled.");
  recordSuccessfulSignIn(ctx, subject);
  return user;
}
