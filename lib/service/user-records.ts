// Users as records: creating one from sign-up or admin input (UsernameAttributes, schema checks, sub), storing its
// password only as an SRP verifier, attribute changes, sign-in lockout, and the wire shapes AWS returns for a user.
import * as errors from "./errors";
import { newUuid } from "./ids";
import type { UserPoolRecord, UserRecord, UserStatus } from "./model";
import type { DeliveredMessage, ServiceContext } from "./context";
import { createPasswordVerifier, createPasswordVerifierOffMainThread, passwordMatchesVerifier, passwordMatchesVerifierOffMainThread } from "./srp";
import { runCustomMessage } from "./trigger-hooks";

/** Failed sign-ins allowed before a lockout, and how the lockout grows. */
const FREE_FAILED_SIGN_INS = 5;
const FIRST_LOCKOUT_SECONDS = 2;
const MAX_LOCKOUT_SECONDS = 15 * 60;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;
const PHONE_PATTERN = /^\+[0-9]{4,15}$/;

/** A new, not yet stored user. With UsernameAttributes the given name becomes the email/phone and the username a UUID. */
export function newUser(
  ctx: ServiceContext, pool: UserPoolRecord, givenName: string, attributes: Array<{ name: string; value: string | undefined }>, status: UserStatus,
  /** AdminCreateUser may leave required attributes out: the user supplies them in NEW_PASSWORD_REQUIRED. */
  requireSchemaAttributes = true,
): UserRecord {
  if (givenName.length < 1 || givenName.length > 128 || /\s/.test(givenName)) throw errors.invalidParameter("Username should be a valid string without whitespace.");
  const sub = newUuid();
  const values: Record<string, string> = {};
  for (const { name, value } of attributes) if (value !== undefined) values[name] = value;
  if (values.sub !== undefined) throw errors.invalidParameter("Cannot modify an immutable attribute: sub");
  let username = givenName;
  if (pool.usernameAttributes.length > 0) {
    const asEmail = pool.usernameAttributes.includes("email") && EMAIL_PATTERN.test(givenName);
    const asPhone = pool.usernameAttributes.includes("phone_number") && PHONE_PATTERN.test(givenName);
    if (!asEmail && !asPhone) {
      throw errors.invalidParameter(`Username should be ${pool.usernameAttributes.map((a) => (a === "email" ? "an email" : "a phone number")).join(" or ")}.`);
    }
    values[asEmail ? "email" : "phone_number"] = givenName;
    username = sub;
  } else if (pool.aliasAttributes.includes("email") && EMAIL_PATTERN.test(givenName)) {
    throw errors.invalidParameter("Username cannot be of email format, since user pool is configured for email alias.");
  } else if (pool.aliasAttributes.includes("phone_number") && PHONE_PATTERN.test(givenName)) {
    throw errors.invalidParameter("Username cannot be of phone number format, since user pool is configured for phone number alias.");
  }
  checkAttributes(pool, values, true, requireSchemaAttributes);
  const now = ctx.now();
  return {
    userPoolId: pool.Id,
    username,
    sub,
    attributes: { sub, ...values },
    enabled: true,
    status,
    createdAt: now,
    lastModifiedAt: now,
    failedSignIns: 0,
    mfa: { smsEnabled: false, softwareTokenEnabled: false, emailEnabled: false },
  };
}

/** Throws when an attribute is unknown to the pool's schema, immutable or malformed. */
export function checkAttributes(pool: UserPoolRecord, values: Record<string, string | undefined>, creating: boolean, requireSchemaAttributes = creating): void {
  for (const [name, value] of Object.entries(values)) {
    const schema = pool.schema.find((s) => s.Name === name);
    if (!schema) throw errors.invalidParameter(`Attributes did not conform to the schema: ${name}: Attribute does not exist in the schema.`);
    if (name === "sub" && !creating) throw errors.invalidParameter("Cannot modify an immutable attribute: sub");
    if (!creating && schema.Mutable === false && name !== "sub") throw errors.invalidParameter(`Cannot modify an immutable attribute: ${name}`);
    if (value === undefined) continue;
    if (value.length > 2048) throw errors.invalidParameter(`Attributes did not conform to the schema: ${name}: String must be no longer than 2048 characters`);
    if (name === "email" && !EMAIL_PATTERN.test(value)) throw errors.invalidParameter("Invalid email address format.");
    if (name === "phone_number" && !PHONE_PATTERN.test(value)) throw errors.invalidParameter("Invalid phone number format.");
    if (name.endsWith("_verified") && value !== "true" && value !== "false") throw errors.invalidParameter(`Invalid value for ${name}: must be true or false.`);
  }
  if (requireSchemaAttributes) {
    for (const s of pool.schema) {
      if (s.Required && s.Name !== "sub" && values[s.Name] === undefined) {
        throw errors.invalidParameter(`Attributes did not conform to the schema: ${s.Name}: The attribute ${s.Name} is required`);
      }
    }
  }
}

/** Throws AliasExistsException/UsernameExistsException when another user already signs in with one of `values`. */
export function checkAliasesFree(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord, values: Record<string, string | undefined>): void {
  for (const attribute of [...pool.usernameAttributes, ...pool.aliasAttributes]) {
    const value = values[attribute];
    if (value === undefined) continue;
    const holder = ctx.state.userByAlias(pool, attribute, value);
    if (holder && holder.username !== user.username) {
      if (pool.usernameAttributes.includes(attribute)) throw errors.usernameExists(`An account with the given ${attribute === "email" ? "email" : "phone_number"} already exists.`);
      throw errors.aliasExists(`An account with the given ${attribute} already exists.`);
    }
  }
}

/** The stored form of a password: its SRP verifier. */
export function passwordRecord(pool: UserPoolRecord, user: UserRecord, password: string): NonNullable<UserRecord["password"]> {
  return createPasswordVerifier(pool.Id, user.username, password);
}

/** passwordRecord, its BigInt work off the event loop once the service is under load (./srp-power-workers.ts). */
export function passwordRecordOffMainThread(pool: UserPoolRecord, user: UserRecord, password: string): Promise<NonNullable<UserRecord["password"]>> {
  return createPasswordVerifierOffMainThread(pool.Id, user.username, password);
}

export function passwordMatches(pool: UserPoolRecord, user: UserRecord, password: string): boolean {
  return !!user.password && passwordMatchesVerifier(pool.Id, user.username, password, user.password.salt, user.password.verifier);
}

/** passwordMatches, its BigInt work off the event loop once the service is under load (./srp-power-workers.ts). */
export async function passwordMatchesOffMainThread(pool: UserPoolRecord, user: UserRecord, password: string): Promise<boolean> {
  return !!user.password && passwordMatchesVerifierOffMainThread(pool.Id, user.username, password, user.password.salt, user.password.verifier);
}

/** Throws "Password attempts exceeded" while a user is locked out. */
export function checkNotLockedOut(ctx: ServiceContext, user: UserRecord): void {
  if (user.lockedUntil !== undefined && user.lockedUntil > ctx.now()) throw errors.notAuthorized("Password attempts exceeded");
}

/** Records a failed sign-in: after a few, each further failure locks the user out for a growing while. */
export function recordFailedSignIn(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord): UserRecord {
  const failedSignIns = user.failedSignIns + 1;
  const over = failedSignIns - FREE_FAILED_SIGN_INS;
  const lockedUntil = over >= 0 ? ctx.now() + Math.min(MAX_LOCKOUT_SECONDS, FIRST_LOCKOUT_SECONDS * 2 ** over) : user.lockedUntil;
  const updated = { ...user, failedSignIns, lockedUntil };
  ctx.state.putUser(pool, updated);
  return updated;
}

/** Clears the failure count after a successful sign-in (a write only when there was something to clear). */
export function recordSuccessfulSignIn(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord): UserRecord {
  if (user.failedSignIns === 0 && user.lockedUntil === undefined) return user;
  const updated = { ...user, failedSignIns: 0, lockedUntil: undefined };
  ctx.state.putUser(pool, updated);
  return updated;
}

/** The user as AdminGetUser returns it. */
export function adminUserView(user: UserRecord) {
  const mfaList = mfaSettingList(user);
  return {
    Username: user.username,
    UserAttributes: attributeView(user),
    UserCreateDate: user.createdAt,
    UserLastModifiedDate: user.lastModifiedAt,
    Enabled: user.enabled,
    UserStatus: user.status,
    ...(mfaList.length ? { UserMFASettingList: mfaList, PreferredMfaSetting: user.mfa.preferred ?? mfaList[0] } : {}),
  };
}

/** The user as ListUsers and ListUsersInGroup return it. */
export function listedUserView(user: UserRecord) {
  return {
    Username: user.username,
    Attributes: attributeView(user),
    UserCreateDate: user.createdAt,
    UserLastModifiedDate: user.lastModifiedAt,
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

export function attributeView(user: UserRecord): Array<{ Name: string; Value: string }> {
  return Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value }));
}

export function mfaSettingList(user: UserRecord): string[] {
  return [...(user.mfa.smsEnabled ? ["SMS_MFA"] : []), ...(user.mfa.softwareTokenEnabled ? ["SOFTWARE_TOKEN_MFA"] : []), ...(user.mfa.emailEnabled ? ["EMAIL_OTP"] : [])];
}

/**
 * Applies `[{Name, Value}]` attribute changes as UpdateUserAttributes/AdminUpdateUserAttributes do: schema checks, alias
 * uniqueness, an empty or missing Value removes the attribute, and a changed email or phone becomes unverified (unless
 * `*_verified` is given too); when it is auto-verified, a VERIFY_ATTRIBUTE code goes out, its text written by the
 * CustomMessage trigger (`CustomMessage_UpdateUserAttribute`) before anything is stored.
 */
export async function applyAttributeChanges(
  ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord, changes: Array<{ name: string; value: string | undefined }>,
  clientId?: string, clientMetadata?: Record<string, string>,
): Promise<{ user: UserRecord; deliveries: Array<ReturnType<ServiceContext["issueCode"]>> }> {
  const given: Record<string, string | undefined> = {};
  for (const { name, value } of changes) given[name] = value === "" ? undefined : value;
  checkAttributes(pool, given, false);
  checkNotRemovingRequired(pool, Object.keys(given).filter((name) => given[name] === undefined));
  checkAliasesFree(ctx, pool, user, given);
  const attributes = { ...user.attributes };
  const reverify: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined) delete attributes[name];
    else attributes[name] = value;
  }
  for (const name of ["email", "phone_number"]) {
    if (!(name in given)) continue;
    const verified = `${name}_verified`;
    const value = given[name];
    if (value === undefined) {
      if (!(verified in given)) delete attributes[verified];
      continue;
    }
    if (value === user.attributes[name]) continue;
    if (!(verified in given)) attributes[verified] = "false";
    if (attributes[verified] !== "true" && pool.autoVerifiedAttributes.includes(name)) reverify.push(name);
  }
  const updated: UserRecord = { ...user, attributes, lastModifiedAt: ctx.now() };
  const messages: Array<DeliveredMessage | undefined> = [];
  for (let i = 0; i < reverify.length; i++) messages.push(await runCustomMessage(ctx, pool, "UpdateUserAttribute", updated, clientId, clientMetadata));
  ctx.state.putUser(pool, updated);
  const deliveries = reverify.map((attribute, i) => ctx.issueCode(pool, updated, "VERIFY_ATTRIBUTE", attribute, messages[i]));
  return { user: updated, deliveries };
}

/** Required attributes (and sub) cannot be removed. */
export function checkNotRemovingRequired(pool: UserPoolRecord, names: string[]): void {
  for (const name of names) {
    if (name === "sub" || pool.schema.some((s) => s.Name === name && s.Required)) {
      throw errors.invalidParameter(`Attributes did not conform to the schema: ${name}: The attribute ${name} is required`);
    }
  }
}

/** Removes attributes (DeleteUserAttributes/AdminDeleteUserAttributes); required and immutable ones stay. */
export function deleteAttributes(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord, names: string[]): UserRecord {
  const attributes = { ...user.attributes };
  for (const name of names) {
    const schema = pool.schema.find((s) => s.Name === name);
    if (!schema) throw errors.invalidParameter(`Invalid user attributes: ${name}: Attribute does not exist in the schema.`);
    if (schema.Required || name === "sub") throw errors.invalidParameter(`Invalid user attributes: ${name}: Required attribute cannot be deleted.`);
    if (schema.Mutable === false) throw errors.invalidParameter(`Cannot modify an immutable attribute: ${name}`);
    delete attributes[name];
    if (name === "email" || name === "phone_number") delete attributes[`${name}_verified`];
  }
  const updated: UserRecord = { ...user, attributes, lastModifiedAt: ctx.now() };
  ctx.state.putUser(pool, updated);
  return updated;
}
