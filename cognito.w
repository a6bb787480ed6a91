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

/// Options of `onPreTokenGeneration`.
pub struct PreTokenGenerationOptions {
  /// The event version: `V1_0` (`claimsOverrideDetails`, the default) or `V2_0` (`claimsAndScopeOverrideDetails`,
  /// which also changes access token claims and scopes).
  lambdaVersion: str?;
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
  /// The base URL of the user pool domain's OAuth 2.0 endpoints (`/oauth2/authorize`, `/oauth2/token`, `/login`, ...),
  /// when `domainPrefix` is set: `https://<prefix>.auth.<region>.amazoncognito.com` on AWS,
  /// `http://127.0.0.1:<port>/<prefix>` in the simulator.
  pub domainUrl: str?;
  /// The hosted sign-in page for the first callback URL (code flow), when `hostedSignIn` is set: a front end can link
  /// to it (or build its own authorize URL with PKCE from `domainUrl`).
  pub signInUrl: str?;

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
      this.domainUrl = impl.domainUrl;
      this.signInUrl = impl.signInUrl;
      this.inner = impl;
    } else if target == "tf-aws" {
      let impl = new tfaws.Cognito_tfaws(api, iamAuth, props) as "tf-aws";
      this.userPoolId = impl.userPoolId;
      this.clientId = impl.clientId;
      this.identityPoolId = impl.identityPoolId;
      this.endpoint = impl.endpoint;
      this.region = impl.region;
      this.domainUrl = impl.domainUrl;
      this.signInUrl = impl.signInUrl;
      this.inner = impl;
    } else {
      throw "@winglibs/cognito does not support the target \"{target}\" (supported: sim, tf-aws)";
    }
    nodeof(this).icon = "lock-closed";
    nodeof(this).color = "emerald";
  }

  /// Runs `handler` before a user is registered (SignUp, AdminCreateUser). It gets the AWS PreSignUp event as Json
  /// and returns its `response`, e.g. `{ autoConfirmUser: true, autoVerifyEmail: true }`, or nil for no change;
  /// throwing refuses the sign-up (`UserLambdaValidationException: PreSignUp failed with error <message>.`).
  pub onPreSignUp(handler: inflight (Json): Json?) { this.inner.addTrigger("PreSignUp", handler, ""); }
  /// Runs `handler` after a user is confirmed (ConfirmSignUp, AdminConfirmSignUp, ConfirmForgotPassword), e.g. to add
  /// the user to a group or create a profile. Throwing fails the confirmation, which then does not happen.
  pub onPostConfirmation(handler: inflight (Json): Json?) { this.inner.addTrigger("PostConfirmation", handler, ""); }
  /// Runs `handler` when a user starts to sign in; throwing refuses the sign-in.
  pub onPreAuthentication(handler: inflight (Json): Json?) { this.inner.addTrigger("PreAuthentication", handler, ""); }
  /// Runs `handler` after a successful sign-in, before tokens are issued; throwing refuses them.
  pub onPostAuthentication(handler: inflight (Json): Json?) { this.inner.addTrigger("PostAuthentication", handler, ""); }
  /// Runs `handler` before tokens are signed. V1 returns `{ claimsOverrideDetails: { claimsToAddOrOverride,
  /// claimsToSuppress, groupOverrideDetails } }`; V2 returns `{ claimsAndScopeOverrideDetails: ... }`. Added claims
  /// show in `caller(req).claims`.
  pub onPreTokenGeneration(handler: inflight (Json): Json?, options: PreTokenGenerationOptions?) {
    this.inner.addTrigger("PreTokenGeneration", handler, options?.lambdaVersion ?? "V1_0");
  }
  /// Runs `handler` before a code or invitation is sent; its `{ emailSubject, emailMessage, smsMessage }` (each with
  /// the `{####}` code placeholder) is what is delivered.
  pub onCustomMessage(handler: inflight (Json): Json?) { this.inner.addTrigger("CustomMessage", handler, ""); }
  /// Runs `handler` when an unknown user signs in with USER_PASSWORD_AUTH or asks for a password reset; returning
  /// `{ userAttributes, finalUserStatus: "CONFIRMED", messageAction: "SUPPRESS" }` brings the user into the pool.
  pub onUserMigration(handler: inflight (Json): Json?) { this.inner.addTrigger("UserMigration", handler, ""); }
  /// Custom auth: decides the next step from `request.session` and returns `{ challengeName: "CUSTOM_CHALLENGE" }`,
  /// `{ issueTokens: true }` or `{ failAuthentication: true }`. Setting it lets the app client use CUSTOM_AUTH.
  pub onDefineAuthChallenge(handler: inflight (Json): Json?) { this.inner.addTrigger("DefineAuthChallenge", handler, ""); }
  /// Custom auth: creates a challenge (e.g. sends a one-time code) and returns `{ publicChallengeParameters,
  /// privateChallengeParameters, challengeMetadata }`.
  pub onCreateAuthChallenge(handler: inflight (Json): Json?) { this.inner.addTrigger("CreateAuthChallenge", handler, ""); }
  /// Custom auth: checks `request.challengeAnswer` against `request.privateChallengeParameters` and returns
  /// `{ answerCorrect: true }` or `{ answerCorrect: false }`.
  pub onVerifyAuthChallengeResponse(handler: inflight (Json): Json?) { this.inner.addTrigger("VerifyAuthChallengeResponse", handler, ""); }
  /// Runs `handler` as the pool's `trigger` (see the `on...` methods). Part of `ICognito`'s backend contract.
  pub addTrigger(trigger: str, handler: inflight (Json): Json?, lambdaVersion: str) { this.inner.addTrigger(trigger, handler, lambdaVersion); }

  /// Protects the GET route at `path`, which must already be registered on the api (the compile fails otherwise).
  /// With `scopes` (e.g. `auth.get("/orders", scopes: ["orders/read"])`) the route takes access tokens carrying one of
  /// them, as API Gateway's `authorizationScopes` do; an ID token or an access token without them gets 401.
  pub get(path: str, options: backend.RouteOptions?) { this.inner.get(path, options); }
  /// Protects the POST route at `path`, which must already be registered on the api (the compile fails otherwise).
  /// With `scopes` (e.g. `auth.post("/orders", scopes: ["orders/read"])`) the route takes access tokens carrying one of
  /// them, as API Gateway's `authorizationScopes` do; an ID token or an access token without them gets 401.
  pub post(path: str, options: backend.RouteOptions?) { this.inner.post(path, options); }
  /// Protects the PUT route at `path`, which must already be registered on the api (the compile fails otherwise).
  /// With `scopes` (e.g. `auth.put("/orders", scopes: ["orders/read"])`) the route takes access tokens carrying one of
  /// them, as API Gateway's `authorizationScopes` do; an ID token or an access token without them gets 401.
  pub put(path: str, options: backend.RouteOptions?) { this.inner.put(path, options); }
  /// Protects the PATCH route at `path`, which must already be registered on the api (the compile fails otherwise).
  /// With `scopes` (e.g. `auth.patch("/orders", scopes: ["orders/read"])`) the route takes access tokens carrying one of
  /// them, as API Gateway's `authorizationScopes` do; an ID token or an access token without them gets 401.
  pub patch(path: str, options: backend.RouteOptions?) { this.inner.patch(path, options); }
  /// Protects the DELETE route at `path`, which must already be registered on the api (the compile fails otherwise).
  /// With `scopes` (e.g. `auth.delete("/orders", scopes: ["orders/read"])`) the route takes access tokens carrying one of
  /// them, as API Gateway's `authorizationScopes` do; an ID token or an access token without them gets 401.
  pub delete(path: str, options: backend.RouteOptions?) { this.inner.delete(path, options); }
  /// Protects the HEAD route at `path`, which must already be registered on the api (the compile fails otherwise).
  /// With `scopes` (e.g. `auth.head("/orders", scopes: ["orders/read"])`) the route takes access tokens carrying one of
  /// them, as API Gateway's `authorizationScopes` do; an ID token or an access token without them gets 401.
  pub head(path: str, options: backend.RouteOptions?) { this.inner.head(path, options); }
  /// Always fails the compile: browsers send CORS preflight requests (OPTIONS) without credentials, so a
  /// protected OPTIONS route would refuse every preflight. Kept for compatibility; leave OPTIONS open.
  pub options(path: str, options: backend.RouteOptions?) { this.inner.options(path, options); }
  /// Protects the CONNECT route at `path`, which must already be registered on the api (the compile fails otherwise).
  /// With `scopes` (e.g. `auth.connect("/orders", scopes: ["orders/read"])`) the route takes access tokens carrying one of
  /// them, as API Gateway's `authorizationScopes` do; an ID token or an access token without them gets 401.
  pub connect(path: str, options: backend.RouteOptions?) { this.inner.connect(path, options); }

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
  /// Adds the user `username` (a username, or the email in a pool that signs in with it) to the group `group`
  /// (Cognito AdminAddUserToGroup). The group must exist: create it with the `groups` prop.
  pub inflight adminAddUserToGroup(username: str, group: str): void { this.inner.adminAddUserToGroup(username, group); }
  /// Starts a custom-auth (e.g. passwordless) sign-in of `username` with CUSTOM_AUTH: returns the first challenge
  /// (`session`, `challengeParameters`), or `tokens` when DefineAuthChallenge issues them at once.
  pub inflight initiateCustomAuth(username: str): backend.CustomAuthStep { return this.inner.initiateCustomAuth(username); }
  /// Answers the custom challenge of `session` with `answer`: returns the next challenge or the `tokens`. Throws
  /// `NotAuthorizedException: ...` when DefineAuthChallenge fails the sign-in.
  pub inflight respondToCustomChallenge(username: str, session: str, answer: str): backend.CustomAuthStep { return this.inner.respondToCustomChallenge(username, session, answer); }
  /// A `client_credentials` access token of the machine client `name` (declared in `machineClients`) for `scopes`
  /// (default: every scope it may get), from the pool domain's token endpoint. Send it as
  /// `Authorization: Bearer <token>` to a route protected with scopes. Throws `invalid_scope: ...` for a scope the
  /// client may not get.
  pub inflight machineToken(name: str, scopes: Array<str>?): str { return this.inner.machineToken(name, scopes); }
  /// Simulator only (`testIdentityProvider: true`): signs in as `email` through the local test identity provider the
  /// way a browser does (hosted sign-in with `identity_provider=TestIdP`, the IdP's form, `/oauth2/idpresponse`, the
  /// code exchanged with PKCE) and returns the tokens. The first sign-in creates the federated user
  /// `TestIdP_<sub>` (PreSignUp_ExternalProvider runs); an identity linked with AdminLinkProviderForUser signs in as
  /// its user. `user` sets the name, `sub`, `email_verified` and more claims. Throws on tf-aws.
  pub inflight federatedSignIn(email: str, user: backend.FederatedUserOptions?): backend.AuthTokens { return this.inner.federatedSignIn(email, user); }

  /// Starts a one-time-code sign-in of `email` (choice-based sign-in: InitiateAuth `USER_AUTH` with
  /// `PREFERRED_CHALLENGE` `method`, `EMAIL_OTP` (the default) or `SMS_OTP`, which must be among `signInMethods`). The
  /// code is sent to the user's verified email or phone; answer with `answerSignIn`. Throws
  /// `ChallengeRequiredException: ...` when Cognito offers another challenge (the method is not allowed, or the user
  /// has no verified address for it).
  pub inflight startSignIn(email: str, method: str?): backend.SignInChallenge { return this.inner.startSignIn(email, method); }
  /// Answers the one-time-code sign-in `challenge` with the `code` that was sent (RespondToAuthChallenge `EMAIL_OTP` or
  /// `SMS_OTP`) and returns the tokens. Throws `CodeMismatchException: ...` for a wrong code (three end the sign-in).
  pub inflight answerSignIn(email: str, challenge: backend.SignInChallenge, code: str): backend.AuthTokens { return this.inner.answerSignIn(email, challenge, code); }
  /// Registers `email` (username and email attribute) without a password (Cognito SignUp; `EMAIL_OTP` must be among
  /// `signInMethods`) and returns SignUp's `Session`. The confirmation code is sent; finish with
  /// `confirmSignUpAndSignIn` (or `confirmSignUp`).
  pub inflight signUpWithoutPassword(email: str): str { return this.inner.signUpWithoutPassword(email); }
  /// Confirms the sign-up of `email` with the `code` that was sent (Cognito ConfirmSignUp). Throws
  /// `CodeMismatchException: ...` or `ExpiredCodeException: ...`.
  pub inflight confirmSignUp(email: str, code: str): void { this.inner.confirmSignUp(email, code); }
  /// Confirms the sign-up of `email` with its `code` and SignUp's `session` (from `signUpWithoutPassword`), then signs
  /// the new user in with ConfirmSignUp's `Session` (InitiateAuth `USER_AUTH`), without a second code, and returns
  /// the tokens. That session signs in once, within its lifetime.
  pub inflight confirmSignUpAndSignIn(email: str, code: str, session: str): backend.AuthTokens { return this.inner.confirmSignUpAndSignIn(email, code, session); }
  /// Simulator only: the codes the local Cognito "sent" to `email` (a username, email, phone number or sub), newest
  /// first: sign-up confirmations, password resets, attribute verifications, MFA and one-time sign-in codes, temporary
  /// passwords. Like the Firebase Auth emulator's out-of-band codes, for tests. Throws on tf-aws, where AWS sends real
  /// messages.
  pub inflight sentCodes(email: str): Array<backend.SentCode> { return this.inner.sentCodes(email); }
  /// Simulator only: the newest code sent to `email`, of `purpose` when given (`SIGN_UP`, `FORGOT_PASSWORD`,
  /// `VERIFY_ATTRIBUTE`, `MFA`, `ADMIN_CREATE_USER`, `SIGN_IN`). Throws when none was sent, and on tf-aws.
  pub inflight lastCode(email: str, purpose: str?): str { return this.inner.lastCode(email, purpose); }
}
