// cognito-idp operations on user pools themselves: create, describe, list, update, delete, custom attributes, domains,
// MFA configuration and user-pool tags. Settings are validated and echoed back in the shapes DescribeUserPool has on AWS.
import * as errors from "../errors";
import { ACCOUNT_ID, newUserPoolId } from "../ids";
import { optionalNumber, optionalObject, optionalString, optionalStringList, requiredString, type Input } from "../input";
import type { PasswordPolicy, UserPoolRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { pageAfter, readPageToken } from "../paging";
import { poolSchema, withCustomAttributes } from "../pool-schema";
import { serviceMac } from "../service-secret";
import { prepareSigningKeys } from "../tokens";
import { normalizeLambdaConfig } from "../triggers";
import { checkTierChange, poolTier, readUserPoolTier } from "../tiers";
import { applyWebAuthnConfiguration, webAuthnConfigurationOf } from "../webauthn";
import { emailMfaConfiguration, emailMfaSettings } from "../sign-in/email-mfa";
import { allowedFirstFactors, registerSignInTierFeatures, signInPolicySettings } from "../sign-in/first-factors";

const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

/** What a PasswordPolicy member that the client leaves out means (AWS SDKs leave out `false` booleans). */
const OMITTED_PASSWORD_POLICY: PasswordPolicy = {
  MinimumLength: 8,
  RequireUppercase: false,
  RequireLowercase: false,
  RequireNumbers: false,
  RequireSymbols: false,
  TemporaryPasswordValidityDays: 7,
};

const MAX_TAGS = 50;
const TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const USER_POOL_ARN = /^arn:aws[\w-]*:cognito-idp:([a-z0-9-]+):(\d{12}):userpool\/([\w-]+_[0-9a-zA-Z]+)$/;

export function userPoolOperations(ctx: ServiceContext): OperationTable {
  const { state } = ctx;
  registerSignInTierFeatures(state);
  /** The pool a tagging call's ResourceArn names. */
  function poolOfArn(input: Input): UserPoolRecord {
    const arn = requiredString(input, "ResourceArn");
    const match = USER_POOL_ARN.exec(arn);
    if (!match || arn.length > 2048) throw errors.invalidParameter(`Invalid ARN: ${arn}`);
    const pool = state.pool(match[3]);
    if (!pool || pool.Arn !== arn) throw errors.resourceNotFound(`User pool ${match[3]} does not exist.`);
    return pool;
  }
  return {
    CreateUserPool(input) {
      const name = requiredString(input, "PoolName");
      if (name.length < 1 || name.length > 128) throw errors.invalidParameter("PoolName must be between 1 and 128 characters.");
      const settings = poolSettings(input);
      const id = newUserPoolId(ctx.region);
      const now = ctx.now();
      // Signing keys are made when the pool first signs or publishes them (ServiceContext.poolKeys); a reserve made in
      // the background now makes that first use quick too.
      prepareSigningKeys();
      const pool: UserPoolRecord = {
        Id: id,
        Name: name,
        Arn: `arn:aws:cognito-idp:${ctx.region}:${ACCOUNT_ID}:userpool/${id}`,
        CreationDate: now,
        LastModifiedDate: now,
        ...settings,
      };
      checkTierChange(state, pool, poolTier(settings));
      state.putPool(pool);
      return { UserPool: describe(ctx, pool) };
    },
    DescribeUserPool(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      return { UserPool: describe(ctx, pool) };
    },
    ListUserPools(input) {
      const max = optionalNumber(input, "MaxResults");
      if (max === undefined || !Number.isInteger(max) || max < 1 || max > 60) throw errors.invalidParameter("1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 60");
      const { page, nextToken: next } = pageAfter(state.pools(), (p) => [p.CreationDate, p.Id], readPageToken(input, "NextToken"), max);
      return {
        UserPools: page.map((p) => ({ Id: p.Id, Name: p.Name, CreationDate: p.CreationDate, LastModifiedDate: p.LastModifiedDate, LambdaConfig: p.settings.LambdaConfig ?? {} })),
        ...(next ? { NextToken: next } : {}),
      };
    },
    UpdateUserPool(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const settings = poolSettings(input, pool);
      const updated = { ...pool, ...settings, usernameAttributes: pool.usernameAttributes, aliasAttributes: pool.aliasAttributes, schema: pool.schema, LastModifiedDate: ctx.now() };
      checkTierChange(state, updated, poolTier(settings));
      state.putPool(updated);
      return {};
    },
    DeleteUserPool(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      if (pool.settings.DeletionProtection === "ACTIVE") {
        throw errors.invalidParameter(`The user pool ${pool.Id} cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.`);
      }
      state.deletePool(pool.Id);
      return {};
    },
    AddCustomAttributes(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const schema = withCustomAttributes(pool.schema, input.CustomAttributes);
      state.putPool({ ...pool, schema, LastModifiedDate: ctx.now() });
      return {};
    },
    TagResource(input) {
      const pool = poolOfArn(input);
      const tags = tagMap(input, "Tags", true)!;
      const merged = { ...poolTags(pool), ...tags };
      if (Object.keys(merged).length > MAX_TAGS) throw errors.invalidParameter(`A user pool can have at most ${MAX_TAGS} tags.`);
      state.putPool({ ...pool, settings: { ...pool.settings, UserPoolTags: merged } });
      return {};
    },
    UntagResource(input) {
      const pool = poolOfArn(input);
      const keys = optionalStringList(input, "TagKeys");
      if (!keys) throw errors.missingMember("TagKeys");
      const remaining = new Map(Object.entries(poolTags(pool)));
      for (const key of keys) remaining.delete(key);
      state.putPool({ ...pool, settings: { ...pool.settings, UserPoolTags: Object.fromEntries(remaining) } });
      return {};
    },
    ListTagsForResource(input) {
      return { Tags: poolTags(poolOfArn(input)) };
    },
    CreateUserPoolDomain(input) {
      const domain = requiredString(input, "Domain");
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const certificateArn = customDomainCertificate(input);
      if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(domain) && !certificateArn) throw errors.invalidParameter("Domain does not conform to the required pattern.");
      if (state.pools().some((p) => p.domain === domain)) throw errors.invalidParameter("Domain already associated with another user pool.");
      if (pool.domain) throw errors.invalidParameter(`User pool ${pool.Id} already has a domain configured.`);
      state.putPool({ ...pool, domain, domainCertificateArn: certificateArn, LastModifiedDate: ctx.now() });
      // As on AWS: a prefix domain is served from Cognito's own distribution and answers no CloudFrontDomain.
      return certificateArn ? { CloudFrontDomain: cloudFrontDomain(ctx, domain) } : {};
    },
    DescribeUserPoolDomain(input) {
      const domain = requiredString(input, "Domain");
      const pool = state.pools().find((p) => p.domain === domain);
      if (!pool) return { DomainDescription: {} };
      return {
        DomainDescription: {
          UserPoolId: pool.Id,
          AWSAccountId: ACCOUNT_ID,
          Domain: domain,
          S3Bucket: `aws-cognito-prod-${ctx.regionOf(pool.Id)}-assets`,
          CloudFrontDistribution: cloudFrontDomain(ctx, domain),
          Version: "20240101000000",
          Status: "ACTIVE",
          ...(pool.domainCertificateArn ? { CustomDomainConfig: { CertificateArn: pool.domainCertificateArn } } : {}),
        },
      };
    },
    UpdateUserPoolDomain(input) {
      const domain = requiredString(input, "Domain");
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const certificateArn = customDomainCertificate(input);
      if (pool.domain !== domain) throw errors.resourceNotFound(`Domain ${domain} does not exist for user pool ${pool.Id}.`);
      if (certificateArn && !pool.domainCertificateArn) throw errors.invalidParameter("CustomDomainConfig can be given only for a custom domain.");
      if (certificateArn) state.putPool({ ...pool, domainCertificateArn: certificateArn, LastModifiedDate: ctx.now() });
      return pool.domainCertificateArn ? { CloudFrontDomain: cloudFrontDomain(ctx, domain) } : {};
    },
    DeleteUserPoolDomain(input) {
      const domain = requiredString(input, "Domain");
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      if (pool.domain !== domain) throw errors.invalidParameter(`No such domain or user pool exists.`);
      state.putPool({ ...pool, domain: undefined, domainCertificateArn: undefined, LastModifiedDate: ctx.now() });
      return {};
    },
    SetUserPoolMfaConfig(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const mfa = optionalString(input, "MfaConfiguration") ?? pool.mfaConfiguration;
      if (!["OFF", "ON", "OPTIONAL"].includes(mfa)) throw errors.invalidParameter("MfaConfiguration must be OFF, ON or OPTIONAL.");
      const software = optionalObject(input, "SoftwareTokenMfaConfiguration");
      const sms = optionalObject(input, "SmsMfaConfiguration");
      const email = optionalObject(input, "EmailMfaConfiguration");
      const next: UserPoolRecord = {
        ...pool,
        mfaConfiguration: mfa as UserPoolRecord["mfaConfiguration"],
        softwareTokenMfaEnabled: software ? software.Enabled === true : pool.softwareTokenMfaEnabled,
        smsMfaEnabled: sms ? true : pool.smsMfaEnabled,
        emailMfaEnabled: email ? true : pool.emailMfaEnabled,
        settings: { ...pool.settings, ...(sms ? { SmsConfiguration: sms.SmsConfiguration ?? {}, SmsAuthenticationMessage: sms.SmsAuthenticationMessage } : {}), ...emailMfaSettings(email), ...applyWebAuthnConfiguration(optionalObject(input, "WebAuthnConfiguration")) },
        LastModifiedDate: ctx.now(),
      };
      if (next.mfaConfiguration !== "OFF" && !next.softwareTokenMfaEnabled && !next.smsMfaEnabled && !next.emailMfaEnabled) {
        throw errors.invalidParameter("At least one MFA method must be enabled when MFA is ON or OPTIONAL.");
      }
      state.putPool(next);
      return mfaConfig(next);
    },
    GetUserPoolMfaConfig(input) {
      return mfaConfig(ctx.requirePool(requiredString(input, "UserPoolId")));
    },
  };
}

function mfaConfig(pool: UserPoolRecord) {
  return {
    MfaConfiguration: pool.mfaConfiguration,
    // As on AWS, only a configured method is reported (the Terraform provider reads a block from its presence).
    ...(pool.softwareTokenMfaEnabled ? { SoftwareTokenMfaConfiguration: { Enabled: true } } : {}),
    ...(pool.smsMfaEnabled ? { SmsMfaConfiguration: { SmsConfiguration: pool.settings.SmsConfiguration ?? {} } } : {}),
    ...(pool.emailMfaEnabled ? { EmailMfaConfiguration: emailMfaConfiguration(pool) } : {}),
    ...webAuthnConfigurationOf(pool),
  };
}


type PoolSettings = Pick<UserPoolRecord, "settings" | "passwordPolicy" | "usernameAttributes" | "aliasAttributes" | "autoVerifiedAttributes" | "caseSensitive" | "schema" | "mfaConfiguration" | "softwareTokenMfaEnabled" | "smsMfaEnabled" | "emailMfaEnabled" | "adminCreateUserOnly">;

/** Settings kept as the client sent them and echoed back by DescribeUserPool (after the checks of poolSettings). */
const ECHOED_SETTINGS = [
  "LambdaConfig", "VerificationMessageTemplate", "EmailConfiguration", "SmsConfiguration", "UserPoolTags", "AdminCreateUserConfig",
  "UserAttributeUpdateSettings", "DeviceConfiguration", "AccountRecoverySetting", "DeletionProtection", "UserPoolAddOns",
  "EmailVerificationMessage", "EmailVerificationSubject", "SmsVerificationMessage", "SmsAuthenticationMessage", "UsernameConfiguration",
  "UserPoolTier",
];

function poolSettings(input: Input, previous?: UserPoolRecord): PoolSettings {
  const usernameAttributes = optionalStringList(input, "UsernameAttributes") ?? previous?.usernameAttributes ?? [];
  const aliasAttributes = optionalStringList(input, "AliasAttributes") ?? previous?.aliasAttributes ?? [];
  if (usernameAttributes.length > 0 && aliasAttributes.length > 0) throw errors.invalidParameter("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.");
  for (const a of usernameAttributes) if (a !== "email" && a !== "phone_number") throw errors.invalidParameter(`Invalid UsernameAttributes value ${a}.`);
  for (const a of aliasAttributes) if (!["email", "phone_number", "preferred_username"].includes(a)) throw errors.invalidParameter(`Invalid AliasAttributes value ${a}.`);
  const autoVerifiedAttributes = optionalStringList(input, "AutoVerifiedAttributes") ?? previous?.autoVerifiedAttributes ?? [];
  for (const a of autoVerifiedAttributes) if (a !== "email" && a !== "phone_number") throw errors.invalidParameter(`Invalid AutoVerifiedAttributes value ${a}.`);
  const policies = optionalObject(input, "Policies");
  const given = policies ? optionalObject(policies, "PasswordPolicy") : undefined;
  const passwordPolicy = given ? passwordPolicyOf(given) : previous?.passwordPolicy ?? { ...DEFAULT_PASSWORD_POLICY };
  const usernameConfiguration = optionalObject(input, "UsernameConfiguration");
  const caseSensitive = previous?.caseSensitive ?? (usernameConfiguration?.CaseSensitive === false ? false : true);
  const schema = previous?.schema ?? poolSchema(input.Schema);
  const mfa = optionalString(input, "MfaConfiguration") ?? previous?.mfaConfiguration ?? "OFF";
  if (!["OFF", "ON", "OPTIONAL"].includes(mfa)) throw errors.invalidParameter("[MfaConfiguration] must be one of 'ON', 'OFF', or 'OPTIONAL'.");
  const adminConfig = optionalObject(input, "AdminCreateUserConfig");
  const deletionProtection = optionalString(input, "DeletionProtection");
  if (deletionProtection !== undefined && deletionProtection !== "ACTIVE" && deletionProtection !== "INACTIVE") {
    throw errors.invalidParameter(`1 validation error detected: Value '${deletionProtection}' at 'deletionProtection' failed to satisfy constraint: Member must satisfy enum value set: [ACTIVE, INACTIVE]`);
  }
  tagMap(input, "UserPoolTags", false);
  readUserPoolTier(input);
  const settings: Record<string, unknown> = { ...(previous?.settings ?? {}) };
  for (const key of ECHOED_SETTINGS) {
    if (input[key] !== undefined) settings[key] = input[key];
  }
  if (input.LambdaConfig !== undefined) settings.LambdaConfig = normalizeLambdaConfig(input.LambdaConfig);
  Object.assign(settings, verificationMessages(input, settings));
  Object.assign(settings, signInPolicySettings(input, previous));
  return {
    settings,
    passwordPolicy,
    usernameAttributes,
    aliasAttributes,
    autoVerifiedAttributes,
    caseSensitive,
    schema,
    mfaConfiguration: mfa as UserPoolRecord["mfaConfiguration"],
    softwareTokenMfaEnabled: previous?.softwareTokenMfaEnabled ?? false,
    smsMfaEnabled: previous?.smsMfaEnabled ?? false,
    emailMfaEnabled: previous?.emailMfaEnabled ?? false,
    adminCreateUserOnly: adminConfig ? adminConfig.AllowAdminCreateUserOnly === true : previous?.adminCreateUserOnly ?? false,
  };
}

/**
 * A PasswordPolicy as given: a member left out means false (booleans; the AWS SDKs omit `false`), 8 (MinimumLength)
 * or 7 (TemporaryPasswordValidityDays), as on AWS.
 */
function passwordPolicyOf(given: Input): PasswordPolicy {
  const policy: PasswordPolicy = { ...OMITTED_PASSWORD_POLICY };
  for (const key of ["MinimumLength", "TemporaryPasswordValidityDays"] as const) {
    const v = given[key];
    if (v === undefined || v === null) continue;
    const [min, max] = key === "MinimumLength" ? [6, 99] : [0, 365];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      throw errors.invalidParameter(`1 validation error detected: Value '${String(v)}' at 'policies.passwordPolicy.${lowerFirst(key)}' failed to satisfy constraint: Member must have value between ${min} and ${max}`);
    }
    policy[key] = v;
  }
  for (const key of ["RequireUppercase", "RequireLowercase", "RequireNumbers", "RequireSymbols"] as const) {
    const v = given[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== "boolean") throw errors.invalidParameter(`${key} must be a boolean.`);
    policy[key] = v;
  }
  const history = given.PasswordHistorySize;
  if (history !== undefined && history !== null) {
    if (typeof history !== "number" || !Number.isInteger(history) || history < 0 || history > 24) {
      throw errors.invalidParameter(`1 validation error detected: Value '${String(history)}' at 'policies.passwordPolicy.passwordHistorySize' failed to satisfy constraint: Member must have value between 0 and 24`);
    }
    (policy as PasswordPolicy & { PasswordHistorySize?: number }).PasswordHistorySize = history;
  }
  return policy;
}

/**
 * VerificationMessageTemplate and the older top-level EmailVerificationMessage/EmailVerificationSubject/
 * SmsVerificationMessage describe the same messages: AWS keeps them in step, the template winning when both are given.
 */
function verificationMessages(input: Input, settings: Record<string, unknown>): Record<string, unknown> {
  const given = optionalObject(input, "VerificationMessageTemplate");
  const template: Record<string, unknown> = { ...((settings.VerificationMessageTemplate as Record<string, unknown> | undefined) ?? {}) };
  const out: Record<string, unknown> = {};
  const pairs = [["EmailMessage", "EmailVerificationMessage"], ["EmailSubject", "EmailVerificationSubject"], ["SmsMessage", "SmsVerificationMessage"]] as const;
  for (const [inTemplate, topLevel] of pairs) {
    const fromTemplate = given ? optionalString(given, inTemplate) : undefined;
    const fromTop = optionalString(input, topLevel);
    const value = fromTemplate ?? fromTop;
    if (value === undefined) continue;
    template[inTemplate] = value;
    out[topLevel] = value;
  }
  if (given) {
    for (const key of ["EmailMessageByLink", "EmailSubjectByLink"]) {
      const v = optionalString(given, key);
      if (v !== undefined) template[key] = v;
    }
    const option = optionalString(given, "DefaultEmailOption");
    if (option !== undefined && option !== "CONFIRM_WITH_LINK" && option !== "CONFIRM_WITH_CODE") {
      throw errors.invalidParameter(`1 validation error detected: Value '${option}' at 'verificationMessageTemplate.defaultEmailOption' failed to satisfy constraint: Member must satisfy enum value set: [CONFIRM_WITH_LINK, CONFIRM_WITH_CODE]`);
    }
    if (option !== undefined) template.DefaultEmailOption = option;
  }
  template.DefaultEmailOption ??= "CONFIRM_WITH_CODE";
  for (const key of ["EmailMessage", "SmsMessage"]) {
    const v = template[key];
    if (typeof v === "string" && !v.includes("{####}")) throw errors.invalidParameter(`${key === "EmailMessage" ? "Email" : "SMS"} verification message must contain the {####} placeholder.`);
  }
  if (typeof template.EmailMessageByLink === "string" && !/\{##[^#]*##\}/.test(template.EmailMessageByLink)) {
    throw errors.invalidParameter("Email verification message by link must contain the {##Verify Email##} placeholder.");
  }
  out.VerificationMessageTemplate = template;
  return out;
}

/** A tag map member: string keys (1-128) and values (0-256) of AWS's tag alphabet, at most 50. */
export function tagMap(input: Input, member: string, required: boolean): Record<string, string> | undefined {
  const value = input[member];
  if (value === undefined || value === null) {
    if (required) throw errors.missingMember(member);
    return undefined;
  }
  if (typeof value !== "object" || Array.isArray(value)) throw errors.invalidParameter(`${member} must be a map of strings.`);
  const tags = new Map<string, string>();
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== "string") throw errors.invalidParameter(`${member} values must be strings.`);
    if (key.length < 1 || key.length > 128 || !TAG_PATTERN.test(key) || key.toLowerCase().startsWith("aws:")) {
      throw errors.invalidParameter(`1 validation error detected: Value '${key}' at '${lowerFirst(member)}' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$]`);
    }
    if (v.length > 256 || !TAG_PATTERN.test(v)) {
      throw errors.invalidParameter(`1 validation error detected: Value '${v}' at '${lowerFirst(member)}.${key}' failed to satisfy constraint: Member must have length less than or equal to 256, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$`);
    }
    tags.set(key, v);
  }
  if (tags.size > MAX_TAGS) throw errors.invalidParameter(`1 validation error detected: Value at '${lowerFirst(member)}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TAGS}`);
  return Object.fromEntries(tags);
}

function poolTags(pool: UserPoolRecord): Record<string, string> {
  return { ...((pool.settings.UserPoolTags as Record<string, string> | undefined) ?? {}) };
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function describe(ctx: ServiceContext, pool: UserPoolRecord) {
  const { SignInPolicy: _signInPolicy, ...settings } = pool.settings;
  return {
    DeletionProtection: "INACTIVE",
    EmailConfiguration: { EmailSendingAccount: "COGNITO_DEFAULT" },
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: [] },
    ...settings,
    VerificationMessageTemplate: { DefaultEmailOption: "CONFIRM_WITH_CODE", ...((pool.settings.VerificationMessageTemplate as object | undefined) ?? {}) },
    UserPoolTags: poolTags(pool),
    UserPoolTier: poolTier(pool),
    Id: pool.Id,
    Name: pool.Name,
    Arn: pool.Arn,
    CreationDate: pool.CreationDate,
    LastModifiedDate: pool.LastModifiedDate,
    Policies: { PasswordPolicy: pool.passwordPolicy, SignInPolicy: { AllowedFirstAuthFactors: allowedFirstFactors(pool) } },
    SchemaAttributes: pool.schema,
    ...(pool.usernameAttributes.length ? { UsernameAttributes: pool.usernameAttributes } : {}),
    ...(pool.aliasAttributes.length ? { AliasAttributes: pool.aliasAttributes } : {}),
    AutoVerifiedAttributes: pool.autoVerifiedAttributes,
    UsernameConfiguration: { CaseSensitive: pool.caseSensitive },
    MfaConfiguration: pool.mfaConfiguration,
    EstimatedNumberOfUsers: ctx.state.userCount(pool.Id),
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: pool.adminCreateUserOnly, ...((pool.settings.AdminCreateUserConfig as object | undefined) ?? {}) },
    LambdaConfig: pool.settings.LambdaConfig ?? {},
    ...(pool.domain ? { Domain: pool.domain } : {}),
  };
}

/** CustomDomainConfig.CertificateArn (an ACM certificate ARN), when the input has a CustomDomainConfig. */
function customDomainCertificate(input: Input): string | undefined {
  const config = optionalObject(input, "CustomDomainConfig");
  if (!config) return undefined;
  const arn = config.CertificateArn;
  if (typeof arn !== "string" || !/^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:[\w+=/,.@-]*:\d*:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$/.test(arn)) {
    throw errors.invalidParameter(`1 validation error detected: Value '${String(arn)}' at 'customDomainConfig.certificateArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?`);
  }
  return arn;
}

const DISTRIBUTION_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** The CloudFront distribution of a domain: `d` and 13 letters and digits (stable per domain), `.cloudfront.net`. */
function cloudFrontDomain(ctx: ServiceContext, domain: string): string {
  const bytes = serviceMac(ctx, "cloudfront-distribution", domain);
  let id = "d";
  for (let i = 0; i < 13; i++) id += DISTRIBUTION_ALPHABET[bytes[i]! % DISTRIBUTION_ALPHABET.length];
  return `${id}.cloudfront.net`;
}
