// The codes the simulator's Cognito "sent" (sign-up confirmations, password resets, one-time sign-in codes, MFA codes,
// temporary passwords), for tests, the way the Firebase Auth emulator exposes its out-of-band codes: read from the
// local service's loopback-only route GET /_local/codes (lib/service/local-routes.ts). AWS sends real messages, so the
// tf-aws backend has no such helper (platform/tfaws.w throws).
import type { CognitoConnection } from "./id-token";

/** The purposes a code may have (lib/service/model.ts `CodePurpose`). */
export const CODE_PURPOSES = ["SIGN_UP", "FORGOT_PASSWORD", "VERIFY_ATTRIBUTE", "MFA", "ADMIN_CREATE_USER", "SIGN_IN"];

/** One sent code (platform/backend.w `SentCode`). */
export interface SentCode {
  readonly code: string;
  readonly purpose: string;
  readonly username: string;
  readonly destination: string;
  readonly deliveryMedium: string;
  readonly createdAt: number;
  readonly message?: string;
}

/** The codes sent to `name` (a username, email, phone number or sub) in the connection's pool, newest first. */
export async function _sentCodes(conn: CognitoConnection, name: string): Promise<SentCode[]> {
  const query = new URLSearchParams({ userPoolId: conn.userPoolId, username: name });
  const res = await fetch(`${conn.endpoint.replace(/\/$/, "")}/_local/codes?${query}`);
  const body = (await res.json()) as { codes?: SentCode[]; message?: string };
  if (!res.ok) throw new Error(`sentCodes: the local service answered ${res.status}: ${body.message ?? ""}`);
  return (body.codes ?? []).map((c) => ({
    code: c.code, purpose: c.purpose, username: c.username, destination: c.destination, deliveryMedium: c.deliveryMedium, createdAt: c.createdAt,
    ...(c.message !== undefined ? { message: c.message } : {}),
  }));
}

/** The newest code sent to `name` (of `purpose`, when given); throws when there is none. */
export async function _lastCode(conn: CognitoConnection, name: string, purpose: string | undefined): Promise<string> {
  if (purpose !== undefined && !CODE_PURPOSES.includes(purpose)) {
    throw new Error(`lastCode: unknown purpose "${purpose}" (use ${CODE_PURPOSES.join(", ")})`);
  }
  const found = (await _sentCodes(conn, name)).find((c) => purpose === undefined || c.purpose === purpose);
  if (!found) throw new Error(`lastCode: no ${purpose ?? ""}${purpose ? " " : ""}code was sent to ${name}`);
  return found.code;
}
