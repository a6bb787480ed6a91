// The hook through which passkeys (WEB_AUTHN) join choice-based sign-in. The WebAuthn side (request options, assertion
// verification, stored credentials) lives with the passkey operations; once they register here, USER_AUTH offers
// WEB_AUTHN to users with a passkey and answers its challenge. Until then no user has a passkey, so it is never offered.
import type { ChallengeSession } from "../challenge-sessions";
import type { ServiceContext } from "../context";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import type { AuthResponse } from "./types";

export interface PasskeySignIn {
  /** How many passkeys `user` has registered (for the relying party the pool uses now). */
  credentialCount(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord): number;
  /** The WEB_AUTHN challenge: ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS, and a session that remembers its challenge. */
  openChallenge(ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, deviceKey: string | undefined): Promise<AuthResponse>;
  /** Verifies ChallengeResponses.CREDENTIAL against the session's challenge; closes the session; returns the user. */
  verifyAnswer(ctx: ServiceContext, pool: UserPoolRecord, session: ChallengeSession, sessionToken: string, responses: Record<string, string>): Promise<UserRecord>;
}

let registered: PasskeySignIn | undefined;

/** Called once by the passkey module: from then on WEB_AUTHN is a first factor. */
export function registerPasskeySignIn(passkeys: PasskeySignIn): void {
  registered = passkeys;
}

export function passkeySignIn(): PasskeySignIn | undefined {
  return registered;
}

/** How many passkeys `user` has (0 while no passkey module is registered). */
export function passkeyCount(ctx: ServiceContext, pool: UserPoolRecord, user: UserRecord): number {
  return registered ? registered.credentialCount(ctx, pool, user) : 0;
}
