// The password first factor sent in the clear (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, the hosted sign-in page):
// UserMigration for unknown names, lockout, PreAuthentication, the password itself and the user's state, with
// PreventUserExistenceErrors hiding unknown names behind what a wrong password costs and answers.
import type { ServiceContext } from "../context";
import * as errors from "../errors";
import type { Input } from "../input";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import { deliverInvitation } from "../operations/admin-users";
import { draftMigratedUser, putMigratedUser, validationDataOf } from "../operations/sign-up";
import { checkNotLockedOut, recordFailedSignIn, recordSuccessfulSignIn, type SignInSubject } from "../sign-in-failures";
import { passwordMatchesVerifierOffMainThread } from "../srp";
import { runCustomMessage, runPreAuthentication, runUserMigration } from "../trigger-hooks";
import { decoyUserId, decoyVerifier, hidesUserExistence } from "../user-existence";
import { passwordMatchesOffMainThread } from "../user-records";

/** What fills the password placeholder of a migrated user's welcome message. */
export const MIGRATED_PASSWORD_MASK = "********";

/**
 * Checks `password` as the first factor of `username`'s sign-in and returns the user it proves. `input` is the API
 * call (for ValidationData); the hosted page has none. `preAuthenticated`: PreAuthentication already ran for this
 * sign-in (USER_AUTH runs it before the user picks PASSWORD).
 */
export async function checkPassword(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, username: string, password: string, input: Input,
  clientMetadata: Record<string, string> | undefined, preAuthenticated = false,
): Promise<UserRecord> {
  const migrated = await migrateOnSignIn(ctx, pool, client, username, password, input, clientMetadata);
  const user = ctx.state.findUser(pool, username);
  if (!user) return await refuseUnknownPassword(ctx, pool, client, username, password);
  const subject: SignInSubject = { pool, user };
  checkNotLockedOut(ctx, subject);
  // An imported user (user import job) has no password until it resets one.
  if (user.status === "RESET_REQUIRED" && !user.password) throw errors.passwordResetRequired("Password reset required for the user");
  if (!migrated && !preAuthenticated) await runPreAuthentication(ctx, pool, username, user, client.ClientId, validationDataOf(input), clientMetadata);
  // The verifier's BigInt work runs off the event loop under load (./srp-power-workers.ts); failures are counted in memory.
  if (!(await passwordMatchesOffMainThread(pool, user, password))) {
    recordFailedSignIn(ctx, subject);
    throw errors.incorrectCredentials();
  }
  // The user as it is now: one deleted, or given another password, while the password was checked is not signed in.
  const current = ctx.state.findUser(pool, username);
  if (!current || current.username !== user.username || current.password?.verifier !== user.password?.verifier) throw errors.incorrectCredentials();
  // Only the right password learns that the user is disabled (a wrong one gets the answer any wrong password gets).
  if (!current.enabled) throw errors.notAuthorized("User is disabled.");
  recordSuccessfulSignIn(ctx, subject);
  return current;
}

/**
 * A password for a name no user has: UserNotFoundException, or (hiding user existence) exactly what a wrong password
 * of a real user costs and answers: the same verifier computation, the same failure count and lockout.
 */
export async function refuseUnknownPassword(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, name: string, password: string): Promise<never> {
  if (!hidesUserExistence(client)) throw errors.userNotFound("User does not exist.");
  const subject: SignInSubject = { pool, unknownName: name };
  checkNotLockedOut(ctx, subject);
  const decoy = decoyVerifier(ctx, pool, name);
  await passwordMatchesVerifierOffMainThread(pool.Id, decoyUserId(ctx, pool, name), password, decoy.salt, decoy.verifier);
  recordFailedSignIn(ctx, subject);
  throw errors.incorrectCredentials();
}

/**
 * A password sign-in for a username the pool does not know: the UserMigration trigger may bring the user in with the
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
