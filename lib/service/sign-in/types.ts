// What every sign-in step returns and how a sign-in ends: the shapes the sign-in modules share (no logic).
import type { UserRecord } from "../model";

/** An InitiateAuth / RespondToAuthChallenge answer: a challenge (ChallengeName, Session, ChallengeParameters) or tokens. */
export type AuthResponse = Record<string, unknown>;

/**
 * What ends a sign-in once every factor checks out. The API operations issue tokens (finishSignIn); the hosted sign-in page
 * (lib/service/oauth/login.ts) passes its own, which hands out an authorization code instead.
 */
export type SignInFinish = (user: UserRecord) => Promise<AuthResponse>;
