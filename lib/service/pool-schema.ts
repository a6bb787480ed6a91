// A user pool's attribute schema as AWS keeps it: the standard attributes with the constraints DescribeUserPool
// reports, the client's changes to them (Required, Mutable, constraints), custom attributes (`custom:` or `dev:custom:`),
// and CreateUserPool's/AddCustomAttributes' validation with AWS's messages.
import * as errors from "./errors";
import type { SchemaAttribute } from "./model";

const STRING_2048 = { MinLength: "0", MaxLength: "2048" };

/** The standard attributes in the order AWS lists them, with what AWS reports for a pool that left them alone. */
const STANDARD: ReadonlyArray<SchemaAttribute> = [
  { Name: "sub", AttributeDataType: "String", DeveloperOnlyAttribute: false, Mutable: false, Required: true, StringAttributeConstraints: { MinLength: "1", MaxLength: "2048" } },
  ...["name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website", "email"].map(stringAttribute),
  { Name: "email_verified", AttributeDataType: "Boolean", DeveloperOnlyAttribute: false, Mutable: true, Required: false },
  stringAttribute("gender"),
  { ...stringAttribute("birthdate"), StringAttributeConstraints: { MinLength: "10", MaxLength: "10" } },
  stringAttribute("zoneinfo"),
  stringAttribute("locale"),
  stringAttribute("phone_number"),
  { Name: "phone_number_verified", AttributeDataType: "Boolean", DeveloperOnlyAttribute: false, Mutable: true, Required: false },
  stringAttribute("address"),
  { Name: "updated_at", AttributeDataType: "Number", DeveloperOnlyAttribute: false, Mutable: true, Required: false, NumberAttributeConstraints: { MinValue: "0" } },
];

function stringAttribute(Name: string): SchemaAttribute {
  return { Name, AttributeDataType: "String", DeveloperOnlyAttribute: false, Mutable: true, Required: false, StringAttributeConstraints: { ...STRING_2048 } };
}

const STANDARD_BY_NAME = new Map(STANDARD.map((a) => [a.Name, a]));
const DATA_TYPES = new Set(["String", "Number", "DateTime", "Boolean"]);
const MAX_CUSTOM_ATTRIBUTES = 50;
const MAX_STRING_LENGTH = 2048;

/** Whether `name` is one of the standard attributes. */
export function isStandardAttribute(name: string): boolean {
  return STANDARD_BY_NAME.has(name);
}

/** CreateUserPool's `Schema`: every standard attribute (with the client's changes), then the custom ones. */
export function poolSchema(given: unknown): SchemaAttribute[] {
  const entries = schemaEntries(given, "Schema");
  const changes = new Map<string, SchemaAttribute>();
  const custom: SchemaAttribute[] = [];
  for (const entry of entries) {
    const standard = STANDARD_BY_NAME.get(entry.Name);
    if (standard) {
      if (changes.has(entry.Name)) throw errors.invalidParameter(`Duplicate attribute name: ${entry.Name}`);
      changes.set(entry.Name, standardChange(standard, entry));
    } else {
      custom.push(customAttribute(entry));
    }
  }
  const schema = [...STANDARD.map((a) => changes.get(a.Name) ?? copy(a))];
  return addCustom(schema, custom);
}

/** AddCustomAttributes: the pool's schema with `given` appended as custom attributes. */
export function withCustomAttributes(schema: SchemaAttribute[], given: unknown): SchemaAttribute[] {
  const entries = schemaEntries(given, "CustomAttributes");
  if (entries.length === 0) throw errors.invalidParameter("1 validation error detected: Value '[]' at 'customAttributes' failed to satisfy constraint: Member must have length greater than or equal to 1");
  return addCustom(schema, entries.map(customAttribute));
}

function addCustom(schema: SchemaAttribute[], added: SchemaAttribute[]): SchemaAttribute[] {
  const result = [...schema];
  for (const a of added) {
    const base = a.Name.replace(/^dev:/, "");
    const clash = result.find((s) => s.Name === base || s.Name === `dev:${base}`);
    if (clash) throw errors.invalidParameter(`${base}: Existing attribute already has name ${clash.Name}.`);
    result.push(a);
  }
  if (result.filter((a) => !isStandardAttribute(a.Name)).length > MAX_CUSTOM_ATTRIBUTES) {
    throw errors.limitExceeded(`A user pool can have at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`);
  }
  return result;
}

/** The entries of a SchemaAttributeType list, shape-checked. */
function schemaEntries(value: unknown, member: string): SchemaAttribute[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw errors.invalidParameter(`${member} must be a list of schema attributes.`);
  if (value.length > MAX_CUSTOM_ATTRIBUTES + STANDARD.length) throw errors.invalidParameter(`1 validation error detected: Value at '${lowerFirst(member)}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_CUSTOM_ATTRIBUTES + STANDARD.length}`);
  return value.map((entry, i) => {
    const at = `${lowerFirst(member)}.${i + 1}.member`;
    if (!entry || typeof entry !== "object" || Array.isArray(entry)) throw errors.invalidParameter(`${member} entries must be objects.`);
    const e = entry as Record<string, unknown>;
    if (typeof e.Name !== "string" || e.Name.length < 1 || e.Name.length > 20 || !/^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u.test(e.Name)) {
      throw errors.invalidParameter(`1 validation error detected: Value '${String(e.Name)}' at '${at}.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+ and length between 1 and 20`);
    }
    if (e.AttributeDataType !== undefined && e.AttributeDataType !== null && (typeof e.AttributeDataType !== "string" || !DATA_TYPES.has(e.AttributeDataType))) {
      throw errors.invalidParameter(`Validation error detected: Value '${String(e.AttributeDataType)}' failed to satisfy constraint: Member must satisfy enum value set: [Boolean, Number, String, DateTime]`);
    }
    for (const flag of ["DeveloperOnlyAttribute", "Mutable", "Required"] as const) {
      if (e[flag] !== undefined && e[flag] !== null && typeof e[flag] !== "boolean") throw errors.invalidParameter(`${flag} must be a boolean.`);
    }
    const attribute: SchemaAttribute = { Name: e.Name };
    if (typeof e.AttributeDataType === "string") attribute.AttributeDataType = e.AttributeDataType;
    for (const flag of ["DeveloperOnlyAttribute", "Mutable", "Required"] as const) if (typeof e[flag] === "boolean") attribute[flag] = e[flag] as boolean;
    const strings = constraintObject(e.StringAttributeConstraints, "StringAttributeConstraints", e.Name, ["MinLength", "MaxLength"]);
    const numbers = constraintObject(e.NumberAttributeConstraints, "NumberAttributeConstraints", e.Name, ["MinValue", "MaxValue"]);
    if (strings) attribute.StringAttributeConstraints = strings;
    if (numbers) attribute.NumberAttributeConstraints = numbers;
    return attribute;
  });
}

/** A constraints object whose members are integer strings (AWS: "Invalid <kind> for schema attribute <name>"). */
function constraintObject(value: unknown, kind: string, name: string, members: string[]): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw errors.invalidParameter(`Invalid ${kind} for schema attribute ${name}`);
  const out: Record<string, string> = {};
  for (const member of members) {
    const v = (value as Record<string, unknown>)[member];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string" || !/^-?\d{1,19}$/.test(v)) throw errors.invalidParameter(`Invalid ${kind} for schema attribute ${name}`);
    out[member] = v;
  }
  return out;
}

/** A standard attribute as the client changed it: only Required, Mutable and constraints of its own type may change. */
function standardChange(standard: SchemaAttribute, given: SchemaAttribute): SchemaAttribute {
  if ((given.AttributeDataType !== undefined && given.AttributeDataType !== standard.AttributeDataType) || given.DeveloperOnlyAttribute === true) {
    throw errors.invalidParameter(`You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute ${standard.Name}`);
  }
  if (standard.Name === "sub" && (given.Mutable === true || given.Required === false)) {
    throw errors.invalidParameter("You can not change Mutable or Required for standard schema attribute sub");
  }
  const result: SchemaAttribute = {
    ...copy(standard),
    // As on AWS, a standard attribute named in the schema is immutable unless the entry says otherwise.
    Mutable: given.Mutable ?? false,
    Required: given.Required ?? standard.Required,
  };
  if (standard.StringAttributeConstraints) {
    result.StringAttributeConstraints = { ...standard.StringAttributeConstraints, ...(given.StringAttributeConstraints ?? {}) };
    checkStringConstraints(standard.Name, result.StringAttributeConstraints);
  }
  if (standard.NumberAttributeConstraints) {
    result.NumberAttributeConstraints = { ...standard.NumberAttributeConstraints, ...(given.NumberAttributeConstraints ?? {}) };
    checkNumberConstraints(standard.Name, result.NumberAttributeConstraints);
  }
  return result;
}

/** A custom attribute: `custom:<name>` (`dev:custom:<name>` when developer-only), constraints of its type only. */
function customAttribute(given: SchemaAttribute): SchemaAttribute {
  if (!given.AttributeDataType) throw errors.invalidParameter("Invalid AttributeDataType input, consider using the provided AttributeDataType enum.");
  if (given.Required === true) throw errors.invalidParameter("Required custom attributes are not supported currently.");
  const bare = given.Name.replace(/^(dev:)?custom:/, "");
  const developerOnly = given.DeveloperOnlyAttribute === true;
  const name = `${developerOnly ? "dev:" : ""}custom:${bare}`;
  const attribute: SchemaAttribute = {
    Name: name,
    AttributeDataType: given.AttributeDataType,
    DeveloperOnlyAttribute: developerOnly,
    Mutable: given.Mutable ?? true,
    Required: false,
  };
  if (given.AttributeDataType === "String" && given.StringAttributeConstraints) {
    checkStringConstraints(name, given.StringAttributeConstraints);
    attribute.StringAttributeConstraints = { ...given.StringAttributeConstraints };
  }
  if (given.AttributeDataType === "Number" && given.NumberAttributeConstraints) {
    checkNumberConstraints(name, given.NumberAttributeConstraints);
    attribute.NumberAttributeConstraints = { ...given.NumberAttributeConstraints };
  }
  return attribute;
}

function checkStringConstraints(name: string, c: { MinLength?: string; MaxLength?: string }): void {
  const min = c.MinLength === undefined ? undefined : Number(c.MinLength);
  const max = c.MaxLength === undefined ? undefined : Number(c.MaxLength);
  if ((min !== undefined && (min < 0 || min > MAX_STRING_LENGTH)) || (max !== undefined && (max < 0 || max > MAX_STRING_LENGTH))) {
    throw errors.invalidParameter(`user.${name}: String attributes cannot have a length of more than ${MAX_STRING_LENGTH}`);
  }
  if (min !== undefined && max !== undefined && max < min) throw errors.invalidParameter(`user.${name}: Max length cannot be less than min length.`);
}

function checkNumberConstraints(name: string, c: { MinValue?: string; MaxValue?: string }): void {
  const min = c.MinValue === undefined ? undefined : BigInt(c.MinValue);
  const max = c.MaxValue === undefined ? undefined : BigInt(c.MaxValue);
  if (min !== undefined && max !== undefined && max < min) throw errors.invalidParameter(`user.${name}: Max value cannot be less than min value.`);
}

function copy(a: SchemaAttribute): SchemaAttribute {
  return {
    ...a,
    ...(a.StringAttributeConstraints ? { StringAttributeConstraints: { ...a.StringAttributeConstraints } } : {}),
    ...(a.NumberAttributeConstraints ? { NumberAttributeConstraints: { ...a.NumberAttributeConstraints } } : {}),
  };
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
