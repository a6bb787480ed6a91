// The password proven by SRP (USER_SRP_AUTH, a custom-auth sign-in that starts with SRP_A): the PASSWORD_VERIFIER
// challenge and the check of its answer. Unknown names (PreventUserExistenceErrors) get a decoy challenge that costs and
// answers what a real user's wrong password does.
import type { CustomAuthState } from "../challenge-sessions";
import type { ServiceContext } from "../context";
import * as errors from "../errors";
import { optionalString, type Input } from "../input";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import { seal, unseal } from "../service-secret";
import { checkNotLockedOut, type SignInSubject } from "../sign-in-failures";
import { isTimestampFresh, verifyPasswordClaim } from "../srp";
import { startSrpChallenge } from "./srp-start";
import { decoyUserId, decoyVerifier, hidesUserExistence } from "../user-existence";
import { deviceForSignIn } from "./device";
import type { AuthResponse } from "./types";

export const SECRET_BLOCK_PURPOSE = "srp-secret-block";

/**
 * The PASSWORD_VERIFIER challenge for `srpA` (USER_SRP_AUTH, or a custom-auth sign-in that started with SRP_A, whose
 * `custom` state rides along). With PreventUserExistenceErrors an unknown name gets one too, stable from call to call
 * and shaped like a real user's (salt, verifier, USER_ID_FOR_SRP), which no password can answer.
 */
export function openPasswordVerifierChallenge(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord | undefined, givenName: string, srpA: string,
  custom?: CustomAuthState,
): AuthResponse {
  const known = user?.password ? user : undefined;
  const verifier = known?.password ?? decoyVerifier(ctx, pool, givenName);
  const userIdForSrp = user ? user.username : decoyUserId(ctx, pool, givenName);
  const srp = startSrpChallenge(verifier.verifier, srpA);
  const session = ctx.challenges.open({
    challenge: "PASSWORD_VERIFIER",
    userPoolId: pool.Id,
    clientId: client.ClientId,
    username: userIdForSrp,
    ...(known ? {} : { decoyName: givenName }),
    srp: { srpA, serverSecretB: srp.serverSecretB, srpB: srp.srpB, secretBlock: "" },
    ...(custom ? { custom } : {}),
  });
  // The secret block names its challenge, sealed: a client may answer without the Session (as pycognito does).
  const secretBlock = seal(ctx, SECRET_BLOCK_PURPOSE, session);
  ctx.challenges.setSecretBlock(session, secretBlock);
  return {
    ChallengeName: "PASSWORD_VERIFIER",
    Session: session,
    ChallengeParameters: { SALT: verifier.salt, SECRET_BLOCK: secretBlock, SRP_B: srp.srpB, USERNAME: userIdForSrp, USER_ID_FOR_SRP: userIdForSrp },
  };
}

/** The outcome of a PASSWORD_VERIFIER answer; the challenge is closed. What follows is next-step.ts's to decide. */
export interface PasswordClaim {
  proven: boolean;
  /** The user the challenge was for; undefined for a decoy challenge. */
  user: UserRecord | undefined;
  subject: SignInSubject;
  /** The custom-auth sign-in the password step belongs to, if any. */
  custom: CustomAuthState | undefined;
}

/**
 * PASSWORD_VERIFIER: the SRP proof. The challenge is found from the Session or, when a client sends none (Python's
 * pycognito/warrant), from the sealed secret block; both must name the same live challenge of this client. A challenge
 * issued to an unknown name is checked against its decoy verifier, so that it costs what a real wrong password costs.
 */
export function checkPasswordClaim(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, input: Input, responses: Record<string, string>,
): PasswordClaim {
  const given = optionalString(input, "Session");
  const secretBlock = responses.PASSWORD_CLAIM_SECRET_BLOCK;
  const named = unseal(ctx, SECRET_BLOCK_PURPOSE, secretBlock);
  const sessionToken = given ?? named;
  const session = named !== undefined && sessionToken === named ? ctx.challenges.find(sessionToken) : undefined;
  if (!session || !session.srp || session.challenge !== "PASSWORD_VERIFIER" || session.srp.secretBlock !== secretBlock ||
    session.userPoolId !== pool.Id || session.clientId !== client.ClientId) {
    throw errors.notAuthorized("Invalid session for the user, session is expired.");
  }
  const timestamp = responses.TIMESTAMP ?? "";
  const signature = responses.PASSWORD_CLAIM_SIGNATURE ?? "";
  if (!timestamp || !signature) throw errors.invalidParameter("Missing required parameter PASSWORD_CLAIM_SIGNATURE or TIMESTAMP");
  const user = session.decoyName === undefined ? ctx.state.userByUsername(pool, session.username) : undefined;
  const subject: SignInSubject = user ? { pool, user } : { pool, unknownName: session.decoyName ?? session.username };
  if (!user && !hidesUserExistence(client)) throw errors.userNotFound("User does not exist.");
  checkNotLockedOut(ctx, subject);
  // An unknown DEVICE_KEY is reported before the password step is used up: the client drops it and answers again.
  if (user) deviceForSignIn(ctx, pool, user, responses.DEVICE_KEY);
  if (!isTimestampFresh(timestamp, new Date(ctx.nowMs()))) throw errors.notAuthorized("Incorrect username or password.");
  const verifier = user?.password ?? decoyVerifier(ctx, pool, session.decoyName ?? session.username);
  const srp = session.srp;
  const proven = verifyPasswordClaim({
    userPoolId: pool.Id,
    userIdForSrp: session.username,
    salt: verifier.salt,
    verifier: verifier.verifier,
    ...srp,
    timestamp,
    signature,
  });
  ctx.challenges.close(sessionToken!);
  return { proven, user, subject, custom: session.custom };
}
