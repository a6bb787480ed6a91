// The user pool settings of the tf-aws backend: the schema attributes (from the user's
// SchemaAttributeType list) in the shape @cdktf/provider-aws expects, and the password policy.

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
    if (required !== undefined) out.required = required;
    if (developerOnly !== undefined) out.developerOnlyAttribute = developerOnly;
    const strings = constraints(attr, "stringAttributeConstraints", ["minLength", "maxLength"], where);
    const numbers = constraints(attr, "numberAttributeConstraints", ["minValue", "maxValue"], where);
    if (strings !== undefined) out.stringAttributeConstraints = strings;
    if (numbers !== undefined) out.numberAttributeConstraints = numbers;
    if (out.attributeDataType === "String" && out.stringAttributeConstraints === undefined) {
      out.stringAttributeConstraints = { ...STANDARD_STRING_CONSTRAINTS };
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
