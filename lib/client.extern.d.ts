export default interface extern {
  _adminConfirmUser: (conn: CognitoConnection, email: string) => Promise<void>,
  _caller: (conn: CognitoConnection, headers?: (Readonly<Record<string, string>>) | undefined) => Promise<Caller | void>,
  _getCredentialsForIdentity: (conn: CognitoConnection, token: string, identityId: string) => Promise<Readonly<any>>,
  _getId: (conn: CognitoConnection, poolId: string, identityPoolId: string, token: string) => Promise<string>,
  _signIn: (conn: CognitoConnection, email: string, password: string) => Promise<AuthTokens>,
  _signUp: (conn: CognitoConnection, email: string, password: string) => Promise<void>,
}
/** Where a backend's Cognito lives. `endpoint` is empty on AWS (the SDK's default endpoint). */
export interface CognitoConnection {
  /** The app client id (no secret). */
  readonly clientId: string;
  /** The service URL, or "" to use the AWS SDK's default endpoint for `region`. */
  readonly endpoint: string;
  /** The header that carries the ID token on protected routes. */
  readonly headerKey: string;
  /** The identity pool id. */
  readonly identityPoolId: string;
  /** The AWS region of the pools. */
  readonly region: string;
  /** The user pool id. */
  readonly userPoolId: string;
}
/** The verified caller of a protected route, read from its ID token. */
export interface Caller {
  /** Every claim of the verified ID token. */
  readonly claims: Readonly<any>;
  /** The user's email, when the pool has one for the user. */
  readonly email?: (string) | undefined;
  /** The groups the user belongs to (`cognito:groups`), empty when none. */
  readonly groups: (readonly (string)[]);
  /** The user's stable id (a UUID). */
  readonly sub: string;
  /** The user's Cognito username (`cognito:username`). */
  readonly username: string;
}
/** The tokens a successful sign-in returns. */
export interface AuthTokens {
  /** The access token, for the user's own Cognito operations (GetUser, ChangePassword, ...). */
  readonly accessToken: string;
  /** Seconds until the ID and access tokens expire. */
  readonly expiresIn: number;
  /** The ID token: send it as `Authorization: Bearer <idToken>` to a protected route. */
  readonly idToken: string;
  /** The refresh token, opaque, for REFRESH_TOKEN_AUTH. */
  readonly refreshToken: string;
}