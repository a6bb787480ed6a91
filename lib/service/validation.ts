// AWS's model-validation errors ("1 validation error detected: ...") for members that break a constraint of the
// service model: an enum, a pattern, a length or a range. Operations name the member as AWS does (camelCase path).
import * as errors from "./errors";

/** The InvalidParameterException AWS returns when `value` at `member` breaks `constraint`. */
export function constraintError(value: unknown, member: string, constraint: string): errors.CognitoError {
  return errors.invalidParameter(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`);
}

/** `value` when it is one of `allowed`, else AWS's enum validation error. */
export function enumMember<T extends string>(value: unknown, allowed: readonly T[], member: string): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw constraintError(value, member, `Member must satisfy enum value set: [${allowed.join(", ")}]`);
  }
  return value as T;
}

/** Checks a string member's length and pattern, as the service model states them. */
export function checkString(value: string, member: string, min: number, max: number, pattern?: RegExp): void {
  if (value.length < min) throw constraintError(value, member, `Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw constraintError(value, member, `Member must have length less than or equal to ${max}`);
  if (pattern && !pattern.test(value)) throw constraintError(value, member, `Member must satisfy regular expression pattern: ${pattern.source}`);
}

/** A member path as AWS's validation messages spell it: each segment with a lower-case first letter. */
export function memberPath(...segments: string[]): string {
  return segments.map((s) => s.charAt(0).toLowerCase() + s.slice(1)).join(".");
}
