// Sign-in challenges in progress (PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED, MFA): the opaque `Session` a client echoes
// back, kept in memory for three minutes as Cognito does. A restart simply makes a client start its sign-in again.
// Anyone may open challenges without credentials, so memory is bounded twice: per source (the caller's address) and in
// total. Both limits evict the oldest challenge (of that source, or of all) in O(1): challenges live in insertion-ordered
// maps and all share one lifetime, so the oldest entry is also the first to expire.
import { newOpaqueToken } from "./ids";
import { currentRequestSource } from "./request-source";
import type { PasskeyChallenge } from "./webauthn";

const SESSION_SECONDS = 180;
/** Wrong MFA codes allowed in one sign-in session. */
export const MAX_CHALLENGE_FAILURES = 3;
/** Challenges kept in total: about 2.5 KiB each at most (SRP state), so at most ~50 MiB. */
export const MAX_SESSIONS = 20_000;
/** Challenges kept per source: one caller cannot push everyone else's sign-ins out. */
export const MAX_SESSIONS_PER_SOURCE = 2_000;

export type ChallengeName = "PASSWORD_VERIFIER" | "NEW_PASSWORD_REQUIRED" | "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "SELECT_MFA_TYPE" | "MFA_SETUP" | "EMAIL_OTP" | "DEVICE_SRP_AUTH" | "DEVICE_PASSWORD_VERIFIER" | "CUSTOM_CHALLENGE"
  | "SELECT_CHALLENGE" | "SMS_OTP" | "WEB_AUTHN" | SignUpSessionKind;

/**
 * Sessions that are no challenge: the Session SignUp returns (to pass to ConfirmSignUp) and the one ConfirmSignUp returns
 * (to pass to InitiateAuth USER_AUTH). RespondToAuthChallenge never answers them.
 */
export type SignUpSessionKind = "SIGN_UP_SESSION" | "CONFIRMED_SIGN_UP_SESSION";
export const SIGN_UP_SESSION_KINDS: readonly ChallengeName[] = ["SIGN_UP_SESSION", "CONFIRMED_SIGN_UP_SESSION"];

/** One step of a custom-auth sign-in, as DefineAuthChallenge sees it in `request.session`. */
export interface CustomAuthStep {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata: string | null;
}

/** A custom-auth (CUSTOM_AUTH) sign-in in progress (sign-in/custom.ts). */
export interface CustomAuthState {
  history: CustomAuthStep[];
  /** The username as the client gave it (the user may not exist, with PreventUserExistenceErrors). */
  givenUsername: string;
  userNotFound: boolean;
  /** What CreateAuthChallenge chose for the challenge being answered. */
  privateChallengeParameters?: Record<string, string>;
  challengeMetadata?: string;
  clientMetadata?: Record<string, string>;
}

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
  /** For a PASSWORD_VERIFIER issued to a name no user has (PreventUserExistenceErrors): that name. */
  decoyName?: string;
  /** For MFA_SETUP: the secret AssociateSoftwareToken handed out, and whether VerifySoftwareToken accepted it. */
  pendingTotpSecret?: string;
  totpVerified?: boolean;
  /** For CUSTOM_CHALLENGE, and a PASSWORD_VERIFIER inside a custom-auth sign-in. */
  custom?: CustomAuthState;
  /** For SELECT_CHALLENGE (USER_AUTH): the first factors offered, and the name the client gave. */
  userAuth?: { givenUsername: string; available: string[] };
  /** For an EMAIL_OTP / SMS_OTP first factor (USER_AUTH): the hash of the code this session sent. */
  otpCodeHash?: string;
  /** For a WEB_AUTHN first factor (USER_AUTH): the challenge its CREDENTIAL_REQUEST_OPTIONS carry, to check the answer against. */
  passkey?: PasskeyChallenge;
  /** The tracked device the sign-in is from (DEVICE_KEY), carried to the device challenges and the tokens. */
  deviceKey?: string;
}

interface Stored {
  session: ChallengeSession;
  source: string;
}

export class ChallengeSessions {
  /** token → challenge, oldest first. */
  private readonly sessions = new Map<string, Stored>();
  /** source → its tokens, oldest first. */
  private readonly bySource = new Map<string, Set<string>>();

  constructor(
    private readonly now: () => number,
    private readonly limits = { total: MAX_SESSIONS, perSource: MAX_SESSIONS_PER_SOURCE },
  ) {}

  /** How many challenges are held (expired ones may linger until the next open). */
  get size(): number {
    return this.sessions.size;
  }

  /** Stores a challenge for the current request's source and returns the Session string for it. */
  open(session: Omit<ChallengeSession, "expiresAt">, source = currentRequestSource()): string {
    this.dropExpired();
    let own = this.bySource.get(source);
    if (own && own.size >= this.limits.perSource) this.delete(own.values().next().value!);
    if (this.sessions.size >= this.limits.total) this.delete(this.sessions.keys().next().value!);
    const token = newOpaqueToken(64);
    this.sessions.set(token, { session: { ...session, expiresAt: this.now() + SESSION_SECONDS }, source });
    own = this.bySource.get(source);
    if (!own) this.bySource.set(source, (own = new Set()));
    own.add(token);
    return token;
  }

  /** The live challenge behind `token`, or undefined when unknown or expired. */
  find(token: string | undefined): ChallengeSession | undefined {
    if (!token) return undefined;
    const stored = this.sessions.get(token);
    if (!stored) return undefined;
    if (stored.session.expiresAt <= this.now()) {
      this.delete(token);
      return undefined;
    }
    return stored.session;
  }

  /** Replaces the state behind `token` (e.g. after VerifySoftwareToken in MFA_SETUP); keeps its place and expiry. */
  update(token: string, session: ChallengeSession): void {
    const stored = this.sessions.get(token);
    if (stored) stored.session = { ...session, expiresAt: stored.session.expiresAt };
  }

  /** Records the secret block a PASSWORD_VERIFIER challenge was issued with. */
  setSecretBlock(token: string, secretBlock: string): void {
    const stored = this.sessions.get(token);
    if (stored?.session.srp) stored.session = { ...stored.session, srp: { ...stored.session.srp, secretBlock } };
  }

  /** Ends a challenge: a Session answers once. */
  close(token: string): void {
    this.delete(token);
  }

  private delete(token: string): void {
    const stored = this.sessions.get(token);
    if (!stored) return;
    this.sessions.delete(token);
    const own = this.bySource.get(stored.source);
    own?.delete(token);
    if (own && own.size === 0) this.bySource.delete(stored.source);
  }

  /** Drops expired challenges from the front (every challenge has the same lifetime): amortised O(1). */
  private dropExpired(): void {
    const now = this.now();
    for (const [token, stored] of this.sessions) {
      if (stored.session.expiresAt > now) break;
      this.delete(token);
    }
  }
}
