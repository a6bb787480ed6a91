// Passkeys (WEB_AUTHN) as a first factor of choice-based sign-in (USER_AUTH): the challenge whose
// CREDENTIAL_REQUEST_OPTIONS carry the user's passkeys for the pool's relying party id, and its answer
// (ChallengeResponses { USERNAME, CREDENTIAL }), checked by ../webauthn.ts with @simplewebauthn/server. The challenge
// lives in the session: it answers once, and a passkey deleted meanwhile no longer answers it.
import type { ChallengeSession } from "../challenge-sessions";
import type { ServiceContext } from "../context";
import * as errors from "../errors";
import type { AppClientRecord, UserPoolRecord, UserRecord } from "../model";
import { checkNotLockedOut, recordSuccessfulSignIn } from "../sign-in-failures";
import { passkeyRequestOptions, verifyPasskeyAnswer } from "../webauthn";
import { wrongCode } from "./mfa";
import { requiredParameter } from "./parameters";
import type { AuthResponse } from "./types";

/** How many passkeys can sign the user in now (WEB_AUTHN is offered when there is one). */
export { passkeyCount } from "../webauthn";

const expiredSession = () => errors.notAuthorized("Invalid session for the user, session is expired.");

/** Opens the WEB_AUTHN challenge for `user` (who has a passkey); `deviceKey` rides along to the tokens. */
export async function openPasskeyChallenge(
  ctx: ServiceContext, pool: UserPoolRecord, client: AppClientRecord, user: UserRecord, deviceKey: string | undefined,
): Promise<AuthResponse> {
  const { credentialRequestOptions, expected } = await passkeyRequestOptions(ctx, pool, user);
  const session = ctx.challenges.open({
    challenge: "WEB_AUTHN",
    userPoolId: pool.Id,
    clientId: client.ClientId,
    username: user.username,
    passkey: expected,
    ...(deviceKey ? { deviceKey } : {}),
  });
  return { ChallengeName: "WEB_AUTHN", Session: session, ChallengeParameters: { CREDENTIAL_REQUEST_OPTIONS: credentialRequestOptions } };
}

/**
 * Checks the answer to a WEB_AUTHN challenge and returns the user it proves; the challenge is closed. A malformed
 * CREDENTIAL is refused (InvalidParameterException) and changes nothing; an assertion that does not verify counts
 * against the session (three end it) and the user's lockout, as a wrong code does.
 */
export async function answerPasskeyChallenge(
  ctx: ServiceContext, pool: UserPoolRecord, session: ChallengeSession, sessionToken: string, responses: Record<string, string>,
): Promise<UserRecord> {
  const expected = session.passkey;
  const user = ctx.state.userByUsername(pool, session.username);
  if (!expected || !user || ctx.state.findUser(pool, responses.USERNAME)?.username !== user.username) throw expiredSession();
  const credential = requiredParameter(responses, "CREDENTIAL");
  const subject = { pool, user };
  checkNotLockedOut(ctx, subject);
  try {
    await verifyPasskeyAnswer(ctx, pool, user, expected, credential);
  } catch (e) {
    if (e instanceof errors.CognitoError && e.type === "NotAuthorizedException") throw wrongCode(ctx, subject, session, sessionToken, e);
    throw e;
  }
  ctx.challenges.close(sessionToken);
  if (!user.enabled) throw errors.notAuthorized("User is disabled.");
  recordSuccessfulSignIn(ctx, subject);
  return user;
}
