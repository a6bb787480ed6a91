// Custom authentication (AuthFlow CUSTOM_AUTH): the DefineAuthChallenge / CreateAuthChallenge /
// VerifyAuthChallengeResponse loop with its `session` history and `challengeMetadata`, CUSTOM_CHALLENGE answers, and an
// SRP first step (`SRP_A` with `CHALLENGE_NAME: SRP_A`) that DefineAuthChallenge hands over to PASSWORD_VERIFIER.
import type { CustomAuthState } from "../challenge-sessions";
import type { ServiceContext } from "../context";
import * as errors from "../errors";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import { issueTokens } from "../sessions";
import { runPostAuthentication, runPreAuthentication } from "../trigger-hooks";
import { eventUserAttributes, responseBoolean, responseString, responseStringMap, unrecognizable } from "../triggers";
import { checkNotLockedOut } from "../user-records";
import { clientAllowsFlow } from "../operations/app-clients";
import { openPasswordVerifierChallenge } from "./password-srp";
import type { AuthResponse } from "./types";

/** A custom-auth sign-in gives up after this many challenges. */
const MAX_CHALLENGES = 16;

/** InitiateAuth / AdminInitiateAuth with `AuthFlow: CUSTOM_AUTH`. */
export async function initiateCustomAuth(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, params: Record<string, string>, clientMetadata: Record<string, string> | undefined,
): Promise<AuthResponse> {
  if (!clientAllowsFlow(client, "CUSTOM_AUTH")) throw errors.invalidParameter("CUSTOM_AUTH flow not enabled for this client");
  if (!ctx.triggers.has(pool, "DefineAuthChallenge")) throw errors.invalidParameter("Custom auth lambda trigger is not configured for the user pool.");
  const username = params.USERNAME;
  if (!username) throw errors.invalidParameter("Missing required parameter USERNAME");
  ctx.checkSecretHash(client, username, params.SECRET_HASH);
  const user = ctx.state.findUser(pool, username);
  if (!user && client.PreventUserExistenceErrors !== "ENABLED") throw errors.userNotFound("User does not exist.");
  if (user) {
    if (!user.enabled) throw errors.notAuthorized("User is disabled.");
    checkNotLockedOut(ctx, user);
    if (user.status === "UNCONFIRMED") throw errors.userNotConfirmed("User is not confirmed.");
  }
  await runPreAuthentication(ctx, pool, username, user, client.ClientId, undefined, clientMetadata);
  const withSrp = params.CHALLENGE_NAME === "SRP_A";
  if (withSrp && !params.SRP_A) throw errors.invalidParameter("Missing required parameter SRP_A");
  const state: CustomAuthState = {
    history: withSrp ? [{ challengeName: "SRP_A", challengeResult: true, challengeMetadata: null }] : [],
    givenUsername: username,
    userNotFound: !user,
    ...(clientMetadata ? { clientMetadata } : {}),
  };
  return nextStep(ctx, pool, client, user, state, withSrp ? params.SRP_A : undefined);
}

/** RespondToAuthChallenge with `ChallengeName: CUSTOM_CHALLENGE` and `ChallengeResponses {USERNAME, ANSWER}`. */
export async function answerCustomChallenge(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, state: CustomAuthState, sessionToken: string,
  responses: Record<string, string>, clientMetadata: Record<string, string> | undefined,
): Promise<AuthResponse> {
  const answer = responses.ANSWER;
  if (answer === undefined) throw errors.invalidParameter("Missing required parameter ANSWER");
  const user = state.userNotFound ? undefined : ctx.state.findUser(pool, state.givenUsername);
  if (!state.userNotFound && !user) throw errors.notAuthorized("Incorrect username or password.");
  if (user && !user.enabled) throw errors.notAuthorized("User is disabled.");
  // A Session answers once, whatever the outcome.
  ctx.challenges.close(sessionToken);
  const metadata = clientMetadata ?? state.clientMetadata;
  const verified = await ctx.triggers.run(pool, "VerifyAuthChallengeResponse", "VerifyAuthChallengeResponse_Authentication", user?.username ?? state.givenUsername, { clientId: client.ClientId }, {
    userAttributes: user ? eventUserAttributes(user) : {},
    privateChallengeParameters: state.privateChallengeParameters ?? {},
    challengeAnswer: answer,
    userNotFound: state.userNotFound,
    ...(metadata ? { clientMetadata: metadata } : {}),
  }, { answerCorrect: null });
  if (!verified) throw errors.invalidParameter("Custom auth lambda trigger is not configured for the user pool.");
  const correct = responseBoolean("VerifyAuthChallengeResponse", verified, "answerCorrect") && !state.userNotFound;
  const next: CustomAuthState = {
    ...state,
    history: [...state.history, { challengeName: "CUSTOM_CHALLENGE", challengeResult: correct, challengeMetadata: state.challengeMetadata ?? null }],
    privateChallengeParameters: undefined,
    challengeMetadata: undefined,
    ...(metadata ? { clientMetadata: metadata } : {}),
  };
  return nextStep(ctx, pool, client, user, next);
}

/** After PASSWORD_VERIFIER inside a custom-auth sign-in: DefineAuthChallenge sees the result and decides. */
export function continueAfterPassword(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord | undefined, state: CustomAuthState, passwordOk: boolean,
): Promise<AuthResponse> {
  return nextStep(ctx, pool, client, user, {
    ...state,
    history: [...state.history, { challengeName: "PASSWORD_VERIFIER", challengeResult: passwordOk, challengeMetadata: null }],
  });
}

/** Asks DefineAuthChallenge what comes next: tokens, a refusal, another custom challenge, or the SRP password step. */
async function nextStep(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord | undefined, state: CustomAuthState, srpA?: string,
): Promise<AuthResponse> {
  if (state.history.length > MAX_CHALLENGES) throw errors.notAuthorized("Incorrect username or password.");
  const userName = user?.username ?? state.givenUsername;
  const caller = { clientId: client.ClientId };
  const common = {
    userAttributes: user ? eventUserAttributes(user) : {},
    userNotFound: state.userNotFound,
    ...(state.clientMetadata ? { clientMetadata: state.clientMetadata } : {}),
  };
  const decided = await ctx.triggers.run(pool, "DefineAuthChallenge", "DefineAuthChallenge_Authentication", userName, caller, {
    ...common,
    session: state.history,
  }, { challengeName: null, issueTokens: null, failAuthentication: null });
  if (!decided) throw errors.invalidParameter("Custom auth lambda trigger is not configured for the user pool.");
  const failAuthentication = responseBoolean("DefineAuthChallenge", decided, "failAuthentication");
  const issue = responseBoolean("DefineAuthChallenge", decided, "issueTokens");
  const challengeName = responseString("DefineAuthChallenge", decided, "challengeName");
  if (failAuthentication) throw errors.notAuthorized("Incorrect username or password.");
  if (issue) {
    if (!user || state.userNotFound) throw errors.notAuthorized("Incorrect username or password.");
    if (user.status === "RESET_REQUIRED") throw errors.passwordResetRequired("Password reset required for the user");
    await runPostAuthentication(ctx, pool, user, client.ClientId, state.clientMetadata);
    return { ChallengeParameters: {}, AuthenticationResult: await issueTokens(ctx, pool, client, user, undefined, undefined, undefined, undefined, { clientMetadata: state.clientMetadata }) };
  }
  if (challengeName === "PASSWORD_VERIFIER" && srpA !== undefined) return passwordVerifierStep(ctx, pool, client, user, state, srpA);
  if (challengeName !== "CUSTOM_CHALLENGE") throw unrecognizable("DefineAuthChallenge");

  const created = await ctx.triggers.run(pool, "CreateAuthChallenge", "CreateAuthChallenge_Authentication", userName, caller, {
    ...common,
    challengeName,
    session: state.history,
  }, { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null });
  if (!created) throw errors.invalidParameter("Custom auth lambda trigger is not configured for the user pool.");
  const publicParameters = responseStringMap("CreateAuthChallenge", created, "publicChallengeParameters") ?? {};
  const privateParameters = responseStringMap("CreateAuthChallenge", created, "privateChallengeParameters") ?? {};
  const challengeMetadata = responseString("CreateAuthChallenge", created, "challengeMetadata");
  const session = ctx.challenges.open({
    challenge: "CUSTOM_CHALLENGE",
    userPoolId: pool.Id,
    clientId: client.ClientId,
    username: userName,
    custom: { ...state, privateChallengeParameters: privateParameters, ...(challengeMetadata !== undefined ? { challengeMetadata } : {}) },
  });
  return { ChallengeName: "CUSTOM_CHALLENGE", Session: session, ChallengeParameters: { ...publicParameters, USERNAME: userName } };
}

/** The PASSWORD_VERIFIER challenge of a custom-auth sign-in that started with SRP_A. */
function passwordVerifierStep(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord | undefined, state: CustomAuthState, srpA: string,
): AuthResponse {
  // An unknown user (PreventUserExistenceErrors) gets the challenge USER_SRP_AUTH gives it.
  return openPasswordVerifierChallenge(ctx, pool, client, user, state.givenUsername, srpA, state);
}
