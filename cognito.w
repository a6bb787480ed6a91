// The public preflight API of @winglibs/cognito: `Cognito` protects routes of a `cloud.Api` with an
// Amazon Cognito user pool (or identity pool credentials) and picks its backend from WING_TARGET.
bring cloud;
bring util;
bring "./platform/backend.w" as backend;
bring "./platform/sim.w" as sim;
bring "./platform/tfaws.w" as tfaws;

/// How a protected route authenticates its callers.
pub enum AuthenticationType {
  /// Requests are signed with SigV4, using credentials the identity pool issued to a signed-in user.
  /// Unsigned or badly signed requests get 403.
  AWS_IAM,
  /// Requests carry the user's ID token in the auth header (raw or as `Bearer <token>`).
  /// Missing or invalid tokens get 401.
  COGNITO_USER_POOLS,
}

/// Options for `Cognito`.
pub struct CognitoProps extends backend.BackendOptions {
  /// How protected routes authenticate callers. Defaults to `COGNITO_USER_POOLS`.
  authenticationType: AuthenticationType?;
}

/// A Cognito user pool, app client and identity pool that protect routes of a `cloud.Api`.
pub interface ICognito extends backend.ICognitoBackend {}

/// Amazon Cognito in front of a `cloud.Api`.
///
/// In the simulator it runs a real local Cognito service on loopback; on `tf-aws` it deploys a
/// user pool, an app client, an identity pool and an API Gateway authorizer.
pub class Cognito impl ICognito {
  inner: backend.ICognitoBackend;
  /// The user pool id (`<region>_<id>`). In the simulator, the id of the local pool.
  pub userPoolId: str;
  /// The app client id. In the simulator, the id of the local client.
  pub clientId: str;
  /// The identity pool id (`<region>:<uuid>`). In the simulator, the id of the local identity pool.
  pub identityPoolId: str;
  /// The Cognito endpoint that SDKs and the AWS CLI talk to: the local service's URL in the
  /// simulator, `https://cognito-idp.<region>.amazonaws.com` on AWS.
  pub endpoint: str;
  /// The AWS region of the pool.
  pub region: str;

  new(api: cloud.Api, props: CognitoProps?) {
    let authType = props?.authenticationType ?? AuthenticationType.COGNITO_USER_POOLS;
    let iamAuth = authType == AuthenticationType.AWS_IAM;
    let target = util.env("WING_TARGET");
    if target == "sim" {
      let impl = new sim.Cognito_sim(api, iamAuth, props) as "sim";
      this.userPoolId = impl.userPoolId;
      this.clientId = impl.clientId;
      this.identityPoolId = impl.identityPoolId;
      this.endpoint = impl.endpoint;
      this.region = impl.region;
      this.inner = impl;
    } else if target == "tf-aws" {
      let impl = new tfaws.Cognito_tfaws(api, iamAuth, props) as "tf-aws";
      this.userPoolId = impl.userPoolId;
      this.clientId = impl.clientId;
      this.identityPoolId = impl.identityPoolId;
      this.endpoint = impl.endpoint;
      this.region = impl.region;
      this.inner = impl;
    } else {
      throw "@winglibs/cognito does not support the target \"{target}\" (supported: sim, tf-aws)";
    }
    nodeof(this).icon = "lock-closed";
    nodeof(this).color = "emerald";
  }

  /// Protects the GET route at `path`, which must already be registered on the api (the compile fails otherwise).
  pub get(path: str) { this.inner.get(path); }
  /// Protects the POST route at `path`, which must already be registered on the api.
  pub post(path: str) { this.inner.post(path); }
  /// Protects the PUT route at `path`, which must already be registered on the api.
  pub put(path: str) { this.inner.put(path); }
  /// Protects the PATCH route at `path`, which must already be registered on the api.
  pub patch(path: str) { this.inner.patch(path); }
  /// Protects the DELETE route at `path`, which must already be registered on the api.
  pub delete(path: str) { this.inner.delete(path); }
  /// Protects the HEAD route at `path`, which must already be registered on the api.
  pub head(path: str) { this.inner.head(path); }
  /// Always fails the compile: browsers send CORS preflight requests (OPTIONS) without credentials, so a
  /// protected OPTIONS route would refuse every preflight. Kept for compatibility; leave OPTIONS open.
  pub options(path: str) { this.inner.options(path); }
  /// Protects the CONNECT route at `path`, which must already be registered on the api.
  pub connect(path: str) { this.inner.connect(path); }

  /// Registers a user whose username and email are `email` (Cognito SignUp). Throws
  /// `UsernameExistsException: ...` when the user exists and `InvalidPasswordException: ...` when the
  /// password breaks the pool's policy.
  pub inflight signUp(email: str, password: str): void { this.inner.signUp(email, password); }
  /// Confirms a signed-up user without a code (Cognito AdminConfirmSignUp).
  pub inflight adminConfirmUser(email: str): void { this.inner.adminConfirmUser(email); }
  /// Signs in with USER_PASSWORD_AUTH and returns the ID token, ready for `Authorization: Bearer <token>`.
  /// Throws `NotAuthorizedException: Incorrect username or password.` or
  /// `UserNotConfirmedException: User is not confirmed.`.
  pub inflight initiateAuth(email: str, password: str): str { return this.inner.initiateAuth(email, password); }
  /// Signs in with USER_PASSWORD_AUTH and returns the ID, access and refresh tokens.
  pub inflight signIn(email: str, password: str): backend.AuthTokens { return this.inner.signIn(email, password); }
  /// Gets (or creates) the identity-pool identity of the user whose ID token is `token` (Cognito Identity GetId)
  /// and returns its id, `<region>:<uuid>`.
  pub inflight getId(poolId: str, identityPoolId: str, token: str): str { return this.inner.getId(poolId, identityPoolId, token); }
  /// Gets temporary AWS credentials for `identityId` (Cognito Identity GetCredentialsForIdentity):
  /// `{AccessKeyId, SecretKey, SessionToken, Expiration}`, for signing requests to AWS_IAM routes.
  pub inflight getCredentialsForIdentity(token: str, identityId: str): Json { return this.inner.getCredentialsForIdentity(token, identityId); }
  /// The verified caller of `req` (sub, username, email, groups and every claim of its ID token), or nil when
  /// the request carries no valid token of this pool. Works the same on every target.
  pub inflight caller(req: cloud.ApiRequest): backend.Caller? { return this.inner.caller(req); }
}
