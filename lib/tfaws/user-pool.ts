// The user pool settings of the tf-aws backend: the schema attributes (from the user's
// SchemaAttributeType list) in the shape @cdktf/provider-aws expects, the password policy and the email sender.

/** One `schema` block of aws_cognito_user_pool, as @cdktf/provider-aws takes it. */
export interface UserPoolSchemaAttribute {
  name: string;
  attributeDataType: "String" | "Number" | "DateTime" | "Boolean";
  mutable?: boolean;
  required?: boolean;
  developerOnlyAttribute?: boolean;
  stringAttributeConstraints?: { minLength?: string; maxLength?: string };
  numberAttributeConstraints?: { minValue?: string; maxValue?: string };
}

/** The password_policy block of aws_cognito_user_pool. */
export interface UserPoolPasswordPolicy {
  minimumLength: number;
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  temporaryPasswordValidityDays: number;
}

const DATA_TYPES = ["String", "Number", "DateTime", "Boolean"] as const;

/** Cognito's own limits for a standard string attribute; stating them avoids a perpetual plan diff. */
const STANDARD_STRING_CONSTRAINTS = { minLength: "0", maxLength: "2048" };

/** The attributes every user pool has (OIDC standard claims); any other name is a custom attribute. */
export const STANDARD_ATTRIBUTES: ReadonlySet<string> = new Set([
  "address", "birthdate", "email", "email_verified", "family_name", "gender", "given_name", "locale",
  "middle_name", "name", "nickname", "phone_number", "phone_number_verified", "picture", "preferred_username",
  "profile", "sub", "updated_at", "website", "zoneinfo",
]);

/** How the user pool sends email through Amazon SES (platform/backend.w `EmailOptions`). */
export interface EmailOptions {
  /** The ARN of a verified SES identity (address or domain) in the pool's region, or a supported alternate one. */
  readonly sesSourceArn: string;
  /** The sender, `address` or `Name <address>`; defaults to the SES identity's address. */
  readonly from?: string;
  /** The Reply-To address. */
  readonly replyTo?: string;
  /** An SES configuration set to apply to the emails. */
  readonly configurationSet?: string;
}

/** The provider's email_configuration block. */
export interface UserPoolEmailConfiguration {
  emailSendingAccount: "DEVELOPER";
  sourceArn: string;
  fromEmailAddress?: string;
  replyToEmailAddress?: string;
  configurationSet?: string;
}

/**
 * The email_configuration that sends through the user's own SES identity (`DEVELOPER`) instead of Cognito's
 * built-in sender, whose daily quota is far below a production volume.
 */
export function emailConfiguration(email: EmailOptions): UserPoolEmailConfiguration {
  const arn = email.sesSourceArn;
  if (typeof arn !== "string" || !/^arn:[\w-]+:ses:[a-z0-9-]+:\d{12}:identity\/.+$/.test(arn)) {
    throw new Error(
      `@winglibs/cognito: email.sesSourceArn must be the ARN of a verified SES identity, ` +
        `arn:aws:ses:<region>:<account>:identity/<address or domain> (got "${String(arn)}")`,
    );
  }
  if (email.configurationSet !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(email.configurationSet)) {
    throw new Error(`@winglibs/cognito: email.configurationSet must be 1 to 64 letters, digits, "_" or "-" (got "${email.configurationSet}")`);
  }
  const out: UserPoolEmailConfiguration = { emailSendingAccount: "DEVELOPER", sourceArn: arn };
  if (email.from !== undefined) out.fromEmailAddress = email.from;
  if (email.replyTo !== undefined) out.replyToEmailAddress = email.replyTo;
  if (email.configurationSet !== undefined) out.configurationSet = email.configurationSet;
  return out;
}

/** Cognito's default password policy: 8+ characters with lower, upper, number and symbol. */
export function defaultPasswordPolicy(): UserPoolPasswordPolicy {
  return {
    minimumLength: 8,
    requireLowercase: true,
    requireUppercase: true,
    requireNumbers: true,
    requireSymbols: true,
    temporaryPasswordValidityDays: 7,
  };
}

type Fields = { readonly [key: string]: unknown };

/** Reads `key` in AWS's PascalCase or the provider's camelCase spelling. */
function field(attr: Fields, key: string): unknown {
  const pascal = key.charAt(0).toUpperCase() + key.slice(1);
  return attr[pascal] !== undefined ? attr[pascal] : attr[key];
}

function optionalBool(attr: Fields, key: string, where: string): boolean | undefined {
  const value = field(attr, key);
  if (value !== undefined && typeof value !== "boolean") {
    throw new Error(`${where}: ${key} must be a boolean`);
  }
  return value;
}

function constraints(attr: Fields, key: string, bounds: readonly [string, string], where: string) {
  const value = field(attr, key);
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== "object" || value === null) {
    throw new Error(`${where}: ${key} must be an object`);
  }
  const out: { [bound: string]: string } = {};
  for (const bound of bounds) {
    const limit = field(value as Fields, bound);
    if (limit === undefined) {
      continue;
    }
    if ((typeof limit !== "string" && typeof limit !== "number") || !/^\d+$/.test(String(limit))) {
      throw new Error(`${where}: ${key}.${bound} must be a non-negative integer`);
    }
    out[bound] = String(limit);
  }
  return out;
}

/**
 * Maps `schema` (a list of AWS SchemaAttributeType objects, PascalCase or camelCase keys) to the
 * provider's schema blocks. When users sign in with their email and the list does not mention
 * `email`, a required, mutable `email` attribute is added first.
 */
export function userPoolSchema(usernameAttributes: readonly string[], schema?: unknown): UserPoolSchemaAttribute[] {
  if (schema !== undefined && schema !== null && !Array.isArray(schema)) {
    throw new Error("schema must be a list of attributes, e.g. [{\"Name\": \"team\", \"AttributeDataType\": \"String\"}]");
  }
  const result: UserPoolSchemaAttribute[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of ((schema as unknown[] | null | undefined) ?? []).entries()) {
    const where = `schema[${index}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new Error(`${where} must be an object`);
    }
    const attr = raw as Fields;
    const name = field(attr, "name");
    if (typeof name !== "string" || !/^[\w:-]{1,20}$/.test(name)) {
      throw new Error(`${where}: Name must be 1 to 20 letters, digits, "_", ":" or "-"`);
    }
    if (seen.has(name)) {
      throw new Error(`${where}: attribute "${name}" is listed twice`);
    }
    seen.add(name);
    const type = field(attr, "attributeDataType") ?? "String";
    if (!(DATA_TYPES as readonly unknown[]).includes(type)) {
      throw new Error(`${where}: AttributeDataType must be one of ${DATA_TYPES.join(", ")}`);
    }
    const out: UserPoolSchemaAttribute = { name, attributeDataType: type as UserPoolSchemaAttribute["attributeDataType"] };
    const mutable = optionalBool(attr, "mutable", where);
    const required = optionalBool(attr, "required", where);
    const developerOnly = optionalBool(attr, "developerOnlyAttribute", where);
    if (mutable !== undefined) out.mutable = mutable;
    if (required === true && !STANDARD_ATTRIBUTES.has(name)) {
      throw new Error(
        `@winglibs/cognito: ${where}: custom attribute "${name}" cannot be Required: ` +
          `Required custom attributes are not supported currently (Amazon Cognito refuses them). ` +
          `Drop "Required", and check the value at sign-up instead (e.g. in a pre sign-up trigger).`,
      );
    }
    if (required !== undefined) out.required = required;
    if (developerOnly !== undefined) out.developerOnlyAttribute = developerOnly;
    const strings = constraints(attr, "stringAttributeConstraints", ["minLength", "maxLength"], where);
    const numbers = constraints(attr, "numberAttributeConstraints", ["minValue", "maxValue"], where);
    if (strings !== undefined) out.stringAttributeConstraints = strings;
    if (numbers !== undefined) out.numberAttributeConstraints = numbers;
    if (strings !== undefined && out.attributeDataType !== "String") {
      throw new Error(`${where}: StringAttributeConstraints only apply to String attributes ("${name}" is ${out.attributeDataType})`);
    }
    if (numbers !== undefined && out.attributeDataType !== "Number") {
      throw new Error(`${where}: NumberAttributeConstraints only apply to Number attributes ("${name}" is ${out.attributeDataType})`);
    }
    // The provider needs the constraints block of String and Number attributes, or it replaces the pool (or fails)
    // on the next apply: state Cognito's defaults when the user gave none.
    if (out.attributeDataType === "String" && out.stringAttributeConstraints === undefined) {
      out.stringAttributeConstraints = { ...STANDARD_STRING_CONSTRAINTS };
    }
    if (out.attributeDataType === "Number" && out.numberAttributeConstraints === undefined) {
      out.numberAttributeConstraints = {};
    }
    result.push(out);
  }
  if (usernameAttributes.includes("email") && !seen.has("email")) {
    result.unshift({
      name: "email",
      attributeDataType: "String",
      mutable: true,
      required: true,
      stringAttributeConstraints: { ...STANDARD_STRING_CONSTRAINTS },
    });
  }
  return result;
}
