// The users that federated sign-in makes (the user-pool side of an external identity provider sign-in, once the IdP
// leg in oauth/federation.ts has verified who signed in): the IdP's claims mapped to user attributes with the
// provider's AttributeMapping, the username `<ProviderName>_<userId>`, status EXTERNAL_PROVIDER, the `identities`
// attribute and the automatic group `<userPoolId>_<ProviderName>`. The triggers are the ones AWS documents for
// federated users: on the first sign-in PreSignUp (`PreSignUp_ExternalProvider`) and PostConfirmation
// (`PostConfirmation_ConfirmSignUp`), on later ones PreAuthentication and PostAuthentication, each run before anything
// is stored, so a refusing trigger leaves no user (or no change) behind. An external identity linked to a native user
// (AdminLinkProviderForUser) signs in as that user.
import * as errors from "./errors";
import type { GroupRecord, UserPoolRecord, UserRecord } from "./model";
import type { ServiceContext } from "./context";
import { newUuid } from "./ids";
import { linkedUsername, type IdentityProviderRecord } from "./operations/identity-providers";
import { runPostAuthentication, runPostConfirmation, runPreAuthentication, runPreSignUp, withAutoVerified } from "./trigger-hooks";
import { checkAttributes } from "./user-records";

/** Who signed in at an external IdP: its claims (ID token and userinfo together). */
export interface ExternalIdentity {
  provider: IdentityProviderRecord;
  claims: Record<string, unknown>;
}

/** The IdP claim a user pool attribute comes from, as a string attribute value (undefined when absent). */
function claimValue(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** The user pool attributes the provider's AttributeMapping gives for `claims` (`username` is not an attribute). */
export function mappedAttributes(provider: IdentityProviderRecord, claims: Record<string, unknown>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [attribute, claim] of Object.entries(provider.AttributeMapping)) {
    if (attribute === "username") continue;
    const value = claimValue(claims, claim);
    if (value !== undefined) attributes[attribute] = value;
  }
  return attributes;
}

/** The IdP's id of the user: the claim the pool's `username` maps to (AWS's default for OIDC: `sub`). */
export function externalUserId(provider: IdentityProviderRecord, claims: Record<string, unknown>): string {
  const id = claimValue(claims, provider.AttributeMapping.username ?? "sub");
  if (!id) throw errors.invalidParameter(`The identity provider did not return the ${provider.AttributeMapping.username ?? "sub"} claim.`);
  return id;
}

/**
 * The username of a federated user: `<ProviderName>_<userId>`. A pool whose usernames are case-insensitive
 * (UsernameConfiguration CaseSensitive false) makes it all lowercase, as Cognito does.
 */
export function federatedUsername(pool: UserPoolRecord, provider: IdentityProviderRecord, userId: string): string {
  const name = `${provider.ProviderName}_${userId}`;
  return pool.caseSensitive ? name : name.toLowerCase();
}

/** The automatic group every user of an IdP belongs to: `<userPoolId>_<ProviderName>`. */
export function providerGroupName(pool: UserPoolRecord, provider: IdentityProviderRecord): string {
  return `${pool.Id}_${provider.ProviderName}`;
}

/** The `identities` attribute of a federated user, as AWS writes it (a JSON list; the primary identity). */
function identitiesOf(provider: IdentityProviderRecord, userId: string, createdAt: number): string {
  return JSON.stringify([{
    userId,
    providerName: provider.ProviderName,
    providerType: provider.ProviderType,
    issuer: null,
    primary: true,
    dateCreated: createdAt * 1000,
  }]);
}

/** Attribute values as they may be stored: checked against the schema (only mutable ones on an update). */
function storableAttributes(pool: UserPoolRecord, attributes: Record<string, string>, creating: boolean): Record<string, string> {
  const kept = creating
    ? attributes
    : Object.fromEntries(Object.entries(attributes).filter(([name]) => pool.schema.find((s) => s.Name === name)?.Mutable !== false && name !== "sub"));
  delete kept.sub;
  checkAttributes(pool, kept, true, creating);
  return kept;
}

/**
 * Signs in an external identity: the user it is linked to, the federated user it signed in as before (its mapped
 * attributes updated), or a new federated user. Throws the CognitoError that refuses the sign-in (a failing trigger:
 * UserLambdaValidationException; a disabled user: NotAuthorizedException; attributes the schema refuses:
 * InvalidParameterException). Nothing is stored unless it returns.
 */
export async function signInExternalIdentity(ctx: ServiceContext, pool: UserPoolRecord, clientId: string, identity: ExternalIdentity): Promise<UserRecord> {
  const { provider, claims } = identity;
  const userId = externalUserId(provider, claims);
  const linked = linkedUsername(ctx, pool.Id, provider.ProviderName, "Cognito_Subject", userId);
  const linkedUser = linked ? ctx.state.userByUsername(pool, linked) : undefined;
  if (linkedUser) return signInExistingUser(ctx, pool, clientId, linkedUser, undefined);
  const username = federatedUsername(pool, provider, userId);
  const attributes = mappedAttributes(provider, claims);
  const existing = ctx.state.userByUsername(pool, username);
  // A native user that happens to have this name is not the external identity's to sign in as.
  if (existing && existing.status !== "EXTERNAL_PROVIDER") throw errors.usernameExists(`User ${username} already exists and is not a user of ${provider.ProviderName}.`);
  if (existing) return signInExistingUser(ctx, pool, clientId, existing, storableAttributes(pool, attributes, false));
  return signUpExternalUser(ctx, pool, clientId, provider, username, userId, storableAttributes(pool, attributes, true));
}

/** A later sign-in: PreAuthentication, the mapped attributes updated, PostAuthentication; stored once all agreed. */
async function signInExistingUser(ctx: ServiceContext, pool: UserPoolRecord, clientId: string, user: UserRecord, mapped: Record<string, string> | undefined): Promise<UserRecord> {
  if (!user.enabled) throw errors.notAuthorized("User is disabled.");
  const updated: UserRecord = mapped ? { ...user, attributes: { ...user.attributes, ...mapped } } : user;
  await runPreAuthentication(ctx, pool, user.username, updated, clientId, undefined, undefined);
  await runPostAuthentication(ctx, pool, updated, clientId, undefined);
  const changed = Object.entries(updated.attributes).some(([name, value]) => user.attributes[name] !== value);
  if (!changed) return user;
  const current = ctx.state.userByUsername(pool, user.username);
  if (!current) throw errors.notAuthorized("User does not exist.");
  const stored: UserRecord = { ...current, attributes: { ...current.attributes, ...mapped }, lastModifiedAt: ctx.now() };
  ctx.state.putUser(pool, stored);
  return stored;
}

/** The first sign-in: PreSignUp_ExternalProvider, PostConfirmation_ConfirmSignUp, then the user and its group. */
async function signUpExternalUser(
  ctx: ServiceContext, pool: UserPoolRecord, clientId: string, provider: IdentityProviderRecord, username: string, userId: string, attributes: Record<string, string>,
): Promise<UserRecord> {
  const now = ctx.now();
  const sub = newUuid();
  const draft: UserRecord = {
    userPoolId: pool.Id,
    username,
    sub,
    attributes: { sub, ...attributes, identities: identitiesOf(provider, userId, now) },
    enabled: true,
    status: "EXTERNAL_PROVIDER",
    createdAt: now,
    lastModifiedAt: now,
    failedSignIns: 0,
    mfa: { smsEnabled: false, softwareTokenEnabled: false, emailEnabled: false },
  };
  // The trigger sees the mapped attributes, as AWS sends them.
  const pre = await runPreSignUp(ctx, pool, "ExternalProvider", { ...draft, attributes: { ...attributes } }, clientId, undefined, undefined);
  // autoConfirmUser has nothing to do: a federated user never passes through UNCONFIRMED.
  const user: UserRecord = { ...draft, attributes: withAutoVerified(draft.attributes, pre) };
  await runPostConfirmation(ctx, pool, "ConfirmSignUp", user, clientId, undefined);
  // Another sign-in of the same identity may have finished while the triggers ran: that user stands.
  const meanwhile = ctx.state.userByUsername(pool, username);
  if (meanwhile) return meanwhile;
  ctx.state.putUser(pool, user);
  const groupName = providerGroupName(pool, provider);
  if (!ctx.state.group(pool.Id, groupName)) {
    const group: GroupRecord = {
      UserPoolId: pool.Id, GroupName: groupName, Description: `Autogenerated group for users who sign in using ${provider.ProviderName}`, CreationDate: now, LastModifiedDate: now,
    };
    ctx.state.putGroup(group);
  }
  ctx.state.addToGroup(pool.Id, groupName, username);
  return user;
}
