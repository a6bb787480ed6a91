// The string maps a sign-in call carries (AuthParameters, ChallengeResponses), read as AWS reads them.
import * as errors from "../errors";
import { optionalStringMap, type Input } from "../input";

/**
 * AuthParameters / ChallengeResponses as a string map. Null entries are dropped as AWS does: amazon-cognito-identity-js
 * sends `DEVICE_KEY: null` on refresh when its storage (e.g. localStorage) has no device key.
 */
export function parameterMap(input: Input, member: string): Record<string, string> {
  const raw = input[member];
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return optionalStringMap(input, member) ?? {};
  const present = Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([, value]) => value !== null));
  return optionalStringMap({ [member]: present }, member) ?? {};
}

/** A parameter the flow needs: InvalidParameterException `Missing required parameter NAME` when absent or empty. */
export function requiredParameter(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === "") throw errors.invalidParameter(`Missing required parameter ${name}`);
  return value;
}
