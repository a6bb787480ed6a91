// Parsing of an operation's JSON body (with bounded nesting) and typed readers for its members: each one throws the AWS
// validation error a real service would.
import { invalidParameter, missingMember, serialization } from "./errors";

/** Deepest nesting of objects and arrays a request may have (Cognito's deepest input shapes need fewer than 10). */
export const MAX_INPUT_DEPTH = 64;

/** A parsed JSON request body. */
export type Input = Record<string, unknown>;

/**
 * Parses a request body as a JSON object. Nesting deeper than MAX_INPUT_DEPTH is refused before parsing: such a value
 * could be parsed but not serialized again (JSON.stringify recurses), so storing it would wedge every later read.
 */
export function parseJsonInput(body: string): Input {
  if (body.trim() === "") return {};
  if (nestingDepth(body) > MAX_INPUT_DEPTH) throw serialization(`Request nesting is deeper than ${MAX_INPUT_DEPTH} levels.`);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw serialization("Start of structure or map found where not expected.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw serialization("Start of structure or map found where not expected.");
  return value as Input;
}

/** The deepest nesting of `[` and `{` outside strings in a JSON text (one pass, no recursion). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** A required string member. */
export function requiredString(input: Input, member: string): string {
  const value = input[member];
  if (value === undefined || value === null) throw missingMember(member);
  if (typeof value !== "string") throw invalidParameter(`${member} must be a string.`);
  return value;
}

/** An optional string member. */
export function optionalString(input: Input, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidParameter(`${member} must be a string.`);
  return value;
}

/** An optional number member. */
export function optionalNumber(input: Input, member: string): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalidParameter(`${member} must be a number.`);
  return value;
}

/** An optional boolean member. */
export function optionalBoolean(input: Input, member: string): boolean | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw invalidParameter(`${member} must be a boolean.`);
  return value;
}

/** An optional list of strings. */
export function optionalStringList(input: Input, member: string): string[] | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw invalidParameter(`${member} must be a list of strings.`);
  return value as string[];
}

/** An optional JSON object member. */
export function optionalObject(input: Input, member: string): Input | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw invalidParameter(`${member} must be an object.`);
  return value as Input;
}

/** An optional map of string to string (AuthParameters, ClientMetadata, ChallengeResponses, Logins). */
export function optionalStringMap(input: Input, member: string): Record<string, string> | undefined {
  const value = optionalObject(input, member);
  if (!value) return undefined;
  for (const v of Object.values(value)) if (typeof v !== "string") throw invalidParameter(`${member} values must be strings.`);
  return value as Record<string, string>;
}

const BOOLEAN_ATTRIBUTES = new Set(["email_verified", "phone_number_verified"]);

/** A `[{Name, Value}]` attribute list, as a name → value map (a null Value deletes). */
export function attributeList(input: Input, member: string): Array<{ name: string; value: string | undefined }> {
  const value = input[member];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidParameter(`${member} must be a list of attributes.`);
  return value.map((entry) => {
    if (!entry || typeof entry !== "object") throw invalidParameter(`${member} must be a list of attributes.`);
    const { Name, Value } = entry as { Name?: unknown; Value?: unknown };
    if (typeof Name !== "string" || Name.length === 0) throw invalidParameter(`${member}: attribute Name is required.`);
    if (Value !== undefined && Value !== null && typeof Value !== "string") throw invalidParameter(`${member}: attribute Value must be a string.`);
    // AWS takes "True"/"FALSE"/... for the Boolean standard attributes and keeps them as "true"/"false".
    const value = typeof Value === "string" && BOOLEAN_ATTRIBUTES.has(Name) && /^(true|false)$/i.test(Value) ? Value.toLowerCase() : Value;
    return { name: Name, value: typeof value === "string" ? value : undefined };
  });
}
