// The inflight Cognito SDK calls behind platform/client.w, shared by both backends: AWS SDK v3 calls to
// cognito-idp and cognito-identity (pointed at the local service when `conn.endpoint` is set). The verified
// caller of a request lives in ./caller.ts.
//
// The two SDK client packages are loaded at their first use, by a name the bundler does not follow: Wing lifts
// every field of a lifted object, so any handler that uses `auth` (even one that only calls `auth.caller`) would
// otherwise carry 2.3 MB of SDK in its bundle. At run time they resolve like any package: from the app's
// node_modules (peer dependencies) in the simulator, from the Node.js runtime's AWS SDK v3 on AWS Lambda (as Wing
// does for its own credential providers). test/tfaws-bundle.test.ts measures both bundles.
import type * as CognitoIdpSdk from "@aws-sdk/client-cognito-identity-provider";
import type * as CognitoIdentitySdk from "@aws-sdk/client-cognito-identity";
import { loginsKey, type Caller, type CognitoConnection } from "./id-token";

/** The AWS SDK packages this module calls, loaded at run time (see the header). */
export const SDK_PACKAGES = ["@aws-sdk/client-cognito-identity-provider", "@aws-sdk/client-cognito-identity"] as const;

/** Loads a package by a name that is not a literal, so that bundlers leave the require to run time. */
function loadPackage<T>(name: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(name) as T;
}

let idpSdk: typeof CognitoIdpSdk | undefined;
let identitySdk: typeof CognitoIdentitySdk | undefined;

function idpPackage(): typeof CognitoIdpSdk {
  return (idpSdk ??= loadPackage<typeof CognitoIdpSdk>(SDK_PACKAGES[0]));
}

function identityPackage(): typeof CognitoIdentitySdk {
  return (identitySdk ??= loadPackage<typeof CognitoIdentitySdk>(SDK_PACKAGES[1]));
}

export type { Caller, CognitoConnection };
/** Re-exported for callers that knew it here; handlers bundle it from ./caller.ts. */
export { _caller } from "./caller";

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
  idp: CognitoIdpSdk.CognitoIdentityProviderClient;
  identity: CognitoIdentitySdk.CognitoIdentityClient;
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
      idp: new (idpPackage().CognitoIdentityProviderClient)(config),
      identity: new (identityPackage().CognitoIdentityClient)(config),
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
      new (idpPackage().SignUpCommand)({
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
  await call(() => sdk(conn).idp.send(new (idpPackage().AdminConfirmSignUpCommand)({ UserPoolId: conn.userPoolId, Username: email })));
}

/** InitiateAuth USER_PASSWORD_AUTH; a challenge (MFA, new password) is reported as an error. */
export async function _signIn(conn: CognitoConnection, email: string, password: string): Promise<AuthTokens> {
  const out = await call(() =>
    sdk(conn).idp.send(
      new (idpPackage().InitiateAuthCommand)({
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
      new (identityPackage().GetIdCommand)({ IdentityPoolId: identityPoolId, Logins: { [loginsKey(conn.region, poolId, conn.dnsSuffix)]: token } }),
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
      new (identityPackage().GetCredentialsForIdentityCommand)({
        IdentityId: identityId,
        Logins: { [loginsKey(conn.region, conn.userPoolId, conn.dnsSuffix)]: token },
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
