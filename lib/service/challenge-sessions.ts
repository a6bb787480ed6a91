// Sign-in challenges in progress (PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED, MFA): the opaque `Session` a client echoes
// back, kept in memory for three minutes as Cognito does. A restart simply makes a client start its sign-in again.
import { newOpaqueToken } from "./ids";

const SESSION_SECONDS = 180;
/** Wrong MFA codes allowed in one sign-in session. */
export const MAX_CHALLENGE_FAILURES = 3;
const MAX_SESSIONS = 100_000;

export type ChallengeName = "PASSWORD_VERIFIER" | "NEW_PASSWORD_REQUIRED" | "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "SELECT_MFA_TYPE" | "MFA_SETUP" | "EMAIL_OTP" | "DEVICE_SRP_AUTH" | "DEVICE_PASSWORD_VERIFIER";

export interface ChallengeSession {
  challenge: ChallengeName;
  userPoolId: string;
  clientId: string;
  username: string;
  expiresAt: number;
  /** Wrong answers so far (MFA codes); the session ends after a few, as on AWS. */
  failedAttempts?: number;
  /** For PASSWORD_VERIFIER: the server's SRP state. */
  srp?: { srpA: string; serverSecretB: string; srpB: string; secretBlock: string };
  /** For MFA_SETUP: the secret AssociateSoftwareToken handed out, and whether VerifySoftwareToken accepted it. */
  pendingTotpSecret?: string;
  totpVerified?: boolean;
  /** The tracked device the sign-in is from (DEVICE_KEY), carried to the device challenges and the tokens. */
  deviceKey?: string;
}

export class ChallengeSessions {
  private readonly sessions = new Map<string, ChallengeSession>();

  constructor(private readonly now: () => number) {}

  /** Stores a challenge and returns the Session string for it. */
  open(session: Omit<ChallengeSession, "expiresAt">): string {
    if (this.sessions.size >= MAX_SESSIONS) this.evictExpired();
    const token = newOpaqueToken(64);
    this.sessions.set(token, { ...session, expiresAt: this.now() + SESSION_SECONDS });
    return token;
  }

  /** The live challenge behind `token`, or undefined when unknown or expired. */
  find(token: string | undefined): ChallengeSession | undefined {
    if (!token) return undefined;
    const s = this.sessions.get(token);
    if (!s) return undefined;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(token);
      return undefined;
    }
    return s;
  }

  /** Replaces the state behind `token` (e.g. after VerifySoftwareToken in MFA_SETUP). */
  update(token: string, session: ChallengeSession): void {
    this.sessions.set(token, session);
  }

  /** Ends a challenge: a Session answers once. */
  close(token: string): void {
    this.sessions.delete(token);
  }

  private evictExpired(): void {
    const now = this.now();
    for (const [token, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(token);
    if (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
  }
}
