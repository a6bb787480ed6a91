// What an unknown user gets when the app client sets PreventUserExistenceErrors = ENABLED: the same shapes, stable from
// call to call, that a real user gets, derived from the service secret and the name (so they cannot be told apart by
// asking twice): an SRP salt and verifier, a USER_ID_FOR_SRP, and a masked code-delivery destination.
import type { ServiceContext } from "./context";
import { maskDestination } from "./context";
import type { AppClientRecord, UserPoolRecord } from "./model";
import { serviceBytes, serviceMac, stableUuid } from "./service-secret";
import { decoyPasswordVerifier, type PasswordVerifier } from "./srp";

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;
const PHONE_PATTERN = /^\+[0-9]{4,15}$/;

/** True when the client hides whether a user exists. */
export function hidesUserExistence(client: AppClientRecord | undefined): boolean {
  return client?.PreventUserExistenceErrors === "ENABLED";
}

const normalized = (pool: UserPoolRecord, name: string) => (pool.caseSensitive ? name : name.toLowerCase());

/** A name that would be an alias (email, phone) rather than a username in this pool. */
function isAliasShaped(pool: UserPoolRecord, name: string): boolean {
  const attributes = [...pool.usernameAttributes, ...pool.aliasAttributes];
  return (attributes.includes("email") && EMAIL_PATTERN.test(name)) || (attributes.includes("phone_number") && PHONE_PATTERN.test(name));
}

/**
 * The USER_ID_FOR_SRP of an unknown name: a stable UUID where a real user's would be its internal username (pools
 * that sign in with email or phone give every user a UUID username, and an alias never is the username); otherwise
 * the name as given, as a real user's username would be echoed.
 */
export function decoyUserId(ctx: ServiceContext, pool: UserPoolRecord, name: string): string {
  if (pool.usernameAttributes.length > 0 || isAliasShaped(pool, name)) return stableUuid(ctx, "user-id", pool.Id, normalized(pool, name));
  return name;
}

/** The stable salt and verifier of an unknown name (no password matches them). */
export function decoyVerifier(ctx: ServiceContext, pool: UserPoolRecord, name: string): PasswordVerifier {
  const key = normalized(pool, name);
  return decoyPasswordVerifier(serviceBytes(ctx, 16, "srp-salt", pool.Id, key), serviceBytes(ctx, 400, "srp-verifier", pool.Id, key));
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/**
 * The CodeDeliveryDetails a code "sent" to an unknown name shows: a name that is itself an email or phone number is
 * masked as a real user's would be; any other name gets a stable, made-up email address, masked the same way.
 */
export function decoyDelivery(ctx: ServiceContext, pool: UserPoolRecord, name: string): { Destination: string; DeliveryMedium: "EMAIL" | "SMS"; AttributeName: string } {
  if (PHONE_PATTERN.test(name)) return { Destination: maskDestination(name, "SMS"), DeliveryMedium: "SMS", AttributeName: "phone_number" };
  let address = name;
  if (!EMAIL_PATTERN.test(name)) {
    const b = serviceMac(ctx, "delivery", pool.Id, normalized(pool, name));
    address = `${LETTERS[b[0]! % 26]}user@${LETTERS[b[1]! % 26]}mail.com`;
  }
  return { Destination: maskDestination(address, "EMAIL"), DeliveryMedium: "EMAIL", AttributeName: "email" };
}
