// The moments at which operations run triggers, one small named call each: what goes into the event, and what the
// function's answer changes (PreSignUp, PostConfirmation, Pre/PostAuthentication, PreTokenGeneration V1/V2,
// CustomMessage, UserMigration). The custom-auth trio lives in sign-in/custom.ts.
import type { DeliveredMessage, ServiceContext } from "./context";
import * as errors from "./errors";
import type { UserPoolRecord, UserRecord } from "./model";
import {
  eventUserAttributes, preTokenGenerationVersion, responseBoolean, responseString, responseStringList, responseStringMap, unrecognizable,
} from "./triggers";

type Attributes = Record<string, string>;
type Metadata = Record<string, string> | undefined;

/** What a PreSignUp answer asks for. */
export interface PreSignUpOutcome {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
}

/** PreSignUp (`PreSignUp_SignUp`, `_AdminCreateUser`, `_ExternalProvider`), before the user is stored. */
export async function runPreSignUp(
  ctx: ServiceContext, pool: UserPoolRecord, source: "SignUp" | "AdminCreateUser" | "ExternalProvider", draft: UserRecord,
  clientId: string | undefined, validationData: Attributes | undefined, clientMetadata: Metadata,
): Promise<PreSignUpOutcome> {
  const response = await ctx.triggers.run(pool, "PreSignUp", `PreSignUp_${source}`, draft.username, { clientId }, {
    userAttributes: { ...draft.attributes },
    validationData: validationData ?? null,
    ...(clientMetadata ? { clientMetadata } : {}),
  }, { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
  if (!response) return { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };
  const outcome = {
    autoConfirmUser: responseBoolean("PreSignUp", response, "autoConfirmUser"),
    autoVerifyEmail: responseBoolean("PreSignUp", response, "autoVerifyEmail"),
    autoVerifyPhone: responseBoolean("PreSignUp", response, "autoVerifyPhone"),
  };
  if (outcome.autoVerifyEmail && !draft.attributes.email) throw errors.invalidParameter("Cannot auto-verify the email of a user without an email.");
  if (outcome.autoVerifyPhone && !draft.attributes.phone_number) throw errors.invalidParameter("Cannot auto-verify the phone number of a user without a phone number.");
  return outcome;
}

/** The attributes of a new user after a PreSignUp answer: auto-verified email and phone. */
export function withAutoVerified(attributes: Attributes, outcome: PreSignUpOutcome): Attributes {
  return {
    ...attributes,
    ...(outcome.autoVerifyEmail ? { email_verified: "true" } : {}),
    ...(outcome.autoVerifyPhone ? { phone_number_verified: "true" } : {}),
  };
}

/** PostConfirmation (`PostConfirmation_ConfirmSignUp`, `_ConfirmForgotPassword`), before the change is stored. */
export async function runPostConfirmation(
  ctx: ServiceContext, pool: UserPoolRecord, source: "ConfirmSignUp" | "ConfirmForgotPassword", user: UserRecord,
  clientId: string | undefined, clientMetadata: Metadata,
): Promise<void> {
  await ctx.triggers.run(pool, "PostConfirmation", `PostConfirmation_${source}`, user.username, { clientId }, {
    userAttributes: eventUserAttributes(user),
    ...(clientMetadata ? { clientMetadata } : {}),
  }, {});
}

/** PreAuthentication, when a user starts to sign in (before the password is checked). */
export async function runPreAuthentication(
  ctx: ServiceContext, pool: UserPoolRecord, username: string, user: UserRecord | undefined, clientId: string,
  validationData: Attributes | undefined, clientMetadata: Metadata,
): Promise<void> {
  await ctx.triggers.run(pool, "PreAuthentication", "PreAuthentication_Authentication", user?.username ?? username, { clientId }, {
    userAttributes: user ? eventUserAttributes(user) : {},
    validationData: validationData ?? null,
    userNotFound: !user,
    ...(clientMetadata ? { clientMetadata } : {}),
  }, {});
}

/** PostAuthentication, once a sign-in succeeded and before tokens are issued. */
export async function runPostAuthentication(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord, clientId: string, clientMetadata: Metadata): Promise<void> {
  await ctx.triggers.run(pool, "PostAuthentication", "PostAuthentication_Authentication", user.username, { clientId }, {
    userAttributes: eventUserAttributes(user),
    newDeviceUsed: false,
    ...(clientMetadata ? { clientMetadata } : {}),
  }, {});
}

/** Which sign-in event issues tokens (the PreTokenGeneration trigger source, without its `TokenGeneration_` prefix). */
export type TokenSource = "HostedAuth" | "Authentication" | "NewPasswordChallenge" | "AuthenticateDevice" | "RefreshTokens";

/** What a PreTokenGeneration answer changes in the tokens about to be signed. */
export interface TokenOverrides {
  idClaims: Record<string, unknown>;
  idSuppress: string[];
  accessClaims: Record<string, unknown>;
  accessSuppress: string[];
  scopesToAdd: string[];
  scopesToSuppress: string[];
  /** Replaces `cognito:groups` in both tokens (and `cognito:roles`, `cognito:preferred_role`). */
  groups?: string[];
  roles?: string[];
  preferredRole?: string;
}

/** Claims a trigger may neither add, override nor suppress. */
const RESERVED_CLAIMS = new Set([
  "acr", "amr", "aud", "at_hash", "auth_time", "azp", "c_hash", "client_id", "cognito:username", "event_id", "exp", "iat", "identities",
  "iss", "jti", "nbf", "nonce", "origin_jti", "scope", "sub", "token_use", "username", "version", "cognito:groups", "cognito:roles",
  "cognito:preferred_role",
]);

function claimMap(value: unknown, allowJson: boolean): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw unrecognizable("PreTokenGeneration");
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    const scalar = typeof v === "string" || typeof v === "number" || typeof v === "boolean";
    if (!scalar && !allowJson) throw unrecognizable("PreTokenGeneration");
    if (!RESERVED_CLAIMS.has(name)) out[name] = v;
  }
  return out;
}

function nameList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((x) => typeof x !== "string")) throw unrecognizable("PreTokenGeneration");
  return (value as string[]).filter((n) => !RESERVED_CLAIMS.has(n));
}

function object(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw unrecognizable("PreTokenGeneration");
  return value as Record<string, unknown>;
}

/** PreTokenGeneration (V1 `claimsOverrideDetails`, V2/V3 `claimsAndScopeOverrideDetails`), before tokens are signed. */
export async function runPreTokenGeneration(
  ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord, clientId: string, source: TokenSource, groups: string[], scopes: string[],
  clientMetadata: Metadata,
): Promise<TokenOverrides | undefined> {
  const version = preTokenGenerationVersion(pool);
  const groupRecords = groups.map((g) => ctx.state.group(pool.Id, g));
  const roles = groupRecords.map((g) => g?.RoleArn).filter((r): r is string => typeof r === "string");
  const preferred = groupRecords.filter((g) => g?.RoleArn && g.Precedence !== undefined).sort((a, b) => (a!.Precedence ?? 0) - (b!.Precedence ?? 0))[0]?.RoleArn;
  const request: Record<string, unknown> = {
    userAttributes: eventUserAttributes(user),
    groupConfiguration: { groupsToOverride: groups, iamRolesToOverride: roles, preferredRole: preferred ?? null },
    ...(clientMetadata ? { clientMetadata } : {}),
    ...(version !== "1" ? { scopes } : {}),
  };
  const initial = version === "1" ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null };
  const response = await ctx.triggers.run(pool, "PreTokenGeneration", `TokenGeneration_${source}`, user.username, { clientId }, request, initial, version);
  if (!response) return undefined;
  const overrides: TokenOverrides = { idClaims: {}, idSuppress: [], accessClaims: {}, accessSuppress: [], scopesToAdd: [], scopesToSuppress: [] };
  let groupDetails: Record<string, unknown> | undefined;
  if (version === "1") {
    const details = object(response.claimsOverrideDetails);
    if (!details) return overrides;
    overrides.idClaims = claimMap(details.claimsToAddOrOverride, false);
    overrides.idSuppress = nameList(details.claimsToSuppress);
    groupDetails = object(details.groupOverrideDetails);
  } else {
    const details = object(response.claimsAndScopeOverrideDetails);
    if (!details) return overrides;
    const id = object(details.idTokenGeneration);
    const access = object(details.accessTokenGeneration);
    overrides.idClaims = claimMap(id?.claimsToAddOrOverride, true);
    overrides.idSuppress = nameList(id?.claimsToSuppress);
    overrides.accessClaims = claimMap(access?.claimsToAddOrOverride, true);
    overrides.accessSuppress = nameList(access?.claimsToSuppress);
    const scopeList = (v: unknown) => {
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v) || v.some((x) => typeof x !== "string" || /\s/.test(x))) throw unrecognizable("PreTokenGeneration");
      return v as string[];
    };
    overrides.scopesToAdd = scopeList(access?.scopesToAdd);
    overrides.scopesToSuppress = scopeList(access?.scopesToSuppress);
    groupDetails = object(details.groupOverrideDetails);
  }
  if (groupDetails) {
    const list = (member: string) => {
      const v = groupDetails![member];
      if (v === undefined || v === null) return undefined;
      if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw unrecognizable("PreTokenGeneration");
      return v as string[];
    };
    overrides.groups = list("groupsToOverride");
    overrides.roles = list("iamRolesToOverride");
    const preferredRole = groupDetails.preferredRole;
    if (preferredRole !== undefined && preferredRole !== null && typeof preferredRole !== "string") throw unrecognizable("PreTokenGeneration");
    if (typeof preferredRole === "string") overrides.preferredRole = preferredRole;
  }
  return overrides;
}

/** Applies a PreTokenGeneration answer to the claims of an ID or access token. */
export function applyTokenOverrides(claims: Record<string, unknown>, overrides: TokenOverrides, token: "id" | "access"): Record<string, unknown> {
  const out = { ...claims };
  if (overrides.groups !== undefined) {
    if (overrides.groups.length) out["cognito:groups"] = overrides.groups;
    else delete out["cognito:groups"];
  }
  if (token === "id" && overrides.roles?.length) out["cognito:roles"] = overrides.roles;
  if (token === "id" && overrides.preferredRole) out["cognito:preferred_role"] = overrides.preferredRole;
  const suppress = token === "id" ? overrides.idSuppress : overrides.accessSuppress;
  for (const name of suppress) delete out[name];
  Object.assign(out, token === "id" ? overrides.idClaims : overrides.accessClaims);
  if (token === "access" && (overrides.scopesToAdd.length || overrides.scopesToSuppress.length)) {
    const scopes = new Set(String(out.scope ?? "").split(" ").filter(Boolean));
    for (const s of overrides.scopesToSuppress) scopes.delete(s);
    for (const s of overrides.scopesToAdd) scopes.add(s);
    out.scope = [...scopes].join(" ");
  }
  return out;
}

/** Which message a CustomMessage trigger writes. */
export type MessageSource = "SignUp" | "AdminCreateUser" | "ResendCode" | "ForgotPassword" | "UpdateUserAttribute" | "VerifyUserAttribute" | "Authentication";

/** CustomMessage, before a code (or temporary password) is delivered: the text to deliver, or undefined for the default. */
export async function runCustomMessage(
  ctx: ServiceContext, pool: UserPoolRecord, source: MessageSource, user: UserRecord, clientId: string | undefined, clientMetadata: Metadata,
): Promise<DeliveredMessage | undefined> {
  const response = await ctx.triggers.run(pool, "CustomMessage", `CustomMessage_${source}`, user.username, { clientId }, {
    userAttributes: eventUserAttributes(user),
    codeParameter: "{####}",
    linkParameter: "{##Click Here##}",
    usernameParameter: source === "AdminCreateUser" ? "{username}" : null,
    ...(clientMetadata ? { clientMetadata } : {}),
  }, { smsMessage: null, emailMessage: null, emailSubject: null });
  if (!response) return undefined;
  const message: DeliveredMessage = {
    emailMessage: responseString("CustomMessage", response, "emailMessage"),
    emailSubject: responseString("CustomMessage", response, "emailSubject"),
    smsMessage: responseString("CustomMessage", response, "smsMessage"),
  };
  for (const text of [message.emailMessage, message.smsMessage]) {
    if (text !== undefined && !text.includes("{####}")) throw unrecognizable("CustomMessage", "the message must contain the code parameter {####}");
  }
  if (message.emailMessage === undefined && message.smsMessage === undefined && message.emailSubject === undefined) return undefined;
  return message;
}

/** What a UserMigration answer asks for. */
export interface MigratedUser {
  attributes: Attributes;
  finalUserStatus: "CONFIRMED" | "RESET_REQUIRED";
  messageAction?: "SUPPRESS" | "RESEND";
  desiredDeliveryMediums: string[];
  forceAliasCreation: boolean;
}

/**
 * UserMigration (`UserMigration_Authentication` with the password, `UserMigration_ForgotPassword` without), for a
 * username the pool does not know. Undefined when the pool has no such trigger.
 */
export async function runUserMigration(
  ctx: ServiceContext, pool: UserPoolRecord, source: "Authentication" | "ForgotPassword", username: string, password: string | undefined,
  clientId: string, validationData: Attributes | undefined, clientMetadata: Metadata,
): Promise<MigratedUser | undefined> {
  const response = await ctx.triggers.run(pool, "UserMigration", `UserMigration_${source}`, username, { clientId }, {
    ...(password !== undefined ? { password } : {}),
    validationData: validationData ?? null,
    ...(clientMetadata ? { clientMetadata } : {}),
  }, { userAttributes: null, finalUserStatus: null, messageAction: null, desiredDeliveryMediums: null, forceAliasCreation: null, enableSMSMFA: null });
  if (!response) return undefined;
  const attributes = responseStringMap("UserMigration", response, "userAttributes");
  if (!attributes) throw unrecognizable("UserMigration", "userAttributes are required");
  const status = responseString("UserMigration", response, "finalUserStatus") ?? "RESET_REQUIRED";
  if (status !== "CONFIRMED" && status !== "RESET_REQUIRED") throw unrecognizable("UserMigration", "finalUserStatus must be CONFIRMED or RESET_REQUIRED");
  const messageAction = responseString("UserMigration", response, "messageAction");
  if (messageAction !== undefined && messageAction !== "SUPPRESS" && messageAction !== "RESEND") throw unrecognizable("UserMigration", "messageAction must be SUPPRESS or RESEND");
  const mediums = responseStringList("UserMigration", response, "desiredDeliveryMediums") ?? ["EMAIL"];
  if (mediums.some((m) => m !== "EMAIL" && m !== "SMS")) throw unrecognizable("UserMigration", "desiredDeliveryMediums must be EMAIL or SMS");
  delete attributes.sub;
  delete attributes["cognito:user_status"];
  return {
    attributes,
    finalUserStatus: status,
    ...(messageAction ? { messageAction: messageAction as "SUPPRESS" | "RESEND" } : {}),
    desiredDeliveryMediums: mediums,
    forceAliasCreation: responseBoolean("UserMigration", response, "forceAliasCreation"),
  };
}
