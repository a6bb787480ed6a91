// cognito-idp sign-in: InitiateAuth and AdminInitiateAuth (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_SRP_AUTH,
// REFRESH_TOKEN_AUTH) and RespondToAuthChallenge / AdminRespondToAuthChallenge (PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED
// and the MFA challenges), with lockout, user statuses and PreventUserExistenceErrors as AWS has them.
import { randomBytes } from "node:crypto";
import type { ChallengeSession } from "../challenge-sessions";
import * as errors from "../errors";
import { optionalString, optionalStringMap, requiredString, type Input } from "../input";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { issueTokens } from "../sessions";
import { isTimestampFresh, SrpParameterError, startSrpSession, verifyPasswordClaim, createPasswordVerifier } from "../srp";
import { clientAllowsFlow } from "./app-clients";
import { mfaChallengeAfterFirstFactor, answerMfaChallenge } from "./mfa";
import {
  checkAliasesFree, checkAttributes, checkNotLockedOut, passwordMatches, passwordRecord, recordFailedSignIn, recordSuccessfulSignIn,
} from "../user-records";

type AuthResponse = Record<string, unknown>;

/**
 * What ends a sign-in once every factor checks out. The API operations issue tokens; the hosted sign-in page
 * (lib/service/oauth/login.ts) passes its own, which hands out an authorization code instead.
 */
export type SignInFinish = (user: UserRecord) => Promise<AuthResponse>;

const issueAuthenticationResult = (ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord): SignInFinish =>
  async (user) => ({ ChallengeParameters: {}, AuthenticationResult: await issueTokens(ctx, pool, client, user) });

/**
 * The hosted sign-in page's password step: the same checks as USER_PASSWORD_AUTH (existence, disabled, lockout,
 * password, status, MFA), without the client's ExplicitAuthFlows, which do not govern the hosted page. Returns a
 * challenge (NEW_PASSWORD_REQUIRED, SMS_MFA, SOFTWARE_TOKEN_MFA, ...) or what `finish` returns.
 */
export async function hostedPasswordSignIn(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, username: string, password: string, finish: SignInFinish): Promise<AuthResponse> {
  const user = signInUser(ctx, pool, client, username);
  if (!passwordMatches(pool, user, password)) {
    recordFailedSignIn(ctx, pool, user);
    throw errors.incorrectCredentials();
  }
  return afterFirstFactor(ctx, pool, client, recordSuccessfulSignIn(ctx, pool, user), finish);
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
      const user = signInUser(ctx, pool, client, username);
      if (!passwordMatches(pool, user, password)) {
        recordFailedSignIn(ctx, pool, user);
        throw errors.incorrectCredentials();
      }
      return afterFirstFactor(ctx, pool, client, recordSuccessfulSignIn(ctx, pool, user));
    }
    case "USER_SRP_AUTH": {
      if (!clientAllowsFlow(client, "USER_SRP_AUTH")) throw errors.invalidParameter("USER_SRP_AUTH flow not enabled for this client");
      const username = param("USERNAME");
      const srpA = param("SRP_A");
      ctx.checkSecretHash(client, username, params.SECRET_HASH);
      const user = ctx.state.findUser(pool, username);
      if (!user && client.PreventUserExistenceErrors !== "ENABLED") throw errors.userNotFound("User does not exist.");
      // With PreventUserExistenceErrors an unknown user gets a challenge too, which no password can answer.
      const verifier = user?.password ?? createPasswordVerifier(pool.Id, username, randomBytes(24).toString("base64"));
      let srp;
      try {
        srp = startSrpSession(verifier.verifier, srpA);
      } catch (e) {
        if (e instanceof SrpParameterError) throw errors.invalidParameter(e.message);
        throw e;
      }
      const userIdForSrp = user?.username ?? username;
      const secretBlock = randomBytes(64).toString("base64");
      const session = ctx.challenges.open({
        challenge: "PASSWORD_VERIFIER",
        userPoolId: pool.Id,
        clientId: client.ClientId,
        username: userIdForSrp,
        srp: { srpA, serverSecretB: srp.serverSecretB, srpB: srp.srpB, secretBlock },
      });
      return {
        ChallengeName: "PASSWORD_VERIFIER",
        Session: session,
        ChallengeParameters: { SALT: verifier.salt, SECRET_BLOCK: secretBlock, SRP_B: srp.srpB, USERNAME: userIdForSrp, USER_ID_FOR_SRP: userIdForSrp },
      };
    }
    case "REFRESH_TOKEN_AUTH":
    case "REFRESH_TOKEN": {
      const refreshToken = param("REFRESH_TOKEN");
      const session = ctx.state.sessionByRefreshToken(refreshToken);
      if (!session || session.revoked || session.refreshExpiresAt <= ctx.now() || session.clientId !== client.ClientId || session.userPoolId !== pool.Id) {
        throw errors.notAuthorized("Invalid Refresh Token");
      }
      const user = ctx.state.userByUsername(pool, session.username);
      if (!user) throw errors.notAuthorized("Invalid Refresh Token");
      if (client.ClientSecret) ctx.checkSecretHash(client, params.USERNAME ?? user.username, params.SECRET_HASH);
      if (!user.enabled) throw errors.notAuthorized("User is disabled.");
      return { ChallengeParameters: {}, AuthenticationResult: await issueTokens(ctx, pool, client, user, session) };
    }
    case "CUSTOM_AUTH":
      throw errors.invalidParameter("Custom auth lambda trigger is not configured for the user pool.");
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

/** The user signing in, checked for existence, disabled state and lockout (before any password check). */
function signInUser(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, username: string): UserRecord {
  const user = ctx.requireUser(pool, username, client);
  if (!user.enabled) throw errors.notAuthorized("User is disabled.");
  checkNotLockedOut(ctx, user);
  return user;
}

/** After the password (or SRP proof) checks out: statuses, forced password change, MFA, or tokens. */
async function afterFirstFactor(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, finish = issueAuthenticationResult(ctx, pool, client)): Promise<AuthResponse> {
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
  const mfa = mfaChallengeAfterFirstFactor(ctx, pool, client, user);
  if (mfa) return mfa;
  return finish(user);
}

async function respond(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, input: Input, finish = issueAuthenticationResult(ctx, pool, client)): Promise<AuthResponse> {
  const challengeName = requiredString(input, "ChallengeName");
  const responses = parameterMap(input, "ChallengeResponses");
  const sessionToken = optionalString(input, "Session");
  const username = responses.USERNAME;
  if (!username) throw errors.invalidParameter("Missing required parameter USERNAME");
  ctx.checkSecretHash(client, username, responses.SECRET_HASH);

  let session: ChallengeSession | undefined;
  if (challengeName === "PASSWORD_VERIFIER") {
    session = findSrpSession(ctx, sessionToken, responses.PASSWORD_CLAIM_SECRET_BLOCK);
  } else {
    session = ctx.challenges.find(sessionToken);
  }
  if (!session || session.userPoolId !== pool.Id || session.clientId !== client.ClientId) throw errors.notAuthorized("Invalid session for the user, session is expired.");
  if (session.challenge !== challengeName && !(session.challenge === "SELECT_MFA_TYPE" && challengeName === "SELECT_MFA_TYPE")) {
    throw errors.invalidParameter(`Invalid challenge name ${challengeName}; expected ${session.challenge}.`);
  }
  const user = ctx.state.findUser(pool, username) ?? ctx.state.userByUsername(pool, session.username);
  if (!user || (user.username !== session.username && challengeName !== "PASSWORD_VERIFIER")) {
    if (client.PreventUserExistenceErrors === "ENABLED") throw errors.incorrectCredentials();
    throw errors.userNotFound("User does not exist.");
  }
  if (!user.enabled) throw errors.notAuthorized("User is disabled.");

  switch (challengeName) {
    case "PASSWORD_VERIFIER": {
      const srp = session.srp!;
      checkNotLockedOut(ctx, user);
      const timestamp = responses.TIMESTAMP ?? "";
      const signature = responses.PASSWORD_CLAIM_SIGNATURE ?? "";
      if (!timestamp || !signature) throw errors.invalidParameter("Missing required parameter PASSWORD_CLAIM_SIGNATURE or TIMESTAMP");
      if (!isTimestampFresh(timestamp, new Date(ctx.nowMs()))) throw errors.notAuthorized("Incorrect username or password.");
      const ok = user.username === session.username && !!user.password && verifyPasswordClaim({
        userPoolId: pool.Id,
        userIdForSrp: session.username,
        salt: user.password.salt,
        verifier: user.password.verifier,
        srpA: srp.srpA,
        serverSecretB: srp.serverSecretB,
        srpB: srp.srpB,
        secretBlock: srp.secretBlock,
        timestamp,
        signature,
      });
      ctx.challenges.close(sessionToken!);
      if (!ok) {
        recordFailedSignIn(ctx, pool, user);
        throw errors.incorrectCredentials();
      }
      return afterFirstFactor(ctx, pool, client, recordSuccessfulSignIn(ctx, pool, user), finish);
    }
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
      return afterFirstFactor(ctx, pool, client, updated, finish);
    }
    default: {
      const answered = answerMfaChallenge(ctx, pool, client, user, session, sessionToken!, challengeName, responses);
      if ("next" in answered) return answered.next;
      return finish(answered.user);
    }
  }
}

/** amazon-cognito-identity-js may or may not echo Session for PASSWORD_VERIFIER; the secret block identifies it too. */
function findSrpSession(ctx: ServiceContext, sessionToken: string | undefined, secretBlock: string | undefined): ChallengeSession | undefined {
  const bySession = ctx.challenges.find(sessionToken);
  if (bySession?.challenge === "PASSWORD_VERIFIER" && bySession.srp?.secretBlock === secretBlock) return bySession;
  return undefined;
}

