// cognito-idp operations on user pools themselves: create, describe, list, update, delete, domains and MFA configuration.
import * as errors from "../errors";
import { newUserPoolId } from "../ids";
import { optionalNumber, optionalObject, optionalString, optionalStringList, requiredString, type Input } from "../input";
import type { PasswordPolicy, SchemaAttribute, UserPoolRecord } from "../model";
import type { OperationTable, ServiceContext } from "../context";
import { pageAfter, readPageToken } from "../paging";
import { generateSigningKey } from "../tokens";
import { emailMfaConfiguration, emailMfaSettings } from "./email-mfa";

const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

/** The standard attributes every pool has. */
const STANDARD_ATTRIBUTES = [
  "sub", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website",
  "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number", "phone_number_verified", "address", "updated_at",
];

export function userPoolOperations(ctx: ServiceContext): OperationTable {
  const { state } = ctx;
  return {
    async CreateUserPool(input) {
      const name = requiredString(input, "PoolName");
      if (name.length < 1 || name.length > 128) throw errors.invalidParameter("PoolName must be between 1 and 128 characters.");
      const settings = poolSettings(input);
      const [idTokenKey, accessTokenKey] = await Promise.all([generateSigningKey(), generateSigningKey()]);
      const id = newUserPoolId(ctx.region);
      const now = ctx.now();
      const pool: UserPoolRecord = {
        Id: id,
        Name: name,
        Arn: `arn:aws:cognito-idp:${ctx.region}:000000000000:userpool/${id}`,
        CreationDate: now,
        LastModifiedDate: now,
        idTokenKey,
        accessTokenKey,
        ...settings,
      };
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
      state.putPool({ ...pool, ...settings, usernameAttributes: pool.usernameAttributes, aliasAttributes: pool.aliasAttributes, schema: pool.schema, LastModifiedDate: ctx.now() });
      return {};
    },
    DeleteUserPool(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      state.deletePool(pool.Id);
      return {};
    },
    AddCustomAttributes(input) {
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      const added = schemaList(input.CustomAttributes, true);
      if (added.length === 0) throw errors.invalidParameter("CustomAttributes must not be empty.");
      for (const a of added) if (pool.schema.some((s) => s.Name === a.Name)) throw errors.invalidParameter(`Existing attribute already has name ${a.Name}.`);
      state.putPool({ ...pool, schema: [...pool.schema, ...added], LastModifiedDate: ctx.now() });
      return {};
    },
    CreateUserPoolDomain(input) {
      const domain = requiredString(input, "Domain");
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(domain) && !optionalObject(input, "CustomDomainConfig")) throw errors.invalidParameter("Domain does not conform to the required pattern.");
      if (state.pools().some((p) => p.domain === domain)) throw errors.invalidParameter("Domain already associated with another user pool.");
      if (pool.domain) throw errors.invalidParameter(`User pool ${pool.Id} already has a domain configured.`);
      state.putPool({ ...pool, domain, LastModifiedDate: ctx.now() });
      return { CloudFrontDomain: `${domain}.auth.${ctx.region}.amazoncognito.com` };
    },
    DescribeUserPoolDomain(input) {
      const domain = requiredString(input, "Domain");
      const pool = state.pools().find((p) => p.domain === domain);
      if (!pool) return { DomainDescription: {} };
      return {
        DomainDescription: {
          UserPoolId: pool.Id,
          AWSAccountId: "000000000000",
          Domain: domain,
          S3Bucket: `aws-cognito-prod-${ctx.region}-assets`,
          CloudFrontDistribution: `${domain}.auth.${ctx.region}.amazoncognito.com`,
          Version: "20240101000000",
          Status: "ACTIVE",
        },
      };
    },
    UpdateUserPoolDomain(input) {
      const domain = requiredString(input, "Domain");
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      if (pool.domain !== domain) throw errors.resourceNotFound(`Domain ${domain} does not exist for user pool ${pool.Id}.`);
      return { CloudFrontDomain: `${domain}.auth.${ctx.region}.amazoncognito.com` };
    },
    DeleteUserPoolDomain(input) {
      const domain = requiredString(input, "Domain");
      const pool = ctx.requirePool(requiredString(input, "UserPoolId"));
      if (pool.domain !== domain) throw errors.invalidParameter(`No such domain or user pool exists.`);
      state.putPool({ ...pool, domain: undefined, LastModifiedDate: ctx.now() });
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
        settings: { ...pool.settings, ...(sms ? { SmsConfiguration: sms.SmsConfiguration ?? {}, SmsAuthenticationMessage: sms.SmsAuthenticationMessage } : {}), ...emailMfaSettings(email) },
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
    SoftwareTokenMfaConfiguration: { Enabled: pool.softwareTokenMfaEnabled },
    ...(pool.smsMfaEnabled ? { SmsMfaConfiguration: { SmsConfiguration: pool.settings.SmsConfiguration ?? {} } } : {}),
    ...(pool.emailMfaEnabled ? { EmailMfaConfiguration: emailMfaConfiguration(pool) } : {}),
  };
}


type PoolSettings = Pick<UserPoolRecord, "settings" | "passwordPolicy" | "usernameAttributes" | "aliasAttributes" | "autoVerifiedAttributes" | "caseSensitive" | "schema" | "mfaConfiguration" | "softwareTokenMfaEnabled" | "smsMfaEnabled" | "emailMfaEnabled" | "adminCreateUserOnly">;

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
  const passwordPolicy: PasswordPolicy = { ...(previous?.passwordPolicy ?? DEFAULT_PASSWORD_POLICY) };
  if (given) {
    for (const key of Object.keys(DEFAULT_PASSWORD_POLICY) as Array<keyof PasswordPolicy>) {
      const v = given[key];
      if (v === undefined) continue;
      if (key === "MinimumLength" || key === "TemporaryPasswordValidityDays") {
        if (typeof v !== "number" || v < (key === "MinimumLength" ? 6 : 0) || v > (key === "MinimumLength" ? 99 : 365)) throw errors.invalidParameter(`Invalid ${key}.`);
        passwordPolicy[key] = v;
      } else {
        if (typeof v !== "boolean") throw errors.invalidParameter(`Invalid ${key}.`);
        passwordPolicy[key] = v;
      }
    }
  }
  const usernameConfiguration = optionalObject(input, "UsernameConfiguration");
  const caseSensitive = previous?.caseSensitive ?? (usernameConfiguration?.CaseSensitive === false ? false : true);
  const schema = previous?.schema ?? mergeSchema(schemaList(input.Schema, false));
  const mfa = optionalString(input, "MfaConfiguration") ?? previous?.mfaConfiguration ?? "OFF";
  if (!["OFF", "ON", "OPTIONAL"].includes(mfa)) throw errors.invalidParameter("MfaConfiguration must be OFF, ON or OPTIONAL.");
  const adminConfig = optionalObject(input, "AdminCreateUserConfig");
  const settings: Record<string, unknown> = { ...(previous?.settings ?? {}) };
  for (const key of ["LambdaConfig", "VerificationMessageTemplate", "EmailConfiguration", "SmsConfiguration", "UserPoolTags", "AdminCreateUserConfig", "UserAttributeUpdateSettings", "DeviceConfiguration", "AccountRecoverySetting", "DeletionProtection", "UserPoolAddOns", "EmailVerificationMessage", "EmailVerificationSubject", "SmsVerificationMessage", "SmsAuthenticationMessage", "UsernameConfiguration", "UserPoolTier"]) {
    if (input[key] !== undefined) settings[key] = input[key];
  }
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

/** The standard attributes, with what the client said about them merged in, followed by the custom ones. */
function mergeSchema(given: SchemaAttribute[]): SchemaAttribute[] {
  const byName = new Map(given.map((a) => [a.Name, a]));
  const standard = STANDARD_ATTRIBUTES.map((Name) => ({ ...standardSchema(Name), ...(byName.get(Name) ?? {}), Name }));
  return [...standard, ...given.filter((a) => !STANDARD_ATTRIBUTES.includes(a.Name))];
}

function standardSchema(Name: string): SchemaAttribute {
  const type = Name.endsWith("_verified") ? "Boolean" : Name === "updated_at" ? "Number" : "String";
  return { Name, AttributeDataType: type, DeveloperOnlyAttribute: false, Mutable: Name !== "sub", Required: Name === "sub" };
}

function schemaList(value: unknown, customOnly: boolean): SchemaAttribute[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw errors.invalidParameter("Schema must be a list.");
  return value.map((entry) => {
    if (!entry || typeof entry !== "object" || typeof (entry as SchemaAttribute).Name !== "string") throw errors.invalidParameter("Schema attributes need a Name.");
    const a = entry as SchemaAttribute;
    const isStandard = STANDARD_ATTRIBUTES.includes(a.Name);
    const name = isStandard && !customOnly ? a.Name : a.Name.startsWith("custom:") ? a.Name : `custom:${a.Name}`;
    return { AttributeDataType: "String", DeveloperOnlyAttribute: false, Mutable: true, Required: false, ...a, Name: name };
  });
}

function describe(ctx: ServiceContext, pool: UserPoolRecord) {
  return {
    ...pool.settings,
    Id: pool.Id,
    Name: pool.Name,
    Arn: pool.Arn,
    CreationDate: pool.CreationDate,
    LastModifiedDate: pool.LastModifiedDate,
    Policies: { PasswordPolicy: pool.passwordPolicy },
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
