// cognito-idp operations an administrator runs on users: AdminCreateUser (invitations and temporary passwords),
// AdminGetUser, AdminDeleteUser, AdminEnableUser, AdminDisableUser, AdminConfirmSignUp, AdminSetUserPassword,
// AdminUpdateUserAttributes, AdminDeleteUserAttributes, AdminResetUserPassword, AdminUserGlobalSignOut and ListUsers.
import { randomInt } from "node:crypto";
import * as errors from "../errors";
import { CognitoError } from "../errors";
import {
  attributeList, optionalBoolean, optionalString, optionalStringList, optionalStringMap, requiredString, type Input,
} from "../input";
import { parseListUsersFilter } from "../list-users-filter";
import type { PasswordPolicy, UserPoolRecord, UserRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { readLimit, readPageToken } from "../paging";
import { signOutEverywhere } from "../sessions";
import { adminUserView, applyAttributeChanges, attributeView, checkAliasesFree, checkAttributes, checkNotRemovingRequired, listedUserView, newUser, passwordRecord } from "../user-records";
import { userPageKey } from "./groups";
import type { DeliveredMessage } from "../context";
import { runCustomMessage, runPostConfirmation, runPreSignUp, withAutoVerified } from "../trigger-hooks";
import { validationDataOf } from "./sign-up";

/** Attributes whose change makes them unverified again, each with its `*_verified` companion. */
const VERIFIABLE_ATTRIBUTES = ["email", "phone_number"] as const;
const DELIVERY_ATTRIBUTE: Record<string, "email" | "phone_number"> = { EMAIL: "email", SMS: "phone_number" };
/** The attribute a DesiredDeliveryMediums entry delivers to (own keys only: client input indexes the table). */
const deliveryAttribute = (medium: string) => (Object.hasOwn(DELIVERY_ATTRIBUTE, medium) ? DELIVERY_ATTRIBUTE[medium] : undefined);

/**
 * Sends AdminCreateUser's invitation (`code` fills the `{####}` of its text) to every desired medium the user has an
 * attribute for; also the welcome message of a user a UserMigration trigger brought in.
 */
export function deliverInvitation(
  ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord, code: string, mediums: string[], message?: DeliveredMessage,
): void {
  const attributes = mediums.map((m) => deliveryAttribute(m)).filter((a): a is "email" | "phone_number" => a !== undefined && user.attributes[a] !== undefined);
  // Without an email or phone number the invitation only reaches the service log (and the local code route).
  if (attributes.length === 0) ctx.deliver(pool, user, "ADMIN_CREATE_USER", code, undefined, message);
  for (const attribute of new Set(attributes)) ctx.deliver(pool, user, "ADMIN_CREATE_USER", code, attribute, message);
}

export function adminUserOperations(ctx: ServiceContext): OperationTable {
  const { state } = ctx;

  /** The pool and the user that `Username` (a username, an alias or a sub) designates. */
  const poolAndUser = (input: Input): { pool: UserPoolRecord; user: UserRecord } => {
    const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
    return { pool, user: ctx.requireUser(pool, requiredString(input, "Username")) };
  };

  const save = (pool: UserPoolRecord, user: UserRecord, changes: Partial<UserRecord>): UserRecord => {
    const updated: UserRecord = { ...user, ...changes, lastModifiedAt: ctx.now() };
    state.putUser(pool, updated);
    return updated;
  };

  const temporaryPasswordExpiry = (pool: UserPoolRecord) => ctx.now() + temporaryPasswordDays(pool.passwordPolicy) * 86400;

  return {
    async AdminCreateUser(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const givenName = requiredString(input, "Username");
      const attributes = attributeList(input, "UserAttributes");
      const validationData = validationDataOf(input);
      const clientMetadata = optionalStringMap(input, "ClientMetadata");
      const temporaryPassword = optionalString(input, "TemporaryPassword");
      const forceAliasCreation = optionalBoolean(input, "ForceAliasCreation") ?? false;
      const messageAction = optionalString(input, "MessageAction");
      if (messageAction !== undefined && messageAction !== "RESEND" && messageAction !== "SUPPRESS") {
        throw errors.invalidParameter(`1 validation error detected: Value '${messageAction}' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]`);
      }
      const mediums = optionalStringList(input, "DesiredDeliveryMediums") ?? ["SMS"];
      for (const m of mediums) {
        if (!deliveryAttribute(m)) throw errors.invalidParameter(`1 validation error detected: Value '[${mediums.join(", ")}]' at 'desiredDeliveryMediums' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [SMS, EMAIL]]`);
      }
      if (temporaryPassword !== undefined) ctx.checkPasswordPolicy(pool, temporaryPassword);
      const password = temporaryPassword ?? generatePassword(pool.passwordPolicy);

      if (messageAction === "RESEND") {
        const existing = ctx.requireUser(pool, givenName);
        if (existing.status !== "FORCE_CHANGE_PASSWORD") {
          throw new CognitoError("UnsupportedUserStateException", `Resend not possible. ${existing.username} status is not FORCE_CHANGE_PASSWORD`);
        }
        const message = await runCustomMessage(ctx, pool, "AdminCreateUser", existing, undefined, clientMetadata);
        const updated = save(pool, existing, { password: passwordRecord(pool, existing, password), temporaryPasswordExpiresAt: temporaryPasswordExpiry(pool) });
        deliverInvitation(ctx, pool, updated, password, mediums, message);
        return { User: listedUserView(updated) };
      }

      if (attributes.some((a) => a.name === "sub")) throw errors.invalidParameter("Cannot modify an immutable attribute: sub");
      // newUser refuses alias-shaped usernames in alias pools; with UsernameAttributes, checkAliasesFree finds duplicates.
      const drafted = newUser(ctx, pool, givenName, attributes, "FORCE_CHANGE_PASSWORD", false);
      if (pool.usernameAttributes.length === 0 && state.userByUsername(pool, drafted.username)) throw errors.usernameExists("User account already exists");
      // Triggers run before anything is stored: a refusing or failing one leaves no user behind.
      const pre = await runPreSignUp(ctx, pool, "AdminCreateUser", drafted, undefined, validationData, clientMetadata);
      const created: UserRecord = { ...drafted, attributes: withAutoVerified(drafted.attributes, pre) };
      const message = messageAction !== "SUPPRESS" ? await runCustomMessage(ctx, pool, "AdminCreateUser", created, undefined, clientMetadata) : undefined;
      if (pool.usernameAttributes.length === 0 && state.userByUsername(pool, created.username)) throw errors.usernameExists("User account already exists");
      // ForceAliasCreation moves an email or phone alias held by another user to the new one.
      const migrated = forceAliasCreation ? VERIFIABLE_ATTRIBUTES.filter((a) => pool.aliasAttributes.includes(a) && created.attributes[a] !== undefined) : [];
      const checked: Record<string, string | undefined> = { ...created.attributes };
      for (const a of migrated) delete checked[a];
      checkAliasesFree(ctx, pool, created, checked);
      for (const attribute of migrated) {
        const holder = state.userByAlias(pool, attribute, created.attributes[attribute]);
        if (holder && holder.username !== created.username) save(pool, holder, { attributes: { ...holder.attributes, [`${attribute}_verified`]: "false" } });
      }
      const user: UserRecord = { ...created, password: passwordRecord(pool, created, password), temporaryPasswordExpiresAt: temporaryPasswordExpiry(pool) };
      state.putUser(pool, user);
      if (messageAction !== "SUPPRESS") deliverInvitation(ctx, pool, user, password, mediums, message);
      return { User: listedUserView(user) };
    },

    AdminGetUser(input) {
      return adminUserView(poolAndUser(input).user);
    },

    AdminDeleteUser(input) {
      state.deleteUser(poolAndUser(input).user);
      return {};
    },

    AdminEnableUser(input) {
      const { pool, user } = poolAndUser(input);
      if (!user.enabled) save(pool, user, { enabled: true });
      return {};
    },

    AdminDisableUser(input) {
      const { pool, user } = poolAndUser(input);
      if (user.enabled) save(pool, user, { enabled: false });
      signOutEverywhere(ctx, pool, user); // as AWS documents: the user's tokens stay revoked after AdminEnableUser
      return {};
    },

    async AdminConfirmSignUp(input) {
      const clientMetadata = optionalStringMap(input, "ClientMetadata");
      const { pool, user } = poolAndUser(input);
      if (user.status !== "UNCONFIRMED") throw errors.notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
      // PostConfirmation runs first: when it fails the user stays unconfirmed.
      await runPostConfirmation(ctx, pool, "ConfirmSignUp", { ...user, status: "CONFIRMED" }, undefined, clientMetadata);
      const current = state.userByUsername(pool, user.username) ?? user;
      if (current.status !== "UNCONFIRMED") return {};
      const pending = state.pendingCode(pool.Id, user.username, "SIGN_UP");
      if (pending) state.deletePendingCode(pending);
      save(pool, current, { status: "CONFIRMED" });
      return {};
    },

    AdminSetUserPassword(input) {
      const password = requiredString(input, "Password");
      const permanent = optionalBoolean(input, "Permanent") ?? false;
      const { pool, user } = poolAndUser(input);
      ctx.checkPasswordPolicy(pool, password);
      save(pool, user, {
        password: passwordRecord(pool, user, password),
        status: permanent ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD",
        temporaryPasswordExpiresAt: permanent ? undefined : temporaryPasswordExpiry(pool),
        failedSignIns: 0,
        lockedUntil: undefined,
      });
      return {};
    },

    async AdminUpdateUserAttributes(input) {
      if (input.UserAttributes === undefined || input.UserAttributes === null) throw errors.missingMember("UserAttributes");
      const changes = attributeList(input, "UserAttributes");
      const clientMetadata = optionalStringMap(input, "ClientMetadata");
      const { pool, user } = poolAndUser(input);
      await applyAttributeChanges(ctx, pool, user, changes, undefined, clientMetadata);
      return {};
    },

    AdminDeleteUserAttributes(input) {
      const names = optionalStringList(input, "UserAttributeNames");
      if (!names) throw errors.missingMember("UserAttributeNames");
      const { pool, user } = poolAndUser(input);
      checkAttributes(pool, Object.fromEntries(names.map((n) => [n, undefined])), false);
      checkNotRemovingRequired(pool, names);
      const attributes = { ...user.attributes };
      for (const name of names) {
        delete attributes[name];
        if ((VERIFIABLE_ATTRIBUTES as readonly string[]).includes(name)) delete attributes[`${name}_verified`];
      }
      save(pool, user, { attributes });
      return {};
    },

    async AdminResetUserPassword(input) {
      const clientMetadata = optionalStringMap(input, "ClientMetadata");
      const { pool, user } = poolAndUser(input);
      // The reset code's text is written by CustomMessage (`CustomMessage_ForgotPassword`) before anything changes.
      const message = await runCustomMessage(ctx, pool, "ForgotPassword", user, undefined, clientMetadata);
      const updated = save(pool, user, { status: "RESET_REQUIRED" });
      ctx.issueCode(pool, updated, "FORGOT_PASSWORD", undefined, message);
      return {};
    },

    AdminUserGlobalSignOut(input) {
      const { pool, user } = poolAndUser(input);
      signOutEverywhere(ctx, pool, user);
      return {};
    },

    ListUsers(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const attributesToGet = optionalStringList(input, "AttributesToGet");
      for (const name of attributesToGet ?? []) {
        if (!pool.schema.some((s) => s.Name === name)) throw errors.invalidParameter(`One or more requested attributes do not exist: ${name}`);
      }
      const limit = readLimit(input);
      const filterText = optionalString(input, "Filter");
      const filter = filterText === undefined ? undefined : parseListUsersFilter(filterText);
      const { users: page, nextToken } = state.listUsers(pool, filter, readPageToken(input, "PaginationToken"), limit);
      const wanted = attributesToGet ? new Set(attributesToGet) : undefined;
      return {
        Users: page.map((u) => {
          const view = listedUserView(u);
          return wanted ? { ...view, Attributes: attributeView(u).filter((a) => wanted.has(a.Name)) } : view;
        }),
        ...(nextToken ? { PaginationToken: nextToken } : {}),
      };
    },
  };
}

/** TemporaryPasswordValidityDays, where 0 means the default of 7 days as on AWS. */
function temporaryPasswordDays(policy: PasswordPolicy): number {
  return policy.TemporaryPasswordValidityDays > 0 ? policy.TemporaryPasswordValidityDays : 7;
}

const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER = "abcdefghijkmnopqrstuvwxyz";
const DIGITS = "23456789";
const SYMBOLS = "^$*.[]{}()?!@#%&/,><:;|_~=+-";

/** A random temporary password that any password policy accepts: every character class, at least the minimum length. */
export function generatePassword(policy: PasswordPolicy): string {
  const length = Math.max(policy.MinimumLength, 12);
  const pick = (set: string) => set[randomInt(set.length)];
  const all = UPPER + LOWER + DIGITS + SYMBOLS;
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join("");
}
