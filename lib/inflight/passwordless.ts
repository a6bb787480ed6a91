// Passwordless sign-in and sign-up for both backends (platform/client.w `CognitoSdkCalls`): a one-time-code sign-in
// with choice-based authentication (InitiateAuth USER_AUTH with PREFERRED_CHALLENGE EMAIL_OTP or SMS_OTP, then
// RespondToAuthChallenge with the code), and a sign-up without a password whose confirmation signs the user in (SignUp's
// Session to ConfirmSignUp, ConfirmSignUp's Session to InitiateAuth USER_AUTH: no second code). The calls go through
// ./client.ts, so they reach the local service in the simulator and AWS on tf-aws.
import { call, idpCall, tokensOf, type AuthTokens } from "./client";
import type { CognitoConnection } from "./id-token";

/** The one-time-code methods `startSignIn` starts. */
const OTP_METHODS = ["EMAIL_OTP", "SMS_OTP"];

/** A one-time-code sign-in waiting for its code (platform/backend.w `SignInChallenge`). */
export interface SignInChallenge {
  readonly session: string;
  readonly challengeName: string;
  readonly destination: string;
  readonly deliveryMedium: string;
}

/** InitiateAuth USER_AUTH preferring `method` (EMAIL_OTP by default): the code is sent, the challenge returned. */
export async function _startSignIn(conn: CognitoConnection, email: string, method: string | undefined): Promise<SignInChallenge> {
  const preferred = method ?? "EMAIL_OTP";
  if (!OTP_METHODS.includes(preferred)) {
    throw new Error(`InvalidParameterException: startSignIn starts a one-time-code sign-in: method must be EMAIL_OTP or SMS_OTP (got "${preferred}"); sign in with a password with signIn(email, password)`);
  }
  const out = await call(() =>
    idpCall(conn, "InitiateAuth", { AuthFlow: "USER_AUTH", ClientId: conn.clientId, AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: preferred } }),
  );
  if (out.ChallengeName !== preferred || !out.Session) {
    const offered = out.AvailableChallenges?.length ? ` (this user may use ${out.AvailableChallenges.join(", ")})` : "";
    throw new Error(`ChallengeRequiredException: the sign-in of ${email} answered ${out.ChallengeName ?? "tokens"} instead of ${preferred}${offered}: is ${preferred} among signInMethods, and is the user's ${preferred === "EMAIL_OTP" ? "email" : "phone number"} verified?`);
  }
  const parameters = out.ChallengeParameters ?? {};
  return {
    session: out.Session,
    challengeName: preferred,
    destination: parameters.CODE_DELIVERY_DESTINATION ?? "",
    deliveryMedium: parameters.CODE_DELIVERY_DELIVERY_MEDIUM ?? (preferred === "EMAIL_OTP" ? "EMAIL" : "SMS"),
  };
}

/** RespondToAuthChallenge EMAIL_OTP / SMS_OTP with `code`: the tokens. */
export async function _answerSignIn(conn: CognitoConnection, email: string, challenge: SignInChallenge, code: string): Promise<AuthTokens> {
  const challengeName = challenge.challengeName === "SMS_OTP" ? "SMS_OTP" : "EMAIL_OTP";
  const codeKey = `${challengeName}_CODE`;
  const out = await call(() =>
    idpCall(conn, "RespondToAuthChallenge", {
      ClientId: conn.clientId, ChallengeName: challengeName, Session: challenge.session, ChallengeResponses: { USERNAME: email, [codeKey]: code },
    }),
  );
  const tokens = tokensOf(out.AuthenticationResult);
  if (!tokens) throw new Error(`ChallengeRequiredException: the sign-in of ${email} needs ${out.ChallengeName ?? "an unknown challenge"}, which answerSignIn does not answer`);
  return tokens;
}

/** SignUp without a password, `email` as username and email attribute: SignUp's Session. */
export async function _signUpWithoutPassword(conn: CognitoConnection, email: string): Promise<string> {
  const out = await call(() => idpCall(conn, "SignUp", { ClientId: conn.clientId, Username: email, UserAttributes: [{ Name: "email", Value: email }] }));
  if (!out.Session) throw new Error("CognitoError: SignUp without a password returned no Session");
  return out.Session;
}

/** ConfirmSignUp with the code. */
export async function _confirmSignUp(conn: CognitoConnection, email: string, code: string): Promise<void> {
  await call(() => idpCall(conn, "ConfirmSignUp", { ClientId: conn.clientId, Username: email, ConfirmationCode: code }));
}

/** ConfirmSignUp with SignUp's Session, then InitiateAuth USER_AUTH with ConfirmSignUp's Session: the tokens. */
export async function _confirmSignUpAndSignIn(conn: CognitoConnection, email: string, code: string, session: string): Promise<AuthTokens> {
  const confirmed = await call(() => idpCall(conn, "ConfirmSignUp", { ClientId: conn.clientId, Username: email, ConfirmationCode: code, Session: session }));
  if (!confirmed.Session) throw new Error("CognitoError: ConfirmSignUp returned no Session to sign in with");
  const out = await call(() =>
    idpCall(conn, "InitiateAuth", { AuthFlow: "USER_AUTH", ClientId: conn.clientId, Session: confirmed.Session, AuthParameters: { USERNAME: email } }),
  );
  const tokens = tokensOf(out.AuthenticationResult);
  if (!tokens) throw new Error(`ChallengeRequiredException: the first sign-in of ${email} needs ${out.ChallengeName ?? "an unknown challenge"}, which confirmSignUpAndSignIn does not answer`);
  return tokens;
}
