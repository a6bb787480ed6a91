// The contract every Cognito backend implements, and the shapes its inflight API returns.
// It lives under platform/ so that both backends and cognito.w can bring it without a cycle.
bring cloud;

/// Options of a protected route.
pub struct RouteOptions {
  /// OAuth scopes, any one of which the caller's access token must carry (API Gateway's
  /// `authorizationScopes`), e.g. `["orders/read"]`. With scopes the route takes access tokens only;
  /// without, it takes ID tokens as before.
  scopes: Array<str>?;
}

/// Hosted sign-in (Cognito's managed login pages) for the library's app client.
pub struct HostedSignInOptions {
  /// Where the hosted page may send the browser back to (exact URLs; https, or http only for localhost).
  callbackUrls: Array<str>;
  /// Where sign-out may send the browser (exact URLs).
  logoutUrls: Array<str>?;
  /// The OAuth flows: `code` (authorization code, with or without PKCE) and/or `implicit`. Defaults to `["code"]`.
  flows: Array<str>?;
  /// The scopes the client may request, e.g. `["openid", "email", "orders/read"]`. Defaults to `["openid", "email", "profile"]`.
  scopes: Array<str>?;
}

/// An OAuth 2.0 resource server: an API whose custom scopes are `<identifier>/<scope>`.
pub struct ResourceServerOptions {
  /// The identifier, e.g. `orders` (scopes become `orders/read`, ...).
  identifier: str;
  /// A friendly name. Defaults to the identifier.
  name: str?;
  /// The scope names, e.g. `["read", "write"]`.
  scopes: Array<str>;
}

/// A machine (service-to-service) app client: it has a secret and gets `client_credentials` tokens.
pub struct MachineClientOptions {
  /// The name the inflight `machineToken(name)` uses.
  name: str;
  /// The custom scopes it may get, e.g. `["orders/read"]`.
  scopes: Array<str>;
}

/// How the user pool sends its emails (codes, invitations) through Amazon SES instead of Cognito's built-in
/// sender, which allows only 50 emails a day per AWS account. Used on tf-aws; the simulator accepts it and
/// keeps showing codes locally.
pub struct EmailOptions {
  /// The ARN of an SES identity (a verified address or domain) that the pool sends from,
  /// `arn:aws:ses:<region>:<account>:identity/<address or domain>`.
  sesSourceArn: str;
  /// The sender, `no-reply@example.com` or `Example <no-reply@example.com>`. Defaults to the identity's address.
  from: str?;
  /// The Reply-To address. Defaults to none.
  replyTo: str?;
  /// The name of an SES configuration set applied to every email. Defaults to none.
  configurationSet: str?;
}

/// An external identity provider of the user pool (Cognito CreateIdentityProvider). Its button shows on the hosted
/// pages, and the library's app client lists it in `SupportedIdentityProviders`, so `identity_provider=<name>` works.
pub struct IdentityProviderOptions {
  /// `OIDC`, `SAML`, `Google`, `Facebook`, `LoginWithAmazon` or `SignInWithApple`. The social types and SAML are
  /// stored and deployed, but their sign-in needs the internet: in the simulator, use OIDC or `testIdentityProvider`.
  providerType: str;
  /// The provider's name in the pool: the hosted page's button and `identity_provider=<name>`. A social provider's
  /// name is its type (the default); OIDC and SAML need one (3 to 32 characters, not starting or ending with `_`).
  name: str?;
  /// The client id (app id, Services ID for Apple) the IdP gave the user pool. Required except for SAML.
  clientId: str?;
  /// The client secret (for Apple: the .p8 private key), as a `cloud.Secret`, so it is never written in plain text:
  /// tf-aws reads it from Secrets Manager by reference, the simulator from the secret's local value (`wing secrets`).
  /// Required for Google, Facebook, LoginWithAmazon and SignInWithApple; optional for OIDC.
  clientSecret: cloud.Secret?;
  /// OIDC: the issuer URL (`https://...`, `http://` only on loopback); the endpoints are discovered from
  /// `<issuer>/.well-known/openid-configuration`, or given in `details`.
  issuer: str?;
  /// The scopes asked of the IdP. Defaults: OIDC and Google `openid email profile`, Facebook `public_profile email`,
  /// LoginWithAmazon `profile`, SignInWithApple `email name`.
  scopes: Array<str>?;
  /// User pool attribute -> IdP claim or attribute name, e.g. `{"email": "email", "custom:team": "team"}`. Defaults to
  /// email, email_verified and name from the IdP's claims of the same names (SAML: nothing); `username` maps to the
  /// IdP's user id (`sub`) unless given.
  attributeMapping: Map<str>?;
  /// OIDC: how Cognito calls the IdP's userinfo endpoint, `GET` (default) or `POST`.
  requestMethod: str?;
  /// SAML: the URL of the IdP's metadata document (https). Give this or `metadataDocument`.
  metadataUrl: str?;
  /// SAML: the IdP's metadata document itself (XML). Give this or `metadataUrl`.
  metadataDocument: str?;
  /// SignInWithApple: the Apple developer team id.
  teamId: str?;
  /// SignInWithApple: the id of the private key in `clientSecret`.
  keyId: str?;
  /// Identifiers (e.g. email domains) that `idp_identifier=<identifier>` finds the provider by. Defaults to none.
  identifiers: Array<str>?;
  /// More ProviderDetails passed as they are, e.g. OIDC endpoints the issuer does not publish (`authorize_url`,
  /// `token_url`, `attributes_url`, `jwks_uri`) or SAML's `IDPSignout`. Never the secret.
  details: Map<str>?;
}

/// What the simulator's test identity provider signs in as (see `Cognito.federatedSignIn`).
pub struct FederatedUserOptions {
  /// The `name` claim. Defaults to none.
  name: str?;
  /// The user's id at the IdP (`sub`). Defaults to one derived from the email, so the same email is the same user.
  sub: str?;
  /// The `email_verified` claim. Defaults to true.
  emailVerified: bool?;
  /// More claims for the ID token and userinfo, e.g. `{"given_name": "Ada"}`.
  claims: Json?;
}

/// Options that every backend understands. `cognito.CognitoProps` extends it.
pub struct BackendOptions {
  /// The user pool domain's prefix (`<prefix>.auth.<region>.amazoncognito.com` on AWS; on AWS it must be unique in
  /// the region and may not contain "aws", "amazon" or "cognito"). Needed for hosted sign-in and machine clients.
  domainPrefix: str?;
  /// Turns on hosted sign-in (the OAuth 2.0 endpoints) for the library's app client.
  hostedSignIn: HostedSignInOptions?;
  /// Resource servers and their custom scopes.
  resourceServers: Array<ResourceServerOptions>?;
  /// Machine clients allowed some of the custom scopes (client_credentials).
  machineClients: Array<MachineClientOptions>?;
  /// A name for the user pool. Defaults to a name derived from the resource's path, unique per app.
  name: str?;
  /// Attributes a user may sign in with instead of a username, e.g. `["email"]`.
  /// Defaults to `["email"]`, so the seed's `signUp(email, password)` works out of the box.
  usernameAttributes: Array<str>?;
  /// Attributes verified automatically on sign-up, e.g. `["email"]`. Defaults to `["email"]`.
  autoVerifiedAttributes: Array<str>?;
  /// Extra user pool schema attributes, in the AWS `SchemaAttributeType` shape
  /// (`[{"Name": "team", "AttributeDataType": "String", "Mutable": true}]`).
  schema: Json?;
  /// The request header that carries the token. Defaults to `Authorization`.
  headerKey: str?;
  /// Let the identity pool hand out credentials to unauthenticated identities. Defaults to false.
  allowUnauthenticatedIdentities: bool?;
  /// User pool groups to create, e.g. `["admins", "members"]` (a trigger or `adminAddUserToGroup` puts users in them).
  groups: Array<str>?;
  /// Refuse to delete the user pool (AWS deletion protection), so a rename or a `usernameAttributes` change,
  /// which make Terraform replace the pool, fail instead of losing every user. Defaults to true for deployed
  /// apps and to false under `wing test -t tf-aws`, which destroys what it deployed. Ignored by the simulator.
  deletionProtection: bool?;
  /// Send the pool's emails through Amazon SES (see `EmailOptions`). Defaults to Cognito's built-in sender.
  email: EmailOptions?;
  /// External identity providers (OIDC, SAML, Google, Facebook, LoginWithAmazon, SignInWithApple) offered on the
  /// hosted pages. Needs `hostedSignIn`.
  identityProviders: Array<IdentityProviderOptions>?;
  /// Simulator only: runs a local OpenID Connect test identity provider on loopback and adds it to the pool as the
  /// OIDC provider `TestIdP`, so federated sign-in (hosted page, IdP, idpresponse, PreSignUp_ExternalProvider, linked
  /// identities, tokens) runs offline. Its page lets a developer type any user. Never deployed on tf-aws. Needs
  /// `hostedSignIn`. Defaults to false.
  testIdentityProvider: bool?;
  /// The ways users may sign in first (choice-based sign-in, `USER_AUTH`): any of `PASSWORD`, `EMAIL_OTP` (a one-time
  /// code by email), `SMS_OTP` (by text message) and `WEB_AUTHN` (passkeys). Sets the pool's
  /// `AllowedFirstAuthFactors`, adds `ALLOW_USER_AUTH` to the library's app client and puts the pool on the ESSENTIALS
  /// plan, the lowest that allows passwordless sign-in and passkeys. `PASSWORD` is always allowed (AWS requires it) and
  /// is added when not listed. EMAIL_OTP needs `email` in `autoVerifiedAttributes`, SMS_OTP `phone_number`; SMS_OTP is
  /// simulator-only for now (tf-aws deploys no SMS sender). Users may then also sign up without a password
  /// (`signUpWithoutPassword`). Defaults to none: password sign-in only, without USER_AUTH.
  signInMethods: Array<str>?;
  /// Passkey settings, with `WEB_AUTHN` among `signInMethods`.
  passkeys: PasskeyOptions?;
}

/// Passkey (WebAuthn) settings of the user pool (SetUserPoolMfaConfig's `WebAuthnConfiguration`).
pub struct PasskeyOptions {
  /// The relying party id: the domain the pages that register and use passkeys are served from (`example.com` serves
  /// `https://example.com` and its subdomains). A passkey answers only for its relying party id. Defaults to
  /// `localhost` in the simulator (pages on `http://localhost:<port>`); on tf-aws to the pool's domain
  /// (`<domainPrefix>.auth.<region>.amazoncognito.com`, hosted pages only), so tf-aws needs this or `domainPrefix`.
  relyingPartyId: str?;
  /// `preferred` (the default) or `required`: whether the authenticator must verify the user (PIN, biometrics).
  userVerification: str?;
}

/// A one-time-code sign-in waiting for its code (see `Cognito.startSignIn`).
pub struct SignInChallenge {
  /// The `Session` to answer with.
  session: str;
  /// `EMAIL_OTP` or `SMS_OTP`.
  challengeName: str;
  /// Where the code went, masked as Cognito shows it (`a***@e***`, `+*******1234`).
  destination: str;
  /// `EMAIL` or `SMS`.
  deliveryMedium: str;
}

/// A code the simulator "sent" (see `Cognito.sentCodes`).
pub struct SentCode {
  /// The code.
  code: str;
  /// What it is for: `SIGN_UP`, `FORGOT_PASSWORD`, `VERIFY_ATTRIBUTE`, `MFA`, `ADMIN_CREATE_USER` (a temporary
  /// password) or `SIGN_IN` (a one-time sign-in code).
  purpose: str;
  /// The user's username.
  username: str;
  /// The email address or phone number it went to.
  destination: str;
  /// `EMAIL` or `SMS`.
  deliveryMedium: str;
  /// When it was sent, in epoch seconds of the service's clock.
  createdAt: num;
  /// The delivered text, when a CustomMessage trigger wrote it.
  message: str?;
}

/// One step of a custom-auth (passwordless) sign-in: either another challenge to answer, or the tokens.
pub struct CustomAuthStep {
  /// The `Session` to answer the next challenge with; nil once signed in.
  session: str?;
  /// The challenge's public parameters (what CreateAuthChallenge returned as `publicChallengeParameters`, plus `USERNAME`).
  challengeParameters: Json?;
  /// The tokens, once DefineAuthChallenge issued them.
  tokens: AuthTokens?;
}

/// The tokens a successful sign-in returns.
pub struct AuthTokens {
  /// The ID token: send it as `Authorization: Bearer <idToken>` to a protected route.
  idToken: str;
  /// The access token, for the user's own Cognito operations (GetUser, ChangePassword, ...).
  accessToken: str;
  /// The refresh token, opaque, for REFRESH_TOKEN_AUTH.
  refreshToken: str;
  /// Seconds until the ID and access tokens expire.
  expiresIn: num;
}

/// The verified caller of a protected route, read from its ID token.
pub struct Caller {
  /// The user's stable id (a UUID).
  sub: str;
  /// The user's Cognito username (`cognito:username`).
  username: str;
  /// The user's email, when the pool has one for the user.
  email: str?;
  /// The groups the user belongs to (`cognito:groups`), empty when none.
  groups: Array<str>;
  /// Every claim of the verified ID token.
  claims: Json;
}

/// What a Cognito backend does: protect routes preflight, and sign users up and in inflight.
pub interface ICognitoBackend {
  /// Protect the GET route at `path`, which must already be registered on the api.
  get(path: str, options: RouteOptions?): void;
  /// Protect the POST route at `path`, which must already be registered on the api.
  post(path: str, options: RouteOptions?): void;
  /// Protect the PUT route at `path`, which must already be registered on the api.
  put(path: str, options: RouteOptions?): void;
  /// Protect the PATCH route at `path`, which must already be registered on the api.
  patch(path: str, options: RouteOptions?): void;
  /// Protect the DELETE route at `path`, which must already be registered on the api.
  delete(path: str, options: RouteOptions?): void;
  /// Protect the HEAD route at `path`, which must already be registered on the api.
  head(path: str, options: RouteOptions?): void;
  /// Refuse to protect OPTIONS at `path`: fail the compile with `Refusals.protectOptions(path)`.
  options(path: str, options: RouteOptions?): void;
  /// Protect the CONNECT route at `path`, which must already be registered on the api.
  connect(path: str, options: RouteOptions?): void;
  /// Run `handler` as the pool's `trigger` (a LambdaConfig member name such as `PreSignUp`). `lambdaVersion` is the
  /// PreTokenGeneration event version (`V1_0` or `V2_0`), ignored for other triggers.
  addTrigger(trigger: str, handler: inflight (Json): Json?, lambdaVersion: str): void;

  /// Register a user with `email` as username and email attribute (Cognito SignUp).
  /// Throws `UsernameExistsException: ...` when the user exists, `InvalidPasswordException: ...`
  /// when the password breaks the pool's policy.
  inflight signUp(email: str, password: str): void;
  /// Confirm a signed-up user without a code (Cognito AdminConfirmSignUp).
  inflight adminConfirmUser(email: str): void;
  /// Sign in with USER_PASSWORD_AUTH and return the ID token, ready for `Authorization: Bearer`.
  /// Throws `NotAuthorizedException: Incorrect username or password.` on a wrong password and
  /// `UserNotConfirmedException: User is not confirmed.` for an unconfirmed user.
  inflight initiateAuth(email: str, password: str): str;
  /// Sign in with USER_PASSWORD_AUTH and return the ID, access and refresh tokens.
  inflight signIn(email: str, password: str): AuthTokens;
  /// Get (or create) the identity pool identity for the user whose ID token is `token`
  /// (Cognito Identity GetId). Returns the identity id, `<region>:<uuid>`.
  inflight getId(poolId: str, identityPoolId: str, token: str): str;
  /// Get temporary AWS credentials for `identityId` (Cognito Identity GetCredentialsForIdentity).
  /// Returns `{AccessKeyId, SecretKey, SessionToken, Expiration}`.
  inflight getCredentialsForIdentity(token: str, identityId: str): Json;
  /// The verified caller of a request, from the ID token in its auth header, or nil when the
  /// request carries no valid token of this pool. Works on every target.
  inflight caller(req: cloud.ApiRequest): Caller?;
  /// Add the user `username` to the pool group `group` (Cognito AdminAddUserToGroup).
  inflight adminAddUserToGroup(username: str, group: str): void;
  /// Start a custom-auth sign-in (InitiateAuth with CUSTOM_AUTH) for `username`.
  inflight initiateCustomAuth(username: str): CustomAuthStep;
  /// Answer a custom challenge (RespondToAuthChallenge with CUSTOM_CHALLENGE) of the sign-in `session`.
  inflight respondToCustomChallenge(username: str, session: str, answer: str): CustomAuthStep;
  /// A `client_credentials` access token of the machine client `name`, for `scopes` (default: all it may get).
  inflight machineToken(name: str, scopes: Array<str>?): str;
  /// Simulator only: signs in through the test identity provider as `email`, walking the hosted sign-in's redirects.
  inflight federatedSignIn(email: str, user: FederatedUserOptions?): AuthTokens;
  /// Start a one-time-code sign-in of `email` (InitiateAuth USER_AUTH with PREFERRED_CHALLENGE `method`, `EMAIL_OTP`
  /// or `SMS_OTP`); the code is sent.
  inflight startSignIn(email: str, method: str?): SignInChallenge;
  /// Answer a one-time-code sign-in with `code` (RespondToAuthChallenge EMAIL_OTP / SMS_OTP) and return the tokens.
  inflight answerSignIn(email: str, challenge: SignInChallenge, code: str): AuthTokens;
  /// Register `email` without a password (Cognito SignUp) and return SignUp's `Session`; the confirmation code is sent.
  inflight signUpWithoutPassword(email: str): str;
  /// Confirm a sign-up with the code that was sent (Cognito ConfirmSignUp).
  inflight confirmSignUp(email: str, code: str): void;
  /// Confirm a sign-up with its code and SignUp's `session`, then sign in with ConfirmSignUp's `Session`
  /// (InitiateAuth USER_AUTH, no second code) and return the tokens.
  inflight confirmSignUpAndSignIn(email: str, code: str, session: str): AuthTokens;
  /// Simulator only: the codes sent to `email` (a username, email or phone number), newest first.
  inflight sentCodes(email: str): Array<SentCode>;
  /// Simulator only: the newest code sent to `email` (of `purpose`, when given).
  inflight lastCode(email: str, purpose: str?): str;
}

/// Compile-time refusals that every backend shares.
pub class Refusals {
  /// Why an OPTIONS route cannot be protected: browsers send CORS preflights (OPTIONS) without credentials,
  /// so an authorizer there would refuse every preflight and break every protected route for browsers.
  pub static protectOptions(path: str): str {
    return "@winglibs/cognito: cannot protect OPTIONS {path}: browsers send CORS preflight requests (OPTIONS) without credentials, so protecting OPTIONS would refuse every preflight and break the api's routes for browsers. Leave OPTIONS open and protect the route's other methods (get, post, ...).";
  }
}
