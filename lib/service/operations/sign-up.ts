// cognito-idp self-service registration and recovery: SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword and
// ConfirmForgotPassword. Codes are six digits, written to the log and the local-only code route.
import * as errors from "../errors";
import { attributeList, optionalString, optionalStringMap, requiredString, type Input } from "../input";
import type { UserPoolRecord, UserRecord } from "../model";
import type { MigratedUser } from "../trigger-hooks";
import type { OperationTable, ServiceContext } from "../context";
import { checkAliasesFree, newUser, passwordRecord, passwordRecordOffMainThread } from "../user-records";
import { runCustomMessage, runPostConfirmation, runPreSignUp, runUserMigration, withAutoVerified } from "../trigger-hooks";

/** `ValidationData` ([{Name, Value}]) as the name → value map trigger events carry. */
export function validationDataOf(input: Input): Record<string, string> | undefined {
  if (input.ValidationData === undefined || input.ValidationData === null) return undefined;
  const map: Record<string, string> = {};
  for (const { name, value } of attributeList(input, "ValidationData")) if (value !== undefined) map[name] = value;
  return map;
}
import { decoyDelivery, hidesUserExistence } from "../user-existence";
import { checkPasswordlessSignUp } from "../sign-in/first-factors";
import { checkSignUpSession, openConfirmedSignUpSession, openSignUpSession } from "../sign-in/sign-up-session";

export function signUpOperations(ctx: ServiceContext): OperationTable {
  const { state } = ctx;
  return {
    async SignUp(input) {
      const client = ctx.requireClient(requiredString(input, "ClientId"));
      const pool = ctx.requirePool(client.UserPoolId);
      const username = requiredString(input, "Username");
      // A blank password is no password: a passwordless sign-up, where the pool and client allow one.
      const password = optionalString(input, "Password") || undefined;
      const clientMetadata = optionalStringMap(input, "ClientMetadata");
      const validationData = validationDataOf(input);
      if (pool.adminCreateUserOnly) throw errors.notAuthorized("SignUp is not permitted for this user pool");
      ctx.checkSecretHash(client, username, optionalString(input, "SecretHash"));
      if (password !== undefined) ctx.checkPasswordPolicy(pool, password);
      const draft = newUser(ctx, pool, username, attributeList(input, "UserAttributes"), "UNCONFIRMED");
      if (password === undefined) checkPasswordlessSignUp(pool, client, draft);
      if (state.userByUsername(pool, draft.username)) throw errors.usernameExists("User already exists");
      checkAliasesFree(ctx, pool, draft, draft.attributes);
      // Triggers run before anything is stored, so a refusing or failing one leaves no user behind.
      const pre = await runPreSignUp(ctx, pool, "SignUp", draft, client.ClientId, validationData, clientMetadata);
      const confirmed: UserRecord = { ...draft, attributes: withAutoVerified(draft.attributes, pre), status: pre.autoConfirmUser ? "CONFIRMED" : "UNCONFIRMED" };
      const verify = pre.autoConfirmUser ? undefined : pool.autoVerifiedAttributes.find((a) => confirmed.attributes[a] !== undefined);
      const message = verify ? await runCustomMessage(ctx, pool, "SignUp", confirmed, client.ClientId, clientMetadata) : undefined;
      // The verifier's BigInt work runs off the event loop under load (it is most of a sign-up's CPU).
      const stored = password !== undefined ? await passwordRecordOffMainThread(pool, draft, password) : undefined;
      // Existence is checked and the user stored in the same tick: concurrent SignUps of one name give one user.
      if (state.userByUsername(pool, draft.username)) throw errors.usernameExists("User already exists");
      checkAliasesFree(ctx, pool, confirmed, confirmed.attributes);
      const user: UserRecord = { ...confirmed, ...(stored ? { password: stored } : {}) };
      state.putUser(pool, user);
      const delivery = verify ? ctx.issueCode(pool, user, "SIGN_UP", verify, message) : undefined;
      return {
        UserConfirmed: pre.autoConfirmUser,
        UserSub: user.sub,
        ...(delivery ? { CodeDeliveryDetails: delivery } : {}),
        Session: openSignUpSession(ctx, pool, client, user),
      };
    },
    async ConfirmSignUp(input) {
      const client = ctx.requireClient(requiredString(input, "ClientId"));
      const pool = ctx.requirePool(client.UserPoolId);
      const username = requiredString(input, "Username");
      const code = requiredString(input, "ConfirmationCode");
      ctx.checkSecretHash(client, username, optionalString(input, "SecretHash"));
      const user = state.findUser(pool, username);
      // Hiding user existence, an unknown name gets what a wrong code gets.
      if (!user && hidesUserExistence(client)) throw errors.codeMismatch("Invalid verification code provided, please try again.");
      if (!user) throw errors.userNotFound("User does not exist.");
      if (user.status !== "UNCONFIRMED") throw errors.notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
      const signUpSession = optionalString(input, "Session");
      if (signUpSession !== undefined) checkSignUpSession(ctx, pool, client, user, signUpSession);
      const pending = state.pendingCode(pool.Id, user.username, "SIGN_UP");
      ctx.consumeCode(pool, user, "SIGN_UP", code);
      const attributes = { ...user.attributes };
      if (pending?.attribute) attributes[`${pending.attribute}_verified`] = "true";
      const updated: UserRecord = { ...user, attributes, status: "CONFIRMED", lastModifiedAt: ctx.now() };
      try {
        await runPostConfirmation(ctx, pool, "ConfirmSignUp", updated, client.ClientId, optionalStringMap(input, "ClientMetadata"));
      } catch (e) {
        // The confirmation did not happen: the code stays good for another try.
        if (pending) state.putPendingCode(pending);
        throw e;
      }
      const confirmed = { ...(state.userByUsername(pool, user.username) ?? user), attributes, status: "CONFIRMED" as const, lastModifiedAt: ctx.now() };
      state.putUser(pool, confirmed);
      // The code just given is a first factor: its Session signs the user in once (InitiateAuth USER_AUTH).
      return { Session: openConfirmedSignUpSession(ctx, pool, client, confirmed, signUpSession) };
    },
    async ResendConfirmationCode(input) {
      const client = ctx.requireClient(requiredString(input, "ClientId"));
      const pool = ctx.requirePool(client.UserPoolId);
      const username = requiredString(input, "Username");
      ctx.checkSecretHash(client, username, optionalString(input, "SecretHash"));
      const user = state.findUser(pool, username);
      // Hiding user existence, an unknown name is "sent" a code to a simulated destination.
      if (!user && hidesUserExistence(client)) return { CodeDeliveryDetails: decoyDelivery(ctx, pool, username) };
      if (!user) throw errors.userNotFound("User does not exist.");
      if (user.status !== "UNCONFIRMED") throw errors.invalidParameter("User is already confirmed.");
      const attribute = pool.autoVerifiedAttributes.find((a) => user.attributes[a] !== undefined) ?? (user.attributes.email ? "email" : "phone_number");
      if (!user.attributes[attribute]) throw errors.invalidParameter("Cannot send a code: the user has no email or phone_number.");
      const message = await runCustomMessage(ctx, pool, "ResendCode", user, client.ClientId, optionalStringMap(input, "ClientMetadata"));
      return { CodeDeliveryDetails: ctx.issueCode(pool, user, "SIGN_UP", attribute, message) };
    },
    async ForgotPassword(input) {
      const client = ctx.requireClient(requiredString(input, "ClientId"));
      const pool = ctx.requirePool(client.UserPoolId);
      const username = requiredString(input, "Username");
      const clientMetadata = optionalStringMap(input, "ClientMetadata");
      ctx.checkSecretHash(client, username, optionalString(input, "SecretHash"));
      // A pool whose first recovery mechanism is admin_only resets passwords through its administrators only.
      if (firstRecoveryMechanism(pool) === "admin_only") throw errors.notAuthorized("Contact administrator to reset password.");
      const user = state.findUser(pool, username) ?? (await migrateForReset(ctx, pool, client.ClientId, username, clientMetadata));
      if (!user) {
        if (hidesUserExistence(client)) return { CodeDeliveryDetails: decoyDelivery(ctx, pool, username) };
        throw errors.userNotFound("Username/client id combination not found.");
      }
      if (!user.enabled) throw errors.notAuthorized("User is disabled.");
      const attribute = user.attributes.email_verified === "true" ? "email" : user.attributes.phone_number_verified === "true" ? "phone_number" : undefined;
      if (!attribute) {
        // AWS sends the code to an unverified address only while the user is still UNCONFIRMED or RESET_REQUIRED.
        const fallback = user.attributes.email ? "email" : user.attributes.phone_number ? "phone_number" : undefined;
        if (!fallback || user.status === "CONFIRMED") throw errors.invalidParameter("Cannot reset password for the user as there is no registered/verified email or phone_number");
        const message = await runCustomMessage(ctx, pool, "ForgotPassword", user, client.ClientId, clientMetadata);
        return { CodeDeliveryDetails: ctx.issueCode(pool, user, "FORGOT_PASSWORD", fallback, message) };
      }
      const message = await runCustomMessage(ctx, pool, "ForgotPassword", user, client.ClientId, clientMetadata);
      return { CodeDeliveryDetails: ctx.issueCode(pool, user, "FORGOT_PASSWORD", attribute, message) };
    },
    async ConfirmForgotPassword(input) {
      const client = ctx.requireClient(requiredString(input, "ClientId"));
      const pool = ctx.requirePool(client.UserPoolId);
      const username = requiredString(input, "Username");
      const code = requiredString(input, "ConfirmationCode");
      const password = requiredString(input, "Password");
      ctx.checkSecretHash(client, username, optionalString(input, "SecretHash"));
      const user = state.findUser(pool, username);
      if (!user && !hidesUserExistence(client)) throw errors.userNotFound("User does not exist.");
      ctx.checkPasswordPolicy(pool, password);
      // Hiding user existence, an unknown name gets what a wrong code gets.
      if (!user) throw errors.codeMismatch("Invalid verification code provided, please try again.");
      const pending = state.pendingCode(pool.Id, user.username, "FORGOT_PASSWORD");
      ctx.consumeCode(pool, user, "FORGOT_PASSWORD", code);
      const updated: UserRecord = {
        ...user,
        password: passwordRecord(pool, user, password),
        status: user.status === "UNCONFIRMED" ? "UNCONFIRMED" : "CONFIRMED",
        failedSignIns: 0,
        lockedUntil: undefined,
        lastModifiedAt: ctx.now(),
      };
      try {
        await runPostConfirmation(ctx, pool, "ConfirmForgotPassword", updated, client.ClientId, optionalStringMap(input, "ClientMetadata"));
      } catch (e) {
        if (pending) state.putPendingCode(pending);
        throw e;
      }
      state.putUser(pool, { ...(state.userByUsername(pool, user.username) ?? user), password: updated.password, status: updated.status, failedSignIns: 0, lockedUntil: undefined, lastModifiedAt: ctx.now() });
      return {};
    },
  };
}

/** ForgotPassword for a username the pool does not know: the UserMigration trigger may bring the user in (RESET_REQUIRED). */
async function migrateForReset(
  ctx: ServiceContext, pool: UserPoolRecord, clientId: string, username: string, clientMetadata: Record<string, string> | undefined,
): Promise<UserRecord | undefined> {
  if (!ctx.triggers.has(pool, "UserMigration")) return undefined;
  const migrated = await runUserMigration(ctx, pool, "ForgotPassword", username, undefined, clientId, undefined, clientMetadata);
  if (!migrated) return undefined;
  return storeMigratedUser(ctx, pool, username, migrated, undefined, "RESET_REQUIRED");
}

/** The user a UserMigration trigger returned, checked as AdminCreateUser checks its attributes, not yet stored. */
export function draftMigratedUser(
  ctx: ServiceContext, pool: UserPoolRecord, username: string, migrated: MigratedUser, password: string | undefined, status: UserRecord["status"],
): UserRecord {
  const attributes = Object.entries(migrated.attributes).map(([name, value]) => ({ name, value }));
  const draft = newUser(ctx, pool, username, attributes, status, false);
  if (ctx.state.userByUsername(pool, draft.username)) throw errors.usernameExists("User account already exists");
  checkAliasesFree(ctx, pool, draft, draft.attributes);
  return { ...draft, ...(password !== undefined ? { password: passwordRecord(pool, draft, password) } : {}) };
}

/** Stores a user a UserMigration trigger returned (see draftMigratedUser). */
export function storeMigratedUser(
  ctx: ServiceContext, pool: UserPoolRecord, username: string, migrated: MigratedUser, password: string | undefined, status: UserRecord["status"],
): UserRecord {
  return putMigratedUser(ctx, pool, username, draftMigratedUser(ctx, pool, username, migrated, password, status));
}

/** Stores a drafted migrated user (checking again that no user took its name meanwhile). */
export function putMigratedUser(ctx: ServiceContext, pool: UserPoolRecord, username: string, user: UserRecord): UserRecord {
  if (ctx.state.userByUsername(pool, user.username)) throw errors.usernameExists("User account already exists");
  ctx.state.putUser(pool, user);
  ctx.log(`[trigger] UserMigration brought ${username} into pool ${pool.Id} as ${user.username} (${user.status})`);
  return user;
}

/** The name of the pool's highest-priority AccountRecoverySetting mechanism, if it set any. */
function firstRecoveryMechanism(pool: UserPoolRecord): string | undefined {
  const setting = pool.settings.AccountRecoverySetting as { RecoveryMechanisms?: Array<{ Name?: unknown; Priority?: unknown }> } | undefined;
  const mechanisms = Array.isArray(setting?.RecoveryMechanisms) ? setting.RecoveryMechanisms : [];
  const first = [...mechanisms].sort((a, b) => Number(a.Priority) - Number(b.Priority))[0];
  return typeof first?.Name === "string" ? first.Name : undefined;
}
