// The inflight half shared by both backends: AWS SDK v3 calls to Cognito, pointed at the local
// service in the simulator and at AWS on tf-aws. One code path for both targets.
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
}

/// Inflight Cognito calls for one user pool, client and identity pool.
pub class CognitoClient {
  conn: CognitoConnection;
  new(conn: CognitoConnection) {
    this.conn = conn;
  }

  /// Cognito SignUp with `email` as username and email (see `Cognito.signUp`).
  pub inflight signUp(email: str, password: str): void {
    CognitoClient._signUp(this.conn, email, password);
  }
  /// Cognito AdminConfirmSignUp (see `Cognito.adminConfirmUser`).
  pub inflight adminConfirmUser(email: str): void {
    CognitoClient._adminConfirmUser(this.conn, email);
  }
  /// USER_PASSWORD_AUTH sign-in returning the ID token (see `Cognito.initiateAuth`).
  pub inflight initiateAuth(email: str, password: str): str {
    return CognitoClient._signIn(this.conn, email, password).idToken;
  }
  /// USER_PASSWORD_AUTH sign-in returning all three tokens (see `Cognito.signIn`).
  pub inflight signIn(email: str, password: str): backend.AuthTokens {
    return CognitoClient._signIn(this.conn, email, password);
  }
  /// Cognito Identity GetId (see `Cognito.getId`).
  pub inflight getId(poolId: str, identityPoolId: str, token: str): str {
    return CognitoClient._getId(this.conn, poolId, identityPoolId, token);
  }
  /// Cognito Identity GetCredentialsForIdentity (see `Cognito.getCredentialsForIdentity`).
  pub inflight getCredentialsForIdentity(token: str, identityId: str): Json {
    return CognitoClient._getCredentialsForIdentity(this.conn, token, identityId);
  }
  /// The verified caller of a request, or nil (see `Cognito.caller`).
  pub inflight caller(req: cloud.ApiRequest): backend.Caller? {
    return CognitoClient._caller(this.conn, req.headers);
  }
  /// Cognito AdminAddUserToGroup (see `Cognito.adminAddUserToGroup`).
  pub inflight adminAddUserToGroup(username: str, group: str): void {
    CognitoClient._adminAddUserToGroup(this.conn, username, group);
  }
  /// InitiateAuth with CUSTOM_AUTH (see `Cognito.initiateCustomAuth`).
  pub inflight initiateCustomAuth(username: str): backend.CustomAuthStep {
    return CognitoClient._initiateCustomAuth(this.conn, username);
  }
  /// RespondToAuthChallenge with CUSTOM_CHALLENGE (see `Cognito.respondToCustomChallenge`).
  pub inflight respondToCustomChallenge(username: str, session: str, answer: str): backend.CustomAuthStep {
    return CognitoClient._respondToCustomChallenge(this.conn, username, session, answer);
  }

  extern "../lib/inflight/client.ts" static inflight _signUp(conn: CognitoConnection, email: str, password: str): void;
  extern "../lib/inflight/client.ts" static inflight _adminConfirmUser(conn: CognitoConnection, email: str): void;
  extern "../lib/inflight/client.ts" static inflight _signIn(conn: CognitoConnection, email: str, password: str): backend.AuthTokens;
  extern "../lib/inflight/client.ts" static inflight _getId(conn: CognitoConnection, poolId: str, identityPoolId: str, token: str): str;
  extern "../lib/inflight/client.ts" static inflight _getCredentialsForIdentity(conn: CognitoConnection, token: str, identityId: str): Json;
  extern "../lib/inflight/client.ts" static inflight _caller(conn: CognitoConnection, headers: Map<str>?): backend.Caller?;
  extern "../lib/inflight/client.ts" static inflight _adminAddUserToGroup(conn: CognitoConnection, username: str, group: str): void;
  extern "../lib/inflight/client.ts" static inflight _initiateCustomAuth(conn: CognitoConnection, username: str): backend.CustomAuthStep;
  extern "../lib/inflight/client.ts" static inflight _respondToCustomChallenge(conn: CognitoConnection, username: str, session: str, answer: str): backend.CustomAuthStep;
}
