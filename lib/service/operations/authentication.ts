// cognito-idp sign-in: InitiateAuth and AdminInitiateAuth (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_SRP_AUTH,
// REFRESH_TOKEN_AUTH) and RespondToAuthChallenge / AdminRespondToAuthChallenge (PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED
// and the MFA challenges), with lockout, user statuses and PreventUserExistenceErrors as AWS has them.
import type { ChallengeSession, CustomAuthState } from "../challenge-sessions";
import * as errors from "../errors";
import { optionalString, optionalStringMap, requiredString, type Input } from "../input";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { isClientSecret } from "../client-secrets";
import { issueTokens, refreshSessionTokens, rotatesRefreshTokens } from "../sessions";
import { isTimestampFresh, passwordMatchesVerifier, SrpParameterError, startSrpSession, verifyPasswordClaim } from "../srp";
import { seal, unseal } from "../service-secret";
import { checkNotLockedOut, recordFailedSignIn, recordSuccessfulSignIn, type SignInSubject } from "../sign-in-failures";
import { decoyUserId, decoyVerifier, hidesUserExistence } from "../user-existence";
import { clientAllowsFlow } from "./app-clients";
import { answerDeviceChallenge, carryDeviceKey, checkRefreshDevice, deviceChallengeSession, deviceForSignIn, deviceSkipsMfa, finishSignIn } from "./devices";
import { mfaChallengeAfterFirstFactor, answerMfaChallenge } from "./mfa";
import { checkAliasesFree, checkAttributes, passwordMatches, passwordRecord } from "../user-records";
import { answerCustomChallenge, continueAfterPassword, initiateCustomAuth } from "./custom-auth";
import { draftMigratedUser, putMigratedUser, validationDataOf } from "./sign-up";
import { deliverInvitation } from "./admin-users";
import { runCustomMessage, runPostAuthentication, runPreAuthentication, runUserMigration, type TokenSource } from "../trigger-hooks";

type AuthResponse = Record<string, unknown>;

/**
 * What ends a sign-in once every factor checks out. The API operations issue tokens (finishSignIn); the hosted sign-in page
 * (lib/service/oauth/login.ts) passes its own, which hands out an authorization code instead.
 */
export type SignInFinish = (user: UserRecord) => Promise<AuthResponse>;

/**
 * The hosted sign-in page's password step: the same checks as USER_PASSWORD_AUTH (existence, disabled, lockout,
 * password, status, MFA), without the client's ExplicitAuthFlows, which do not govern the hosted page. Returns a
 * challenge (NEW_PASSWORD_REQUIRED, SMS_MFA, SOFTWARE_TOKEN_MFA, ...) or what `finish` returns.
 */
export function hostedPasswordSignIn(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, username: string, password: string, finish: SignInFinish): Promise<AuthResponse> {
  return passwordSignIn(ctx, pool, client, username, password, finish);
}

/** The hosted page's password first factor (as USER_PASSWORD_AUTH, without device tracking), then what follows. */
async function passwordSignIn(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, username: string, password: string, finish?: SignInFinish): Promise<AuthResponse> {
  const migrated = await migrateOnSignIn(ctx, pool, client, username, password, {}, undefined);
  const user = ctx.state.findUser(pool, username);
  if (!user) return refuseUnknownPassword(ctx, pool, client, username, password);
  const subject: SignInSubject = { pool, user };
  checkNotLockedOut(ctx, subject);
  // An imported user (user import job) has no password until it resets one.
  if (user.status === "RESET_REQUIRED" && !user.password) throw errors.passwordResetRequired("Password reset required for the user");
  if (!migrated) await runPreAuthentication(ctx, pool, username, user, client.ClientId, undefined, undefined);
  if (!passwordMatches(pool, user, password)) {
    recordFailedSignIn(ctx, subject);
    throw errors.incorrectCredentials();
  }
  // Only the right password learns that the user is disabled (a wrong one gets the answer any wrong password gets).
  if (!user.enabled) throw errors.notAuthorized("User is disabled.");
  recordSuccessfulSignIn(ctx, subject);
  return afterFirstFactor(ctx, pool, client, user, undefined, "Authentication", undefined, finish);
}

/** The hosted sign-in page's answer to a challenge (a RespondToAuthChallenge input), ending with `finish`. */
export function hostedRespondToChallenge(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, input: Input, finish: SignInFinish): Promise<AuthResponse> {
  return respond(ctx, pool, client, input, finish);
}

export function authenticationOperations(ctx: ServiceContext): OperationTable {
  return {
    InitiateAuth(input) {
      const client = ctx.requireClient(requiredString(input, "ClientId"));
      const pool = ctx.requirePool(client.UserPoolId);
      return initiate(ctx, pool, client, input, false);
    },
    AdminInitiateAuth(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const client = ctx.requireClient(requiredString(input, "ClientId"), pool);
      return initiate(ctx, pool, client, input, true);
    },
    RespondToAuthChallenge(input) {
      const client = ctx.requireClient(requiredString(input, "ClientId"));
      const pool = ctx.requirePool(client.UserPoolId);
      return respond(ctx, pool, client, input);
    },
    /** Amplify v6's refresh: new ID and access tokens, and a new refresh token when the client rotates them. */
    async GetTokensFromRefreshToken(input) {
      const client = ctx.requireClient(requiredString(input, "ClientId"));
      const pool = ctx.requirePool(client.UserPoolId);
      const refreshToken = requiredString(input, "RefreshToken");
      optionalStringMap(input, "ClientMetadata");
      checkRefreshDevice(ctx, refreshToken, optionalString(input, "DeviceKey"));
      if (client.ClientSecret) {
        const secret = optionalString(input, "ClientSecret");
        if (secret === undefined) throw errors.notAuthorized(`Client ${client.ClientId} is configured with secret but ClientSecret was not received`);
        if (!isClientSecret(client, secret)) throw errors.notAuthorized(`Unable to verify secret for client ${client.ClientId}`);
      }
      return { AuthenticationResult: await refreshSessionTokens(ctx, pool, client, refreshToken, rotatesRefreshTokens(client)) };
    },
    AdminRespondToAuthChallenge(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const client = ctx.requireClient(requiredString(input, "ClientId"), pool);
      return respond(ctx, pool, client, input);
    },
  };
}

async function initiate(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, input: Input, admin: boolean): Promise<AuthResponse> {
  const flow = requiredString(input, "AuthFlow");
  const params = parameterMap(input, "AuthParameters");
  const clientMetadata = optionalStringMap(input, "ClientMetadata");
  const param = (name: string) => {
    const value = params[name];
    if (value === undefined || value === "") throw errors.invalidParameter(`Missing required parameter ${name}`);
    return value;
  };
  switch (flow) {
    case "USER_PASSWORD_AUTH":
    case "ADMIN_USER_PASSWORD_AUTH":
    case "ADMIN_NO_SRP_AUTH": {
      const wanted = flow === "USER_PASSWORD_AUTH" ? "USER_PASSWORD_AUTH" : "ADMIN_USER_PASSWORD_AUTH";
      if ((wanted === "USER_PASSWORD_AUTH") === admin) throw errors.invalidParameter(`Initiate Auth method not supported.`);
      if (!clientAllowsFlow(client, wanted)) throw errors.invalidParameter(`${wanted} flow not enabled for this client`);
      const username = param("USERNAME");
      const password = param("PASSWORD");
      ctx.checkSecretHash(client, username, params.SECRET_HASH);
      const migrated = await migrateOnSignIn(ctx, pool, client, username, password, input, clientMetadata);
      const user = ctx.state.findUser(pool, username);
      if (!user) return refuseUnknownPassword(ctx, pool, client, username, password);
      const subject: SignInSubject = { pool, user };
      checkNotLockedOut(ctx, subject);
      // An imported user (user import job) has no password until it resets one.
      if (user.status === "RESET_REQUIRED" && !user.password) throw errors.passwordResetRequired("Password reset required for the user");
      if (!migrated) await runPreAuthentication(ctx, pool, username, user, client.ClientId, validationDataOf(input), clientMetadata);
      if (!passwordMatches(pool, user, password)) {
        recordFailedSignIn(ctx, subject);
        throw errors.incorrectCredentials();
      }
      // Only the right password learns that the user is disabled (a wrong one gets the answer any wrong password gets).
      if (!user.enabled) throw errors.notAuthorized("User is disabled.");
      recordSuccessfulSignIn(ctx, subject);
      deviceForSignIn(ctx, pool, user, params.DEVICE_KEY);
      return afterFirstFactor(ctx, pool, client, user, params.DEVICE_KEY, "Authentication", clientMetadata);
    }
    case "USER_SRP_AUTH": {
      if (!clientAllowsFlow(client, "USER_SRP_AUTH")) throw errors.invalidParameter("USER_SRP_AUTH flow not enabled for this client");
      const username = param("USERNAME");
      const srpA = param("SRP_A");
      ctx.checkSecretHash(client, username, params.SECRET_HASH);
      const user = ctx.state.findUser(pool, username);
      if (!user && !hidesUserExistence(client)) throw errors.userNotFound("User does not exist.");
      await runPreAuthentication(ctx, pool, username, user, client.ClientId, validationDataOf(input), clientMetadata);
      return openPasswordVerifierChallenge(ctx, pool, client, user, username, srpA);
    }
    case "REFRESH_TOKEN_AUTH":
    case "REFRESH_TOKEN": {
      const refreshToken = param("REFRESH_TOKEN");
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
    case "CUSTOM_AUTH":
      return initiateCustomAuth(ctx, pool, client, params, clientMetadata);
    case "USER_AUTH":
      throw errors.invalidParameter("USER_AUTH flow not enabled for this client");
    default:
      throw errors.invalidParameter(`1 validation error detected: Value '${flow}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set`);
  }
}

/**
 * AuthParameters / ChallengeResponses as a string map. Null entries are dropped as AWS does: amazon-cognito-identity-js
 * sends `DEVICE_KEY: null` on refresh when its storage (e.g. localStorage) has no device key.
 */
function parameterMap(input: Input, member: string): Record<string, string> {
  const raw = input[member];
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return optionalStringMap(input, member) ?? {};
  const present = Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([, value]) => value !== null));
  return optionalStringMap({ [member]: present }, member) ?? {};
}

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
  let srp;
  try {
    srp = startSrpSession(verifier.verifier, srpA);
  } catch (e) {
    if (e instanceof SrpParameterError) throw errors.invalidParameter(e.message);
    throw e;
  }
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

/**
 * A password for a name no user has: UserNotFoundException, or (hiding user existence) exactly what a wrong password
 * of a real user costs and answers: the same verifier computation, the same failure count and lockout.
 */
function refuseUnknownPassword(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, name: string, password: string): never {
  if (!hidesUserExistence(client)) throw errors.userNotFound("User does not exist.");
  const subject: SignInSubject = { pool, unknownName: name };
  checkNotLockedOut(ctx, subject);
  const decoy = decoyVerifier(ctx, pool, name);
  passwordMatchesVerifier(pool.Id, decoyUserId(ctx, pool, name), password, decoy.salt, decoy.verifier);
  recordFailedSignIn(ctx, subject);
  throw errors.incorrectCredentials();
}

/**
 * USER_PASSWORD_AUTH for a username the pool does not know: the UserMigration trigger may bring the user in with the
 * password it signed in with. True when it did.
 */
async function migrateOnSignIn(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, username: string, password: string, input: Input,
  clientMetadata: Record<string, string> | undefined,
): Promise<boolean> {
  if (ctx.state.findUser(pool, username) || !ctx.triggers.has(pool, "UserMigration")) return false;
  const migrated = await runUserMigration(ctx, pool, "Authentication", username, password, client.ClientId, validationDataOf(input), clientMetadata);
  if (!migrated) return false;
  if (ctx.state.findUser(pool, username)) return false; // signed up meanwhile
  const user = draftMigratedUser(ctx, pool, username, migrated, password, migrated.finalUserStatus);
  // Unless the trigger says SUPPRESS, a migrated user gets the welcome message AdminCreateUser sends (its text written
  // by CustomMessage as `CustomMessage_AdminCreateUser`), all before the user is stored. The password it signed in
  // with is its own, never written into a message: the `{####}` of the text shows a mask.
  const welcome = migrated.messageAction !== "SUPPRESS";
  const message = welcome ? await runCustomMessage(ctx, pool, "AdminCreateUser", user, client.ClientId, clientMetadata) : undefined;
  if (ctx.state.findUser(pool, username)) return false;
  putMigratedUser(ctx, pool, username, user);
  if (welcome) deliverInvitation(ctx, pool, user, MIGRATED_PASSWORD_MASK, migrated.desiredDeliveryMediums, message);
  return true;
}

/** What fills the password placeholder of a migrated user's welcome message. */
export const MIGRATED_PASSWORD_MASK = "********";

/** A sign-in that succeeded: PostAuthentication, then tokens. */
export async function completeSignIn(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, source: TokenSource = "Authentication",
  clientMetadata?: Record<string, string>,
): Promise<AuthResponse> {
  await runPostAuthentication(ctx, pool, user, client.ClientId, clientMetadata);
  return { ChallengeParameters: {}, AuthenticationResult: await issueTokens(ctx, pool, client, user, undefined, undefined, undefined, undefined, { source, clientMetadata }) };
}

/** After the password (or SRP proof) checks out: statuses, forced password change, MFA, or tokens. */
async function afterFirstFactor(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, deviceKey?: string, source: TokenSource = "Authentication",
  clientMetadata?: Record<string, string>, finish?: SignInFinish,
): Promise<AuthResponse> {
  switch (user.status) {
    case "UNCONFIRMED":
      throw errors.userNotConfirmed("User is not confirmed.");
    case "RESET_REQUIRED":
      throw errors.passwordResetRequired("Password reset required for the user");
    case "FORCE_CHANGE_PASSWORD": {
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
    default:
      break;
  }
  const mfa = deviceSkipsMfa(ctx, pool, user, deviceKey) ? undefined : await mfaChallengeAfterFirstFactor(ctx, pool, client, user, clientMetadata);
  if (mfa) return carryDeviceKey(ctx, mfa, deviceKey);
  if (finish) {
    await runPostAuthentication(ctx, pool, user, client.ClientId, clientMetadata);
    return finish(user);
  }
  if (source !== "Authentication") return completeSignIn(ctx, pool, client, user, source, clientMetadata);
  await runPostAuthentication(ctx, pool, user, client.ClientId, clientMetadata);
  return finishSignIn(ctx, pool, client, user, deviceKey);
}

async function respond(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, input: Input, finish?: SignInFinish): Promise<AuthResponse> {
  const challengeName = requiredString(input, "ChallengeName");
  const responses = parameterMap(input, "ChallengeResponses");
  const clientMetadata = optionalStringMap(input, "ClientMetadata");
  const username = responses.USERNAME;
  if (!username) throw errors.invalidParameter("Missing required parameter USERNAME");
  ctx.checkSecretHash(client, username, responses.SECRET_HASH);
  if (challengeName === "PASSWORD_VERIFIER") return answerPasswordVerifier(ctx, pool, client, input, responses, clientMetadata);

  const sessionToken = deviceChallengeSession(ctx, challengeName, optionalString(input, "Session"));
  const session = ctx.challenges.find(sessionToken);
  if (!session || !sessionToken || session.userPoolId !== pool.Id || session.clientId !== client.ClientId) throw errors.notAuthorized("Invalid session for the user, session is expired.");
  if (session.challenge !== challengeName) throw errors.invalidParameter(`Invalid challenge name ${challengeName}; expected ${session.challenge}.`);
  if (challengeName === "CUSTOM_CHALLENGE" && session.custom) {
    return answerCustomChallenge(ctx, pool, client, session.custom, sessionToken, responses, clientMetadata);
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
      ctx.challenges.close(sessionToken!);
      return afterFirstFactor(ctx, pool, client, updated, undefined, "NewPasswordChallenge", clientMetadata, finish);
    }
    default: {
      const answered = await answerMfaChallenge(ctx, pool, client, user, session, sessionToken!, challengeName, responses, clientMetadata);
      if ("next" in answered) return carryDeviceKey(ctx, answered.next, session.deviceKey);
      await runPostAuthentication(ctx, pool, answered.user, client.ClientId, clientMetadata);
      if (finish) {
        ctx.challenges.close(sessionToken!);
        return finish(answered.user);
      }
      return finishSignIn(ctx, pool, client, answered.user, session.deviceKey, sessionToken);
    }
  }
}

/**
 * PASSWORD_VERIFIER: the SRP proof. The challenge is found from the Session or, when a client sends none (Python's
 * pycognito/warrant), from the sealed secret block; both must name the same live challenge of this client. A challenge
 * issued to an unknown name is checked against its decoy verifier, so that it costs what a real wrong password costs.
 */
async function answerPasswordVerifier(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, input: Input, responses: Record<string, string>,
  clientMetadata: Record<string, string> | undefined,
): Promise<AuthResponse> {
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
    srpA: srp.srpA,
    serverSecretB: srp.serverSecretB,
    srpB: srp.srpB,
    secretBlock: srp.secretBlock,
    timestamp,
    signature,
  });
  ctx.challenges.close(sessionToken!);
  if (session.custom && (user || session.custom.userNotFound)) {
    // Inside a custom-auth sign-in, DefineAuthChallenge decides what a right or wrong password leads to; for an
    // unknown name too (with userNotFound), so that it answers as it would a real user's wrong password.
    if (proven && user) recordSuccessfulSignIn(ctx, subject);
    else recordFailedSignIn(ctx, subject);
    return continueAfterPassword(ctx, pool, client, user, session.custom, proven && user !== undefined);
  }
  if (!proven || !user) {
    recordFailedSignIn(ctx, subject);
    throw errors.incorrectCredentials();
  }
  if (!user.enabled) throw errors.notAuthorized("User is disabled.");
  recordSuccessfulSignIn(ctx, subject);
  return afterFirstFactor(ctx, pool, client, user, responses.DEVICE_KEY, "Authentication", clientMetadata);
}
