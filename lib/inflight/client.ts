// The inflight Cognito calls behind platform/client.w, shared by both backends: cognito-idp and cognito-identity
// operations, made with the AWS SDK v3 against AWS, and with Cognito's JSON protocol over fetch (./local-client.ts)
// against the local service when `conn.endpoint` is set. The verified caller of a request lives in ./caller.ts.
//
// The two SDK client packages are loaded at their first use on AWS, by a name the bundler does not follow: Wing lifts
// every field of a lifted object, so any handler that uses `auth` (even one that only calls `auth.caller`) would
// otherwise carry 2.3 MB of SDK in its bundle. At run time they resolve from the Node.js runtime's AWS SDK v3 on AWS
// Lambda (as Wing does for its own credential providers). test/tfaws-bundle.test.ts measures both bundles.
import type * as CognitoIdpSdk from "@aws-sdk/client-cognito-identity-provider";
import type * as CognitoIdentitySdk from "@aws-sdk/client-cognito-identity";
import { loginsKey, type Caller, type CognitoConnection } from "./id-token";
import { callLocal } from "./local-client";

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

interface SdkClients {
  idp: CognitoIdpSdk.CognitoIdentityProviderClient;
  identity: CognitoIdentitySdk.CognitoIdentityClient;
}

const clients = new Map<string, SdkClients>();

/** SDK clients for AWS in `conn.region`, created once per region. */
function sdk(conn: CognitoConnection): SdkClients {
  let found = clients.get(conn.region);
  if (!found) {
    const config = { region: conn.region };
    found = {
      idp: new (idpPackage().CognitoIdentityProviderClient)(config),
      identity: new (identityPackage().CognitoIdentityClient)(config),
    };
    clients.set(conn.region, found);
  }
  return found;
}

/** The cognito-idp operations this module calls: input and output types. */
interface IdpOperations {
  SignUp: [CognitoIdpSdk.SignUpCommandInput, CognitoIdpSdk.SignUpCommandOutput];
  AdminConfirmSignUp: [CognitoIdpSdk.AdminConfirmSignUpCommandInput, CognitoIdpSdk.AdminConfirmSignUpCommandOutput];
  InitiateAuth: [CognitoIdpSdk.InitiateAuthCommandInput, CognitoIdpSdk.InitiateAuthCommandOutput];
  RespondToAuthChallenge: [CognitoIdpSdk.RespondToAuthChallengeCommandInput, CognitoIdpSdk.RespondToAuthChallengeCommandOutput];
  AdminAddUserToGroup: [CognitoIdpSdk.AdminAddUserToGroupCommandInput, CognitoIdpSdk.AdminAddUserToGroupCommandOutput];
  ConfirmSignUp: [CognitoIdpSdk.ConfirmSignUpCommandInput, CognitoIdpSdk.ConfirmSignUpCommandOutput];
}

/** The cognito-identity operations this module calls. */
interface IdentityOperations {
  GetId: [CognitoIdentitySdk.GetIdCommandInput, CognitoIdentitySdk.GetIdCommandOutput];
  GetCredentialsForIdentity: [CognitoIdentitySdk.GetCredentialsForIdentityCommandInput, CognitoIdentitySdk.GetCredentialsForIdentityCommandOutput];
}

/** A constructor of the SDK command named `name` in `pkg`. */
function commandOf(pkg: object, name: string): new (input: object) => never {
  return (pkg as Record<string, new (input: object) => never>)[`${name}Command`]!;
}

/** A cognito-idp call: JSON over fetch against the local service, the AWS SDK against AWS. */
export async function idpCall<K extends keyof IdpOperations>(conn: CognitoConnection, operation: K, input: IdpOperations[K][0]): Promise<IdpOperations[K][1]> {
  if (conn.endpoint !== "") return callLocal(conn.endpoint, conn.region, "cognito-idp", operation, input);
  return (await sdk(conn).idp.send(new (commandOf(idpPackage(), operation))(input))) as IdpOperations[K][1];
}

/** A cognito-identity call, as `idpCall`. */
async function identityCall<K extends keyof IdentityOperations>(
  conn: CognitoConnection, operation: K, input: IdentityOperations[K][0],
): Promise<IdentityOperations[K][1]> {
  if (conn.endpoint !== "") return callLocal(conn.endpoint, conn.region, "cognito-identity", operation, input);
  return (await sdk(conn).identity.send(new (commandOf(identityPackage(), operation))(input))) as IdentityOperations[K][1];
}

/** Credentials' `Expiration` as an ISO date: a Date from the SDK, epoch seconds from the JSON protocol. */
function expirationOf(expiration: Date | number | undefined): string {
  if (expiration === undefined) return "";
  return (typeof expiration === "number" ? new Date(expiration * 1000) : expiration).toISOString();
}

/** Runs an SDK call and rethrows its failure as `Error("<ExceptionName>: <message>")`. */
export async function call<T>(operation: () => Promise<T>): Promise<T> {
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
    idpCall(conn, "SignUp", {
      ClientId: conn.clientId,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: "email", Value: email }],
    }),
  );
}

/** AdminConfirmSignUp: confirms a user without a code. */
export async function _adminConfirmUser(conn: CognitoConnection, email: string): Promise<void> {
  await call(() => idpCall(conn, "AdminConfirmSignUp", { UserPoolId: conn.userPoolId, Username: email }));
}

/** The tokens of an AuthenticationResult, or undefined when it holds none (a challenge came instead). */
export function tokensOf(result: CognitoIdpSdk.AuthenticationResultType | undefined): AuthTokens | undefined {
  if (!result?.IdToken || !result.AccessToken) return undefined;
  return { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken ?? "", expiresIn: result.ExpiresIn ?? 3600 };
}

/** InitiateAuth USER_PASSWORD_AUTH; a challenge (MFA, new password) is reported as an error. */
export async function _signIn(conn: CognitoConnection, email: string, password: string): Promise<AuthTokens> {
  const out = await call(() =>
    idpCall(conn, "InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: conn.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const tokens = tokensOf(out.AuthenticationResult);
  if (!tokens) {
    const challenge = out.ChallengeName ?? "an unknown challenge";
    throw new Error(`ChallengeRequiredException: sign-in of ${email} needs ${challenge}, which initiateAuth/signIn do not answer`);
  }
  return tokens;
}

/** GetId: the identity of the user whose ID token is `token`, in `identityPoolId`. */
export async function _getId(conn: CognitoConnection, poolId: string, identityPoolId: string, token: string): Promise<string> {
  const out = await call(() =>
    identityCall(conn, "GetId", { IdentityPoolId: identityPoolId, Logins: { [loginsKey(conn.region, poolId, conn.dnsSuffix)]: token } }),
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
    identityCall(conn, "GetCredentialsForIdentity", {
      IdentityId: identityId,
      Logins: { [loginsKey(conn.region, conn.userPoolId, conn.dnsSuffix)]: token },
    }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretKey) throw new Error("CognitoError: GetCredentialsForIdentity returned no credentials");
  return {
    AccessKeyId: c.AccessKeyId,
    SecretKey: c.SecretKey,
    SessionToken: c.SessionToken ?? "",
    Expiration: expirationOf(c.Expiration),
  };
}

/** AdminAddUserToGroup: puts `username` in the pool group `group`. */
export async function _adminAddUserToGroup(conn: CognitoConnection, username: string, group: string): Promise<void> {
  await call(() => idpCall(conn, "AdminAddUserToGroup", { UserPoolId: conn.userPoolId, Username: username, GroupName: group }));
}

/** One step of a custom-auth sign-in (platform/backend.w `CustomAuthStep`). */
export interface CustomAuthStep {
  readonly session?: string;
  readonly challengeParameters?: Record<string, string>;
  readonly tokens?: AuthTokens;
}

function customStep(out: CognitoIdpSdk.InitiateAuthCommandOutput | CognitoIdpSdk.RespondToAuthChallengeCommandOutput): CustomAuthStep {
  const tokens = tokensOf(out.AuthenticationResult);
  if (tokens) return { tokens };
  if (out.ChallengeName !== "CUSTOM_CHALLENGE" || !out.Session) {
    throw new Error(`ChallengeRequiredException: the custom-auth sign-in needs ${out.ChallengeName ?? "an unknown challenge"}, which initiateCustomAuth/respondToCustomChallenge do not answer`);
  }
  return { session: out.Session, challengeParameters: out.ChallengeParameters ?? {} };
}

/** InitiateAuth with CUSTOM_AUTH: the first custom challenge (or tokens, when DefineAuthChallenge issues them at once). */
export async function _initiateCustomAuth(conn: CognitoConnection, username: string): Promise<CustomAuthStep> {
  const out = await call(() =>
    idpCall(conn, "InitiateAuth", { AuthFlow: "CUSTOM_AUTH", ClientId: conn.clientId, AuthParameters: { USERNAME: username } }),
  );
  return customStep(out);
}

/** RespondToAuthChallenge with CUSTOM_CHALLENGE: the next challenge, or tokens. */
export async function _respondToCustomChallenge(conn: CognitoConnection, username: string, session: string, answer: string): Promise<CustomAuthStep> {
  const out = await call(() =>
    idpCall(conn, "RespondToAuthChallenge", {
      ClientId: conn.clientId, ChallengeName: "CUSTOM_CHALLENGE", Session: session, ChallengeResponses: { USERNAME: username, ANSWER: answer },
    }),
  );
  return customStep(out);
}
