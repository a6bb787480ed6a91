// The inflight Cognito client behind platform/client.w, shared by both backends: AWS SDK v3 calls to
// cognito-idp and cognito-identity (pointed at the local service when `conn.endpoint` is set), and the
// verification of ID tokens against the pool's JWKS that both `caller()` and the simulator's route guard use.
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from "@aws-sdk/client-cognito-identity";
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";

/** Where a backend's Cognito lives (platform/client.w `CognitoConnection`). */
export interface CognitoConnection {
  readonly endpoint: string;
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly identityPoolId: string;
  readonly headerKey: string;
}

/** The tokens a successful sign-in returns (platform/backend.w `AuthTokens`). */
export interface AuthTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
}

/** The verified caller of a request (platform/backend.w `Caller`). */
export interface Caller {
  readonly sub: string;
  readonly username: string;
  readonly email?: string;
  readonly groups: string[];
  readonly claims: JWTPayload;
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

/** The key of a user pool in an identity pool's `Logins` map. */
export function loginsKey(region: string, userPoolId: string): string {
  return `cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/** The issuer (`iss`) of the pool's tokens: always the AWS URL, also for the local service. */
export function issuerOf(region: string, userPoolId: string): string {
  return `https://${loginsKey(region, userPoolId)}`;
}

/** Where the pool publishes its signing keys. */
export function jwksUrlOf(conn: Pick<CognitoConnection, "endpoint" | "region" | "userPoolId">): string {
  const base = conn.endpoint !== "" ? conn.endpoint.replace(/\/+$/, "") : `https://cognito-idp.${conn.region}.amazonaws.com`;
  return `${base}/${conn.userPoolId}/.well-known/jwks.json`;
}

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

export async function _adminConfirmUser(conn: CognitoConnection, email: string): Promise<void> {
  await call(() => sdk(conn).idp.send(new AdminConfirmSignUpCommand({ UserPoolId: conn.userPoolId, Username: email })));
}

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

export async function _getId(conn: CognitoConnection, poolId: string, identityPoolId: string, token: string): Promise<string> {
  const out = await call(() =>
    sdk(conn).identity.send(
      new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: { [loginsKey(conn.region, poolId)]: token } }),
    ),
  );
  if (!out.IdentityId) throw new Error("CognitoError: GetId returned no IdentityId");
  return out.IdentityId;
}

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

const jwksByUrl = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** The remote key set at `url`, fetched lazily and cached (with its keys) for the life of the process. */
function keySet(url: string): ReturnType<typeof createRemoteJWKSet> {
  let set = jwksByUrl.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url));
    jwksByUrl.set(url, set);
  }
  return set;
}

/** Why an ID token was refused. `expired` lets a caller answer as API Gateway does. */
export type TokenRejection = "missing" | "expired" | "invalid";

export type TokenCheck = { ok: true; claims: JWTPayload } | { ok: false; reason: TokenRejection };

/** The token in an auth header value: raw, or after a `Bearer ` prefix (any case). */
export function tokenFromHeader(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const token = /^bearer\s+/i.test(trimmed) ? trimmed.replace(/^bearer\s+/i, "") : trimmed;
  return token === "" ? undefined : token;
}

/** The value of header `name` in `headers`, whatever the case of either. */
export function headerValue(headers: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const exact = headers[name];
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}

/**
 * Verifies an ID token of the pool in `conn`: RS256 signature by a key of the pool's JWKS, issuer,
 * audience (the app client), `token_use` "id" and expiry.
 */
export async function verifyIdToken(conn: CognitoConnection, token: string | undefined): Promise<TokenCheck> {
  if (!token) return { ok: false, reason: "missing" };
  try {
    const { payload } = await jwtVerify(token, keySet(jwksUrlOf(conn)), {
      algorithms: ["RS256"],
      issuer: issuerOf(conn.region, conn.userPoolId),
      audience: conn.clientId,
    });
    if (payload.token_use !== "id") return { ok: false, reason: "invalid" };
    return { ok: true, claims: payload };
  } catch (err) {
    return { ok: false, reason: (err as { code?: string }).code === "ERR_JWT_EXPIRED" ? "expired" : "invalid" };
  }
}

/** The caller described by verified ID token claims. */
export function callerOf(claims: JWTPayload): Caller {
  const groups = claims["cognito:groups"];
  const email = claims.email;
  return {
    sub: String(claims.sub ?? ""),
    username: String(claims["cognito:username"] ?? claims.sub ?? ""),
    ...(typeof email === "string" ? { email } : {}),
    groups: Array.isArray(groups) ? groups.map(String) : [],
    claims,
  };
}

export async function _caller(
  conn: CognitoConnection,
  headers: Readonly<Record<string, string>> | undefined,
): Promise<Caller | undefined> {
  const check = await verifyIdToken(conn, tokenFromHeader(headerValue(headers, conn.headerKey)));
  return check.ok ? callerOf(check.claims) : undefined;
}
