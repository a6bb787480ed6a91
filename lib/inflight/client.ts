// The inflight Cognito client behind platform/client.w, shared by both backends: AWS SDK v3 calls to
// cognito-idp and cognito-identity (pointed at the local service when `conn.endpoint` is set), and the
// verified caller of a request (lib/id-token.ts).
import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type AuthenticationResultType,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from "@aws-sdk/client-cognito-identity";
import {
  callerOf,
  headerValue,
  loginsKey,
  tokenFromHeader,
  verifyIdToken,
  type Caller,
  type CognitoConnection,
} from "./id-token";

export type { Caller, CognitoConnection };

/** The tokens a successful sign-in returns (platform/backend.w `AuthTokens`). */
export interface AuthTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
}

/** Credentials the local service accepts for its signed (admin) operations. It checks no secret. */
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

interface SdkClients {
  idp: CognitoIdentityProviderClient;
  identity: CognitoIdentityClient;
}

const clients = new Map<string, SdkClients>();

/** SDK clients for `conn`, created once per endpoint and region. */
function sdk(conn: CognitoConnection): SdkClients {
  const key = `${conn.endpoint}|${conn.region}`;
  let found = clients.get(key);
  if (!found) {
    // Against the local service (simulator), the SDK's notice that it will need Node 22 in 2027 would show as an
    // error line in every test; on AWS it is left alone.
    if (conn.endpoint !== "") process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const config =
      conn.endpoint !== ""
        ? { region: conn.region, endpoint: conn.endpoint, credentials: LOCAL_CREDENTIALS }
        : { region: conn.region };
    found = {
      idp: new CognitoIdentityProviderClient(config),
      identity: new CognitoIdentityClient(config),
    };
    clients.set(key, found);
  }
  return found;
}

/** Runs an SDK call and rethrows its failure as `Error("<ExceptionName>: <message>")`. */
async function call<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    const e = err as { name?: string; message?: string };
    const name = e.name && e.name !== "Error" ? e.name : "CognitoError";
    throw new Error(`${name}: ${e.message ?? String(err)}`);
  }
}

/** SignUp with `email` as username and email attribute. */
export async function _signUp(conn: CognitoConnection, email: string, password: string): Promise<void> {
  await call(() =>
    sdk(conn).idp.send(
      new SignUpCommand({
        ClientId: conn.clientId,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: "email", Value: email }],
      }),
    ),
  );
}

/** AdminConfirmSignUp: confirms a user without a code. */
export async function _adminConfirmUser(conn: CognitoConnection, email: string): Promise<void> {
  await call(() => sdk(conn).idp.send(new AdminConfirmSignUpCommand({ UserPoolId: conn.userPoolId, Username: email })));
}

/** InitiateAuth USER_PASSWORD_AUTH; a challenge (MFA, new password) is reported as an error. */
export async function _signIn(conn: CognitoConnection, email: string, password: string): Promise<AuthTokens> {
  const out = await call(() =>
    sdk(conn).idp.send(
      new InitiateAuthCommand({
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: conn.clientId,
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    ),
  );
  const result = out.AuthenticationResult;
  if (!result?.IdToken || !result.AccessToken) {
    const challenge = out.ChallengeName ?? "an unknown challenge";
    throw new Error(`ChallengeRequiredException: sign-in of ${email} needs ${challenge}, which initiateAuth/signIn do not answer`);
  }
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    refreshToken: result.RefreshToken ?? "",
    expiresIn: result.ExpiresIn ?? 3600,
  };
}

/** GetId: the identity of the user whose ID token is `token`, in `identityPoolId`. */
export async function _getId(conn: CognitoConnection, poolId: string, identityPoolId: string, token: string): Promise<string> {
  const out = await call(() =>
    sdk(conn).identity.send(
      new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: { [loginsKey(conn.region, poolId)]: token } }),
    ),
  );
  if (!out.IdentityId) throw new Error("CognitoError: GetId returned no IdentityId");
  return out.IdentityId;
}

/** GetCredentialsForIdentity: temporary credentials, `Expiration` as an ISO date. */
export async function _getCredentialsForIdentity(
  conn: CognitoConnection,
  token: string,
  identityId: string,
): Promise<Record<string, string>> {
  const out = await call(() =>
    sdk(conn).identity.send(
      new GetCredentialsForIdentityCommand({
        IdentityId: identityId,
        Logins: { [loginsKey(conn.region, conn.userPoolId)]: token },
      }),
    ),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretKey) throw new Error("CognitoError: GetCredentialsForIdentity returned no credentials");
  return {
    AccessKeyId: c.AccessKeyId,
    SecretKey: c.SecretKey,
    SessionToken: c.SessionToken ?? "",
    Expiration: c.Expiration ? c.Expiration.toISOString() : "",
  };
}

/** The verified caller of a request with these headers, or undefined (nil in Wing). */
export async function _caller(
  conn: CognitoConnection,
  headers: Readonly<Record<string, string>> | undefined,
): Promise<Caller | undefined> {
  const check = await verifyIdToken(conn, tokenFromHeader(headerValue(headers, conn.headerKey)));
  return check.ok ? callerOf(check.claims) : undefined;
}

/** AdminAddUserToGroup: puts `username` in the pool group `group`. */
export async function _adminAddUserToGroup(conn: CognitoConnection, username: string, group: string): Promise<void> {
  await call(() => sdk(conn).idp.send(new AdminAddUserToGroupCommand({ UserPoolId: conn.userPoolId, Username: username, GroupName: group })));
}

/** One step of a custom-auth sign-in (platform/backend.w `CustomAuthStep`). */
export interface CustomAuthStep {
  readonly session?: string;
  readonly challengeParameters?: Record<string, string>;
  readonly tokens?: AuthTokens;
}

function customStep(out: { ChallengeName?: string; Session?: string; ChallengeParameters?: Record<string, string>; AuthenticationResult?: AuthenticationResultType }): CustomAuthStep {
  const result = out.AuthenticationResult;
  if (result?.IdToken && result.AccessToken) {
    return { tokens: { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken ?? "", expiresIn: result.ExpiresIn ?? 3600 } };
  }
  if (out.ChallengeName !== "CUSTOM_CHALLENGE" || !out.Session) {
    throw new Error(`ChallengeRequiredException: the custom-auth sign-in needs ${out.ChallengeName ?? "an unknown challenge"}, which initiateCustomAuth/respondToCustomChallenge do not answer`);
  }
  return { session: out.Session, challengeParameters: out.ChallengeParameters ?? {} };
}

/** InitiateAuth with CUSTOM_AUTH: the first custom challenge (or tokens, when DefineAuthChallenge issues them at once). */
export async function _initiateCustomAuth(conn: CognitoConnection, username: string): Promise<CustomAuthStep> {
  const out = await call(() =>
    sdk(conn).idp.send(new InitiateAuthCommand({ AuthFlow: "CUSTOM_AUTH", ClientId: conn.clientId, AuthParameters: { USERNAME: username } })),
  );
  return customStep(out);
}

/** RespondToAuthChallenge with CUSTOM_CHALLENGE: the next challenge, or tokens. */
export async function _respondToCustomChallenge(conn: CognitoConnection, username: string, session: string, answer: string): Promise<CustomAuthStep> {
  const out = await call(() =>
    sdk(conn).idp.send(new RespondToAuthChallengeCommand({
      ClientId: conn.clientId, ChallengeName: "CUSTOM_CHALLENGE", Session: session, ChallengeResponses: { USERNAME: username, ANSWER: answer },
    })),
  );
  return customStep(out);
}
