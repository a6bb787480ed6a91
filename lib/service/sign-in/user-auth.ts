// Choice-based sign-in (AuthFlow USER_AUTH): the first factors this user can use now (AvailableChallenges, from the
// pool's AllowedFirstAuthFactors, the user's password, verified email and phone, passkeys and MFA), PREFERRED_CHALLENGE,
// the SELECT_CHALLENGE challenge and its ANSWER, and the start of the chosen factor (password.ts, password-srp.ts,
// otp.ts, passkey.ts). With PreventUserExistenceErrors an unknown name gets a plausible choice and challenges.
import type { ChallengeSession } from "../challenge-sessions";
import type { ServiceContext } from "../context";
import * as errors from "../errors";
import { optionalString, type Input } from "../input";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import { clientAllowsFlow } from "../operations/app-clients";
import { validationDataOf } from "../operations/sign-up";
import { checkNotLockedOut, recordSuccessfulSignIn, type SignInSubject } from "../sign-in-failures";
import { runPreAuthentication } from "../trigger-hooks";
import { hidesUserExistence } from "../user-existence";
import { deviceForSignIn } from "./device";
import { poolTier } from "../tiers";
import { poolAllows } from "./first-factors";
import { usableMethods } from "./mfa";
import { afterFirstFactor } from "./next-step";
import { canReceiveOtp, openOtpChallenge } from "./otp";
import { requiredParameter } from "./parameters";
import { openPasskeyChallenge, passkeyCount } from "./passkey";
import { checkPassword } from "./password";
import { openPasswordVerifierChallenge } from "./password-srp";
import { invalidSession, requireSignUpSession } from "./sign-up-session";
import type { AuthResponse } from "./types";

/** The first-factor challenges of USER_AUTH, in the order AvailableChallenges lists them. */
export const USER_AUTH_CHALLENGES = ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"] as const;
type UserAuthChallenge = (typeof USER_AUTH_CHALLENGES)[number];

const isUserAuthChallenge = (value: string): value is UserAuthChallenge => (USER_AUTH_CHALLENGES as readonly string[]).includes(value);

/**
 * Whether passwordless first factors are open to `user`: the pool's plan has them, and MFA does not stand in the way.
 * Passwordless sign-in does not mix with MFA: a pool that requires MFA offers none, and a pool with optional MFA offers
 * none to a user who has an MFA method active (they sign in with a password, then MFA).
 */
function passwordlessOpenTo(pool: UserPoolRecord, user: UserRecord | undefined): boolean {
  if (poolTier(pool) === "LITE" || pool.mfaConfiguration === "ON") return false;
  return !user || pool.mfaConfiguration === "OFF" || usableMethods(pool, user).length === 0;
}

/** AvailableChallenges: what `user` can sign in with now; for an unknown name (existence hiding), what a typical user could. */
export function availableChallenges(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord | undefined): UserAuthChallenge[] {
  const passwordless = passwordlessOpenTo(pool, user);
  const offered = (challenge: UserAuthChallenge): boolean => {
    switch (challenge) {
      case "PASSWORD":
      case "PASSWORD_SRP":
        return !user || !!user.password;
      case "EMAIL_OTP":
      case "SMS_OTP":
        return passwordless && poolAllows(pool, challenge) && (!user || canReceiveOtp(user, challenge));
      case "WEB_AUTHN":
        return passwordless && poolAllows(pool, "WEB_AUTHN") && !!user && passkeyCount(ctx, pool, user) > 0;
    }
  };
  return USER_AUTH_CHALLENGES.filter(offered);
}

/** InitiateAuth / AdminInitiateAuth with AuthFlow USER_AUTH. */
export async function initiateUserAuth(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, input: Input, params: Record<string, string>,
  clientMetadata: Record<string, string> | undefined,
): Promise<AuthResponse> {
  if (!clientAllowsFlow(client, "USER_AUTH")) throw errors.invalidParameter("USER_AUTH flow not enabled for this client");
  const username = requiredParameter(params, "USERNAME");
  ctx.checkSecretHash(client, username, params.SECRET_HASH);
  const signUpSession = optionalString(input, "Session");
  if (signUpSession !== undefined) {
    return signInAfterSignUp(ctx, pool, client, username, signUpSession, params.DEVICE_KEY, validationDataOf(input), clientMetadata);
  }
  const preferred = params.PREFERRED_CHALLENGE;
  if (preferred !== undefined && !isUserAuthChallenge(preferred)) {
    throw errors.invalidParameter(`1 validation error detected: Value '${preferred}' at 'PREFERRED_CHALLENGE' failed to satisfy constraint: Member must satisfy enum value set: [${USER_AUTH_CHALLENGES.join(", ")}]`);
  }
  // A password sign-in of an unknown name goes to password.ts as it is: UserMigration may bring the user in.
  if (preferred === "PASSWORD" && !ctx.state.findUser(pool, username)) return startFactor(ctx, pool, client, undefined, username, "PASSWORD", params, input, clientMetadata, false);
  const user = ctx.state.findUser(pool, username);
  if (!user && !hidesUserExistence(client)) throw errors.userNotFound("User does not exist.");
  const subject: SignInSubject = user ? { pool, user } : { pool, unknownName: username };
  checkNotLockedOut(ctx, subject);
  const available = availableChallenges(ctx, pool, user);
  if (preferred !== undefined && available.includes(preferred)) {
    return startFactor(ctx, pool, client, user, username, preferred, params, input, clientMetadata, false);
  }
  if (available.length === 0) throw errors.incorrectCredentials();
  await runPreAuthentication(ctx, pool, username, user, client.ClientId, validationDataOf(input), clientMetadata);
  const session = ctx.challenges.open({
    challenge: "SELECT_CHALLENGE",
    userPoolId: pool.Id,
    clientId: client.ClientId,
    username: user?.username ?? username,
    ...(user ? {} : { decoyName: username }),
    userAuth: { givenUsername: username, available },
    ...(params.DEVICE_KEY ? { deviceKey: params.DEVICE_KEY } : {}),
  });
  return { ChallengeName: "SELECT_CHALLENGE", Session: session, AvailableChallenges: available, ChallengeParameters: {} };
}

/**
 * RespondToAuthChallenge with SELECT_CHALLENGE: ChallengeResponses { USERNAME, ANSWER } (with PASSWORD for PASSWORD,
 * SRP_A for PASSWORD_SRP). An answer that is not among the AvailableChallenges changes nothing: the session stays open.
 */
export function answerSelectChallenge(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, session: ChallengeSession, sessionToken: string, input: Input,
  responses: Record<string, string>, clientMetadata: Record<string, string> | undefined,
): Promise<AuthResponse> {
  const offered = session.userAuth;
  if (!offered) throw errors.notAuthorized("Invalid session for the user, session is expired.");
  const answer = requiredParameter(responses, "ANSWER");
  const user = session.decoyName === undefined ? ctx.state.userByUsername(pool, session.username) : undefined;
  const sameUser = user ? ctx.state.findUser(pool, responses.USERNAME)?.username === user.username : responses.USERNAME === offered.givenUsername;
  if (!sameUser) throw errors.notAuthorized("Invalid session for the user, session is expired.");
  if (!isUserAuthChallenge(answer) || !offered.available.includes(answer)) {
    throw errors.invalidParameter(`The challenge ${answer} is not available for this user. Available challenges: ${offered.available.join(", ")}.`);
  }
  if (answer === "PASSWORD") requiredParameter(responses, "PASSWORD");
  if (answer === "PASSWORD_SRP") requiredParameter(responses, "SRP_A");
  ctx.challenges.close(sessionToken);
  const params = { ...responses, ...(session.deviceKey && !responses.DEVICE_KEY ? { DEVICE_KEY: session.deviceKey } : {}) };
  return startFactor(ctx, pool, client, user, offered.givenUsername, answer, params, input, clientMetadata, true);
}

/** Starts first factor `factor` for `user` (undefined: an unknown name, with existence hiding). */
async function startFactor(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord | undefined, givenName: string, factor: UserAuthChallenge,
  params: Record<string, string>, input: Input, clientMetadata: Record<string, string> | undefined, preAuthenticated: boolean,
): Promise<AuthResponse> {
  const deviceKey = params.DEVICE_KEY;
  if (factor === "PASSWORD") {
    const password = requiredParameter(params, "PASSWORD");
    const signedIn = await checkPassword(ctx, pool, client, givenName, password, input, clientMetadata, preAuthenticated);
    deviceForSignIn(ctx, pool, signedIn, deviceKey);
    return afterFirstFactor(ctx, pool, client, signedIn, deviceKey, "Authentication", clientMetadata);
  }
  if (factor === "PASSWORD_SRP") {
    const srpA = requiredParameter(params, "SRP_A");
    if (!preAuthenticated) await runPreAuthentication(ctx, pool, givenName, user, client.ClientId, validationDataOf(input), clientMetadata);
    return openPasswordVerifierChallenge(ctx, pool, client, user, givenName, srpA);
  }
  if (!preAuthenticated) await runPreAuthentication(ctx, pool, givenName, user, client.ClientId, validationDataOf(input), clientMetadata);
  if (user?.status === "UNCONFIRMED") throw errors.userNotConfirmed("User is not confirmed.");
  // No code (nor passkey challenge) goes to a disabled user.
  if (user && !user.enabled) throw errors.notAuthorized("User is disabled.");
  if (user) deviceForSignIn(ctx, pool, user, deviceKey);
  if (factor === "WEB_AUTHN") {
    if (!user) throw errors.invalidParameter("WEB_AUTHN is not available for this user.");
    return openPasskeyChallenge(ctx, pool, client, user, deviceKey);
  }
  return openOtpChallenge(ctx, pool, client, user, givenName, factor, clientMetadata, deviceKey);
}

/**
 * USER_AUTH with ConfirmSignUp's Session: the code the user confirmed with is the first factor. The Session answers
 * once; PreAuthentication, MFA and the rest follow as after any first factor.
 */
export async function signInAfterSignUp(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, givenName: string, token: string, deviceKey: string | undefined,
  validationData: Record<string, string> | undefined, clientMetadata: Record<string, string> | undefined,
): Promise<AuthResponse> {
  const user = ctx.state.findUser(pool, givenName);
  if (!user) throw invalidSession();
  requireSignUpSession(ctx, pool, client, user.username, token, "CONFIRMED_SIGN_UP_SESSION");
  checkNotLockedOut(ctx, { pool, user });
  ctx.challenges.close(token);
  if (!user.enabled) throw errors.notAuthorized("User is disabled.");
  await runPreAuthentication(ctx, pool, givenName, user, client.ClientId, validationData, clientMetadata);
  recordSuccessfulSignIn(ctx, { pool, user });
  deviceForSignIn(ctx, pool, user, deviceKey);
  return afterFirstFactor(ctx, pool, client, user, deviceKey, "Authentication", clientMetadata);
}
