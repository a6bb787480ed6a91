// AWS-shaped identifiers: pool ids, client ids and secrets, identity ids, codes and opaque tokens.
import { randomBytes, randomInt, randomUUID } from "node:crypto";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

function randomFrom(alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** `<region>_<9 alphanumerics>`, the only shape aws-jwt-verify accepts. */
export const newUserPoolId = (region: string) => `${region}_${randomFrom(ALNUM, 9)}`;
/** 26 lowercase alphanumerics. */
export const newClientId = () => randomFrom(LOWER_ALNUM, 26);
/** A 51-character client secret. */
export const newClientSecret = () => randomFrom(LOWER_ALNUM, 51);
/** A token session's id as ListUserSessions shows it: `tkn` and 25 lowercase letters and digits (28 characters). */
export const newTokenSessionId = () => "tkn" + randomFrom(LOWER_ALNUM, 25);
/** `<region>:<uuid>`, for identity pools and identities. */
export const newRegionalUuid = (region: string) => `${region}:${randomUUID()}`;
export const newUuid = () => randomUUID();
/** A six-digit one-time code. */
export const newSixDigitCode = () => String(randomInt(0, 1_000_000)).padStart(6, "0");
/** A random opaque token (refresh tokens, sessions), base64url. */
export const newOpaqueToken = (bytes = 96) => randomBytes(bytes).toString("base64url");
/** An access key id as STS issues them for temporary credentials. */
export const newAccessKeyId = () => "ASIA" + randomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
export const newSecretKey = () => randomBytes(30).toString("base64");
export const newKid = () => randomBytes(32).toString("base64");

/** The one account id every ARN and description of the local service carries. */
export const ACCOUNT_ID = "000000000000";

/** The region an AWS id starts with (`us-east-1_abc`, `eu-west-1:uuid`), or undefined when it has none. */
export function regionOfId(id: string): string | undefined {
  const match = /^([a-z]{2}(?:-[a-z]+)+-\d+)[_:]/.exec(id);
  return match ? match[1] : undefined;
}

/** The user pool id's shape, checked before a lookup so that odd input gets the AWS validation error. */
export const USER_POOL_ID_PATTERN = /^[\w-]+_[0-9a-zA-Z]+$/;
