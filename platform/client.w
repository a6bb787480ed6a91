// The inflight half shared by both backends: AWS SDK v3 calls to Cognito, pointed at the local
// service in the simulator and at AWS on tf-aws, and the verification of a request's ID token. One code
// path for both targets. The two halves live in two classes so that a handler bundles only the half it
// uses: one that only calls `caller` gets the token verifier (node:crypto), not the AWS SDK clients.
bring cloud;
bring "./backend.w" as backend;

/// Where a backend's Cognito lives. `endpoint` is empty on AWS (the SDK's default endpoint).
pub struct CognitoConnection {
  /// The service URL, or "" to use the AWS SDK's default endpoint for `region`.
  endpoint: str;
  /// The AWS region of the pools.
  region: str;
  /// The user pool id.
  userPoolId: str;
  /// The app client id (no secret).
  clientId: str;
  /// The identity pool id.
  identityPoolId: str;
  /// The header that carries the ID token on protected routes.
  headerKey: str;
  /// The DNS suffix of the pools' AWS partition, in token issuers and Cognito hosts. Defaults to `amazonaws.com`.
  dnsSuffix: str?;
}

/// The AWS SDK calls to cognito-idp and cognito-identity (lib/inflight/client.ts).
class CognitoSdkCalls {
  conn: CognitoConnection;
  new(conn: CognitoConnection) {
    this.conn = conn;
  }
  pub inflight signUp(email: str, password: str): void {
    CognitoSdkCalls._signUp(this.conn, email, password);
  }
  pub inflight adminConfirmUser(email: str): void {
    CognitoSdkCalls._adminConfirmUser(this.conn, email);
  }
  pub inflight signIn(email: str, password: str): backend.AuthTokens {
    return CognitoSdkCalls._signIn(this.conn, email, password);
  }
  pub inflight getId(poolId: str, identityPoolId: str, token: str): str {
    return CognitoSdkCalls._getId(this.conn, poolId, identityPoolId, token);
  }
  pub inflight getCredentialsForIdentity(token: str, identityId: str): Json {
    return CognitoSdkCalls._getCredentialsForIdentity(this.conn, token, identityId);
  }
  extern "../lib/inflight/client.ts" static inflight _signUp(conn: CognitoConnection, email: str, password: str): void;
  extern "../lib/inflight/client.ts" static inflight _adminConfirmUser(conn: CognitoConnection, email: str): void;
  extern "../lib/inflight/client.ts" static inflight _signIn(conn: CognitoConnection, email: str, password: str): backend.AuthTokens;
  extern "../lib/inflight/client.ts" static inflight _getId(conn: CognitoConnection, poolId: str, identityPoolId: str, token: str): str;
  extern "../lib/inflight/client.ts" static inflight _getCredentialsForIdentity(conn: CognitoConnection, token: str, identityId: str): Json;
  pub inflight adminAddUserToGroup(username: str, group: str): void {
    CognitoSdkCalls._adminAddUserToGroup(this.conn, username, group);
  }
  pub inflight initiateCustomAuth(username: str): backend.CustomAuthStep {
    return CognitoSdkCalls._initiateCustomAuth(this.conn, username);
  }
  pub inflight respondToCustomChallenge(username: str, session: str, answer: str): backend.CustomAuthStep {
    return CognitoSdkCalls._respondToCustomChallenge(this.conn, username, session, answer);
  }
  pub inflight startSignIn(email: str, method: str?): backend.SignInChallenge {
    return CognitoSdkCalls._startSignIn(this.conn, email, method);
  }
  pub inflight answerSignIn(email: str, challenge: backend.SignInChallenge, code: str): backend.AuthTokens {
    return CognitoSdkCalls._answerSignIn(this.conn, email, challenge, code);
  }
  pub inflight signUpWithoutPassword(email: str): str {
    return CognitoSdkCalls._signUpWithoutPassword(this.conn, email);
  }
  pub inflight confirmSignUp(email: str, code: str): void {
    CognitoSdkCalls._confirmSignUp(this.conn, email, code);
  }
  pub inflight confirmSignUpAndSignIn(email: str, code: str, session: str): backend.AuthTokens {
    return CognitoSdkCalls._confirmSignUpAndSignIn(this.conn, email, code, session);
  }
  extern "../lib/inflight/passwordless.ts" static inflight _startSignIn(conn: CognitoConnection, email: str, method: str?): backend.SignInChallenge;
  extern "../lib/inflight/passwordless.ts" static inflight _answerSignIn(conn: CognitoConnection, email: str, challenge: backend.SignInChallenge, code: str): backend.AuthTokens;
  extern "../lib/inflight/passwordless.ts" static inflight _signUpWithoutPassword(conn: CognitoConnection, email: str): str;
  extern "../lib/inflight/passwordless.ts" static inflight _confirmSignUp(conn: CognitoConnection, email: str, code: str): void;
  extern "../lib/inflight/passwordless.ts" static inflight _confirmSignUpAndSignIn(conn: CognitoConnection, email: str, code: str, session: str): backend.AuthTokens;
  extern "../lib/inflight/client.ts" static inflight _adminAddUserToGroup(conn: CognitoConnection, username: str, group: str): void;
  extern "../lib/inflight/client.ts" static inflight _initiateCustomAuth(conn: CognitoConnection, username: str): backend.CustomAuthStep;
  extern "../lib/inflight/client.ts" static inflight _respondToCustomChallenge(conn: CognitoConnection, username: str, session: str, answer: str): backend.CustomAuthStep;
}

/// The verification of a request's ID token against the pool's JWKS (lib/inflight/caller.ts: node:crypto, no package).
class CallerVerifier {
  conn: CognitoConnection;
  new(conn: CognitoConnection) {
    this.conn = conn;
  }
  pub inflight caller(req: cloud.ApiRequest): backend.Caller? {
    return CallerVerifier._caller(this.conn, req.headers);
  }
  extern "../lib/inflight/caller.ts" static inflight _caller(conn: CognitoConnection, headers: Map<str>?): backend.Caller?;
}

/// Inflight Cognito calls for one user pool, client and identity pool.
pub class CognitoClient {
  sdk: CognitoSdkCalls;
  verifier: CallerVerifier;
  new(conn: CognitoConnection) {
    this.sdk = new CognitoSdkCalls(conn) as "sdk";
    this.verifier = new CallerVerifier(conn) as "verifier";
    nodeof(this.sdk).hidden = true;
    nodeof(this.verifier).hidden = true;
  }

  /// Cognito SignUp with `email` as username and email (see `Cognito.signUp`).
  pub inflight signUp(email: str, password: str): void {
    this.sdk.signUp(email, password);
  }
  /// Cognito AdminConfirmSignUp (see `Cognito.adminConfirmUser`).
  pub inflight adminConfirmUser(email: str): void {
    this.sdk.adminConfirmUser(email);
  }
  /// USER_PASSWORD_AUTH sign-in returning the ID token (see `Cognito.initiateAuth`).
  pub inflight initiateAuth(email: str, password: str): str {
    return this.sdk.signIn(email, password).idToken;
  }
  /// USER_PASSWORD_AUTH sign-in returning all three tokens (see `Cognito.signIn`).
  pub inflight signIn(email: str, password: str): backend.AuthTokens {
    return this.sdk.signIn(email, password);
  }
  /// Cognito Identity GetId (see `Cognito.getId`).
  pub inflight getId(poolId: str, identityPoolId: str, token: str): str {
    return this.sdk.getId(poolId, identityPoolId, token);
  }
  /// Cognito Identity GetCredentialsForIdentity (see `Cognito.getCredentialsForIdentity`).
  pub inflight getCredentialsForIdentity(token: str, identityId: str): Json {
    return this.sdk.getCredentialsForIdentity(token, identityId);
  }
  /// The verified caller of a request, or nil (see `Cognito.caller`). Bundles no AWS SDK client and no JWT library.
  pub inflight caller(req: cloud.ApiRequest): backend.Caller? {
    return this.verifier.caller(req);
  }
  /// Cognito AdminAddUserToGroup (see `Cognito.adminAddUserToGroup`).
  pub inflight adminAddUserToGroup(username: str, group: str): void {
    this.sdk.adminAddUserToGroup(username, group);
  }
  /// InitiateAuth with CUSTOM_AUTH (see `Cognito.initiateCustomAuth`).
  pub inflight initiateCustomAuth(username: str): backend.CustomAuthStep {
    return this.sdk.initiateCustomAuth(username);
  }
  /// RespondToAuthChallenge with CUSTOM_CHALLENGE (see `Cognito.respondToCustomChallenge`).
  pub inflight respondToCustomChallenge(username: str, session: str, answer: str): backend.CustomAuthStep {
    return this.sdk.respondToCustomChallenge(username, session, answer);
  }
  /// InitiateAuth USER_AUTH with a one-time code (see `Cognito.startSignIn`).
  pub inflight startSignIn(email: str, method: str?): backend.SignInChallenge {
    return this.sdk.startSignIn(email, method);
  }
  /// RespondToAuthChallenge EMAIL_OTP / SMS_OTP (see `Cognito.answerSignIn`).
  pub inflight answerSignIn(email: str, challenge: backend.SignInChallenge, code: str): backend.AuthTokens {
    return this.sdk.answerSignIn(email, challenge, code);
  }
  /// SignUp without a password (see `Cognito.signUpWithoutPassword`).
  pub inflight signUpWithoutPassword(email: str): str {
    return this.sdk.signUpWithoutPassword(email);
  }
  /// ConfirmSignUp (see `Cognito.confirmSignUp`).
  pub inflight confirmSignUp(email: str, code: str): void {
    this.sdk.confirmSignUp(email, code);
  }
  /// ConfirmSignUp with SignUp's Session, then InitiateAuth USER_AUTH with its Session (see `Cognito.confirmSignUpAndSignIn`).
  pub inflight confirmSignUpAndSignIn(email: str, code: str, session: str): backend.AuthTokens {
    return this.sdk.confirmSignUpAndSignIn(email, code, session);
  }
}
