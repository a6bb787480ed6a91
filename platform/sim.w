// The simulator backend of @winglibs/cognito: a real local Cognito service (lib/service) runs on loopback
// inside a `sim.Resource`, and protected routes of the `cloud.Api` get a guard with API Gateway's semantics.
bring cloud;
bring sim;
bring ui;
bring "constructs" as constructs;
bring "./backend.w" as backend;
bring "./client.w" as client;
bring "./oauth.w" as oauth;

/// The pools the local service builds for one `Cognito` (the inflight side is lib/sim/local-cognito.ts).
struct SimPoolConfig {
  /// The user pool name (also used for the client and the identity pool).
  name: str;
  /// The region in the pool ids and token issuer.
  region: str;
  /// Attributes a user may sign in with instead of a username.
  usernameAttributes: Array<str>;
  /// Attributes verified automatically on sign-up.
  autoVerifiedAttributes: Array<str>;
  /// Extra schema attributes, in the AWS `SchemaAttributeType` shape.
  schema: Json?;
  /// Whether the identity pool hands out credentials to unauthenticated identities.
  allowUnauthenticatedIdentities: bool;
  /// Groups to create in the user pool.
  groups: Array<str>;
  /// The user pool domain's prefix, if any.
  domainPrefix: str?;
  /// Hosted sign-in settings of the app client, if any.
  hostedSignIn: backend.HostedSignInOptions?;
  /// Resource servers.
  resourceServers: Array<backend.ResourceServerOptions>;
  /// Machine clients.
  machineClients: Array<backend.MachineClientOptions>;
  /// External identity providers, checked (see `IdentityProviderSpecs`).
  identityProviders: Array<SimIdentityProvider>;
  /// Whether the test identity provider runs and is the pool's OIDC provider `TestIdP`.
  testIdentityProvider: bool;
  /// Choice-based sign-in, checked (see `SignInMethodSpecs`).
  signIn: SimSignInSettings;
}

/// What `signInMethods` and `passkeys` ask of the local pool (lib/sign-in-methods.ts `SignInSettings`).
struct SimSignInSettings {
  /// AllowedFirstAuthFactors; empty without `signInMethods`.
  factors: Array<str>;
  /// UserPoolTier, or "".
  tier: str;
  /// Whether the app client gets ALLOW_USER_AUTH.
  userAuth: bool;
  /// Whether WebAuthnConfiguration is set.
  passkeys: bool;
  /// WebAuthnConfiguration.RelyingPartyId.
  relyingPartyId: str;
  /// WebAuthnConfiguration.UserVerification.
  userVerification: str;
}

/// The compile-time check of the `signInMethods` and `passkeys` props, shared with tf-aws.
class SignInMethodSpecs {
  extern "../lib/sign-in-methods.ts" pub static signInSettings(target: str, props: backend.BackendOptions?): SimSignInSettings;
}

/// The simulator's sent codes (lib/inflight/sent-codes.ts), read from the local service's loopback-only route.
class SentCodesClient {
  conn: client.CognitoConnection;
  new(conn: client.CognitoConnection) {
    this.conn = conn;
  }
  /// The codes sent to `email` (see `Cognito.sentCodes`).
  pub inflight sentCodes(email: str): Array<backend.SentCode> {
    return SentCodesClient._sentCodes(this.conn, email);
  }
  /// The newest code sent to `email` (see `Cognito.lastCode`).
  pub inflight lastCode(email: str, purpose: str?): str {
    return SentCodesClient._lastCode(this.conn, email, purpose);
  }
  extern "../lib/inflight/sent-codes.ts" static inflight _sentCodes(conn: client.CognitoConnection, email: str): Array<backend.SentCode>;
  extern "../lib/inflight/sent-codes.ts" static inflight _lastCode(conn: client.CognitoConnection, email: str, purpose: str?): str;
}

/// An identity provider as the simulator keeps it (lib/identity-provider-options.ts): the secret by its name.
struct SimIdentityProvider {
  /// ProviderName.
  name: str;
  /// ProviderType.
  providerType: str;
  /// ProviderDetails without the secret.
  details: Map<str>;
  /// The ProviderDetails key of the secret.
  secretDetail: str;
  /// The name of the `cloud.Secret` holding it.
  secretName: str?;
  /// AttributeMapping.
  attributeMapping: Map<str>;
  /// IdpIdentifiers.
  identifiers: Array<str>;
}

/// The compile-time check of the `identityProviders` prop, shared with tf-aws.
class IdentityProviderSpecs {
  extern "../lib/identity-provider-options.ts" pub static simIdentityProviders(hostedSignIn: bool, testIdentityProvider: bool, options: Array<backend.IdentityProviderOptions>?): Array<SimIdentityProvider>;
}

/// Where `federatedSignIn` starts (lib/inflight/federated-sign-in.ts).
struct TestIdpConnection {
  /// The pool domain's base URL.
  domainUrl: str;
  /// The library's app client.
  clientId: str;
  /// The app's callback URL (the first of `hostedSignIn.callbackUrls`); never loaded.
  callbackUrl: str;
  /// The scopes asked for.
  scopes: Array<str>;
  /// The test IdP's provider name.
  providerName: str;
}

/// The inflight walk through the test identity provider.
class TestIdpClient {
  conn: TestIdpConnection;
  enabled: bool;
  new(conn: TestIdpConnection, enabled: bool) {
    this.conn = conn;
    this.enabled = enabled;
  }
  /// Signs in as `email` through the test IdP (see `Cognito.federatedSignIn`).
  pub inflight federatedSignIn(email: str, user: backend.FederatedUserOptions?): backend.AuthTokens {
    if !this.enabled {
      throw "federatedSignIn needs the test identity provider: set testIdentityProvider: true (with hostedSignIn and domainPrefix)";
    }
    return TestIdpClient._federatedSignIn(this.conn, email, user);
  }
  extern "../lib/inflight/federated-sign-in.ts" static inflight _federatedSignIn(conn: TestIdpConnection, email: str, user: backend.FederatedUserOptions?): backend.AuthTokens;
}

/// The inflight code of the local Cognito `sim.Resource` (kept apart so that only the resource bundles it).
class LocalCognitoCode {
  /// Starts the service and builds (or reuses) the pools; resolves the resource's tokens.
  extern "../lib/sim/resource.ts" pub static inflight startLocalCognito(ctx: sim.IResourceContext, config: SimPoolConfig, implementation: str): sim.IResource;
  /// The file holding the resource's implementation, built at compile time (lib/sim/service-bundle.ts).
  extern "../lib/sim/service-bundle.ts" pub static localCognitoBundle(): str;
}

/// A trigger closure as Lambda runs it: the event in, the event with the closure's `response` out.
class TriggerFunction {
  handler: inflight (Json): Json?;
  new(handler: inflight (Json): Json?) {
    this.handler = handler;
  }
  /// Runs the closure on `event` and returns the event with its `response` filled in.
  pub inflight invoke(event: Json): Json {
    return TriggerEventCode.withResponse(event, this.handler(event));
  }
}

/// The Lambda side of a trigger (lib/inflight/trigger-event.ts): Cognito wants the whole event back.
class TriggerEventCode {
  extern "../lib/inflight/trigger-event.ts" pub static inflight withResponse(event: Json, response: Json?): Json;
}

/// The inflight code of a trigger's `sim.Resource` (lib/sim/trigger-host.ts).
class TriggerHostCode {
  /// Serves `handler` with the Lambda Invoke API on loopback and registers it with the local Cognito as `trigger`.
  extern "../lib/sim/trigger-host.ts" pub static inflight startTriggerHost(trigger: str, lambdaVersion: str, triggerFunction: TriggerFunction, local: sim.Resource): void;
  /// Stops the trigger's server.
  extern "../lib/sim/trigger-host.ts" pub static inflight stopTriggerHost(): void;
}

/// The Wing Console view of a `Cognito` in the simulator: the ids, a users table with a button that confirms pending
/// sign-ups, and the latest codes. The 0.85 Console draws only fields, buttons and tables that are direct children
/// of the node a person selects (a `ui.Section` and what it holds are dropped), sorts table columns by name and
/// draws each cell as a narrow input; hence plain components on the `Cognito` node, and short two- or three-column
/// rows (lib/sim/resource.ts `UserRow`, `CodeRow`). A table shows no label, so a field before each one names it.
class ConsoleView {
  /// Adds the view's components to `scope` (the `Cognito` node), in the order the Console shows them.
  pub static addTo(scope: constructs.IConstruct, local: sim.Resource, endpoint: str, userPoolId: str, clientId: str, identityPoolId: str) {
    new ui.Field("Endpoint", inflight () => { return endpoint; }, link: true) as "Endpoint" in scope;
    new ui.Field("User pool id", inflight () => { return userPoolId; }) as "UserPoolId" in scope;
    new ui.Field("Client id", inflight () => { return clientId; }) as "ClientId" in scope;
    new ui.Field("Identity pool id", inflight () => { return identityPoolId; }) as "IdentityPoolId" in scope;
    new ui.Field("Users", inflight () => { return "sign-in name and status"; }) as "UsersLabel" in scope;
    new ui.Table(scan: inflight () => {
      return ConsoleView.rows(local.call("users"));
    }) as "Users" in scope;
    new ui.Button("Confirm pending sign-ups", inflight () => {
      local.call("confirmPending");
    }) as "ConfirmPending" in scope;
    new ui.Field("Codes", inflight () => { return "latest first (also in the log)"; }) as "CodesLabel" in scope;
    new ui.Table(scan: inflight () => {
      return ConsoleView.rows(local.call("codes"));
    }) as "Codes" in scope;
  }

  /// A `sim.Resource.call` result (a Json array) as table rows.
  pub static inflight rows(result: Json): Array<Json> {
    let out = MutArray<Json>[];
    for row in Json.values(result) {
      out.push(row);
    }
    return out.copy();
  }
}

/// The route guard's inflight code (kept apart so that guarded routes bundle only the guard and its verifiers).
class RouteGuardCode {
  /// `nil` to let the request through, else the 401/403 response API Gateway would give.
  extern "../lib/sim/route-guard.ts" pub static inflight authorize(conn: client.CognitoConnection, iamAuth: bool, req: cloud.ApiRequest, scopes: Array<str>): cloud.ApiResponse?;
}

/// The simulator backend: a local Cognito user pool, app client and identity pool protecting routes
/// of a `cloud.Api`. Its ids are the real ids of the local pools, usable inflight; the endpoint lets a
/// browser app or the AWS CLI use the same pool (`aws --endpoint-url <endpoint> cognito-idp ...`).
pub class Cognito_sim impl backend.ICognitoBackend {
  /// The local user pool id (`<region>_<id>`).
  pub userPoolId: str;
  /// The local app client id.
  pub clientId: str;
  /// The local identity pool id (`<region>:<uuid>`).
  pub identityPoolId: str;
  /// The URL of the local Cognito service (cognito-idp and cognito-identity on one endpoint).
  pub endpoint: str;
  /// The region of the local pools.
  pub region: str;
  /// The base URL of the pool domain's OAuth endpoints on the local service
  /// (`http://127.0.0.1:<port>/<domainPrefix>`), when a `domainPrefix` is set.
  pub domainUrl: str?;
  /// The hosted sign-in page for the first callback URL, when hosted sign-in is on.
  pub signInUrl: str?;

  api: cloud.Api;
  oauthClient: oauth.OAuthClient;
  iamAuth: bool;
  local: sim.Resource;
  conn: client.CognitoConnection;
  client: client.CognitoClient;
  testIdp: TestIdpClient;
  codes: SentCodesClient;

  new(api: cloud.Api, iamAuth: bool, props: backend.BackendOptions?) {
    this.api = api;
    this.iamAuth = iamAuth;
    // With CORS, browsers must be allowed to send the token header (or SigV4's headers), as on tf-aws.
    Cognito_sim.allowTokenHeaders(api, props?.headerKey ?? "Authorization", iamAuth);
    let config = SimPoolConfig {
      name: props?.name ?? Cognito_sim.poolNameOf(nodeof(this).path),
      region: "us-east-1",
      usernameAttributes: props?.usernameAttributes ?? ["email"],
      autoVerifiedAttributes: props?.autoVerifiedAttributes ?? ["email"],
      schema: props?.schema,
      allowUnauthenticatedIdentities: props?.allowUnauthenticatedIdentities ?? false,
      groups: props?.groups ?? [],
      domainPrefix: props?.domainPrefix,
      hostedSignIn: props?.hostedSignIn,
      resourceServers: props?.resourceServers ?? [],
      machineClients: props?.machineClients ?? [],
      identityProviders: IdentityProviderSpecs.simIdentityProviders(props?.hostedSignIn != nil, props?.testIdentityProvider ?? false, props?.identityProviders),
      testIdentityProvider: props?.testIdentityProvider ?? false,
      signIn: SignInMethodSpecs.signInSettings("sim", props),
    };
    if (props?.hostedSignIn != nil || (props?.machineClients ?? []).length > 0) && props?.domainPrefix == nil {
      throw "@winglibs/cognito: hostedSignIn and machineClients need a user pool domain: set the domainPrefix option";
    }

    let implementation = LocalCognitoCode.localCognitoBundle();
    let local = new sim.Resource(inflight (ctx) => {
      return LocalCognitoCode.startLocalCognito(ctx, config, implementation);
    }) as "LocalCognito";
    nodeof(local).title = "Local Cognito";
    nodeof(local).description = "The local Cognito service on loopback";
    this.local = local;

    this.endpoint = local.createToken("endpoint");
    this.region = local.createToken("region");
    this.userPoolId = local.createToken("userPoolId");
    this.clientId = local.createToken("clientId");
    this.identityPoolId = local.createToken("identityPoolId");
    this.conn = client.CognitoConnection {
      endpoint: this.endpoint,
      region: this.region,
      userPoolId: this.userPoolId,
      clientId: this.clientId,
      identityPoolId: this.identityPoolId,
      headerKey: props?.headerKey ?? "Authorization",
    };
    this.client = new client.CognitoClient(this.conn) as "Client";
    nodeof(this.client).hidden = true;
    this.codes = new SentCodesClient(this.conn) as "SentCodes";
    nodeof(this.codes).hidden = true;

    let domainUrl = local.createToken("domainUrl");
    let signInUrl = local.createToken("signInUrl");
    if props?.domainPrefix != nil {
      this.domainUrl = domainUrl;
    } else {
      this.domainUrl = nil;
    }
    if props?.hostedSignIn != nil {
      this.signInUrl = signInUrl;
    } else {
      this.signInUrl = nil;
    }
    let machineClients = MutMap<str>{};
    let var index = 0;
    for machine in config.machineClients {
      machineClients.set(machine.name, local.createToken("machineClient{index}"));
      index = index + 1;
    }
    let hosted = props?.hostedSignIn;
    this.testIdp = new TestIdpClient(TestIdpConnection {
      domainUrl: domainUrl,
      clientId: this.clientId,
      callbackUrl: hosted?.callbackUrls?.at(0) ?? "",
      scopes: hosted?.scopes ?? ["openid", "email", "profile"],
      providerName: "TestIdP",
    }, props?.testIdentityProvider ?? false) as "TestIdpClient";
    nodeof(this.testIdp).hidden = true;
    this.oauthClient = new oauth.OAuthClient(
      endpoint: this.endpoint,
      region: this.region,
      userPoolId: this.userPoolId,
      domainUrl: domainUrl,
      machineClients: machineClients.copy(),
    ) as "OAuthClient";
    nodeof(this.oauthClient).hidden = true;

    // The view goes on the `Cognito` node, the one a person selects in the Console (this node is its "sim" child).
    // `wing test` shows no Console, and each of the view's functions is bundled when a test's simulator starts:
    // leaving the view out of test builds keeps that start short.
    if !nodeof(this).app.isTestEnvironment {
      ConsoleView.addTo(nodeof(this).scope ?? this, local, this.endpoint, this.userPoolId, this.clientId, this.identityPoolId);
    }
  }

  /// Guards the registered route `method path` of the api: the guard runs in the route's own function,
  /// then calls the original handler with the request untouched.
  protect(method: str, path: str, options: backend.RouteOptions?) {
    let conn = this.conn;
    let iamAuth = this.iamAuth;
    let scopes = options?.scopes ?? [];
    if iamAuth && scopes.length > 0 {
      throw "@winglibs/cognito: {method} {path}: OAuth scopes apply to COGNITO_USER_POOLS routes, not AWS_IAM ones";
    }
    let original = Cognito_sim.routeHandler(this.api, method, path);
    Cognito_sim.replaceRouteHandler(this.api, method, path, nodeof(this).path, inflight (req) => {
      if let denied = RouteGuardCode.authorize(conn, iamAuth, req, scopes) {
        return denied;
      }
      return original(req);
    });
  }

  /// Runs `handler` as the pool's `trigger`: a `sim.Resource` holds the closure and serves it to the local service
  /// with the Lambda Invoke API. The local Cognito lifts nothing of it, so the closure may use this `Cognito` inflight.
  pub addTrigger(trigger: str, handler: inflight (Json): Json?, lambdaVersion: str) {
    let local = this.local;
    let triggerFunction = new TriggerFunction(handler) as "{trigger}Function";
    nodeof(triggerFunction).hidden = true;
    // A cloud.Service (not a sim.Resource): its sandbox gets the lifted resources' handles, so the closure can use them.
    let host = new cloud.Service(inflight () => {
      lift {triggerFunction: [invoke], local: [call]} {
        TriggerHostCode.startTriggerHost(trigger, lambdaVersion, triggerFunction, local);
      }
      return inflight () => {
        TriggerHostCode.stopTriggerHost();
      };
    }) as "{trigger}Trigger";
    nodeof(host).title = "{trigger} trigger";
    nodeof(host).description = "The {trigger} trigger of the local Cognito";
  }

  /// Protects the registered GET route at `path` (with `options.scopes`, for access tokens carrying one of them).
  pub get(path: str, options: backend.RouteOptions?) { this.protect("GET", path, options); }
  /// Protects the registered POST route at `path` (with `options.scopes`, for access tokens carrying one of them).
  pub post(path: str, options: backend.RouteOptions?) { this.protect("POST", path, options); }
  /// Protects the registered PUT route at `path` (with `options.scopes`, for access tokens carrying one of them).
  pub put(path: str, options: backend.RouteOptions?) { this.protect("PUT", path, options); }
  /// Protects the registered PATCH route at `path` (with `options.scopes`, for access tokens carrying one of them).
  pub patch(path: str, options: backend.RouteOptions?) { this.protect("PATCH", path, options); }
  /// Protects the registered DELETE route at `path` (with `options.scopes`, for access tokens carrying one of them).
  pub delete(path: str, options: backend.RouteOptions?) { this.protect("DELETE", path, options); }
  /// Protects the registered HEAD route at `path` (with `options.scopes`, for access tokens carrying one of them).
  pub head(path: str, options: backend.RouteOptions?) { this.protect("HEAD", path, options); }
  /// Refuses: an authorizer on OPTIONS would refuse every CORS preflight (browsers send them without credentials).
  pub options(path: str, options: backend.RouteOptions?) { throw backend.Refusals.protectOptions(path); }
  /// Protects the registered CONNECT route at `path` (with `options.scopes`, for access tokens carrying one of them).
  pub connect(path: str, options: backend.RouteOptions?) { this.protect("CONNECT", path, options); }

  /// Cognito SignUp with `email` as username and email (see `Cognito.signUp`).
  pub inflight signUp(email: str, password: str): void { this.client.signUp(email, password); }
  /// Cognito AdminConfirmSignUp (see `Cognito.adminConfirmUser`).
  pub inflight adminConfirmUser(email: str): void { this.client.adminConfirmUser(email); }
  /// USER_PASSWORD_AUTH sign-in returning the ID token (see `Cognito.initiateAuth`).
  pub inflight initiateAuth(email: str, password: str): str { return this.client.initiateAuth(email, password); }
  /// USER_PASSWORD_AUTH sign-in returning all three tokens (see `Cognito.signIn`).
  pub inflight signIn(email: str, password: str): backend.AuthTokens { return this.client.signIn(email, password); }
  /// Cognito Identity GetId (see `Cognito.getId`).
  pub inflight getId(poolId: str, identityPoolId: str, token: str): str { return this.client.getId(poolId, identityPoolId, token); }
  /// Cognito Identity GetCredentialsForIdentity (see `Cognito.getCredentialsForIdentity`).
  pub inflight getCredentialsForIdentity(token: str, identityId: str): Json { return this.client.getCredentialsForIdentity(token, identityId); }
  /// The verified caller of a request, or nil (see `Cognito.caller`).
  pub inflight caller(req: cloud.ApiRequest): backend.Caller? { return this.client.caller(req); }
  /// Cognito AdminAddUserToGroup (see `Cognito.adminAddUserToGroup`).
  pub inflight adminAddUserToGroup(username: str, group: str): void { this.client.adminAddUserToGroup(username, group); }
  /// InitiateAuth with CUSTOM_AUTH (see `Cognito.initiateCustomAuth`).
  pub inflight initiateCustomAuth(username: str): backend.CustomAuthStep { return this.client.initiateCustomAuth(username); }
  /// RespondToAuthChallenge with CUSTOM_CHALLENGE (see `Cognito.respondToCustomChallenge`).
  pub inflight respondToCustomChallenge(username: str, session: str, answer: str): backend.CustomAuthStep { return this.client.respondToCustomChallenge(username, session, answer); }
  /// A `client_credentials` token of a machine client (see `Cognito.machineToken`).
  pub inflight machineToken(name: str, scopes: Array<str>?): str { return this.oauthClient.machineToken(name, scopes); }

  /// Signs in through the test identity provider as `email` (see `Cognito.federatedSignIn`).
  pub inflight federatedSignIn(email: str, user: backend.FederatedUserOptions?): backend.AuthTokens { return this.testIdp.federatedSignIn(email, user); }

  /// USER_AUTH one-time-code sign-in (see `Cognito.startSignIn`).
  pub inflight startSignIn(email: str, method: str?): backend.SignInChallenge { return this.client.startSignIn(email, method); }
  /// Answers a one-time-code sign-in (see `Cognito.answerSignIn`).
  pub inflight answerSignIn(email: str, challenge: backend.SignInChallenge, code: str): backend.AuthTokens { return this.client.answerSignIn(email, challenge, code); }
  /// SignUp without a password (see `Cognito.signUpWithoutPassword`).
  pub inflight signUpWithoutPassword(email: str): str { return this.client.signUpWithoutPassword(email); }
  /// ConfirmSignUp (see `Cognito.confirmSignUp`).
  pub inflight confirmSignUp(email: str, code: str): void { this.client.confirmSignUp(email, code); }
  /// ConfirmSignUp, then the first sign-in with its Session (see `Cognito.confirmSignUpAndSignIn`).
  pub inflight confirmSignUpAndSignIn(email: str, code: str, session: str): backend.AuthTokens { return this.client.confirmSignUpAndSignIn(email, code, session); }
  /// The codes the local service sent to `email` (see `Cognito.sentCodes`).
  pub inflight sentCodes(email: str): Array<backend.SentCode> { return this.codes.sentCodes(email); }
  /// The newest code sent to `email` (see `Cognito.lastCode`).
  pub inflight lastCode(email: str, purpose: str?): str { return this.codes.lastCode(email, purpose); }

  /// Simulator only: runs the local service's clock `seconds` off real time (0 puts it back). Tokens and
  /// codes issued meanwhile carry that time, so token and code expiry can be tried without waiting.
  pub inflight setClockOffset(seconds: num): void {
    this.local.call("setClockOffset", [Json seconds]);
  }

  /// A pool name derived from the resource's path, unique per app.
  static poolNameOf(path: str): str {
    return "cognito-{path.replaceAll("/", "-")}";
  }

  extern "../lib/api-internals.ts" static allowTokenHeaders(api: cloud.Api, headerKey: str, iamAuth: bool): void;
  extern "../lib/api-internals.ts" static routeHandler(api: cloud.Api, method: str, path: str): inflight (cloud.ApiRequest): cloud.ApiResponse?;
  extern "../lib/api-internals.ts" static replaceRouteHandler(api: cloud.Api, method: str, path: str, owner: str, guarded: inflight (cloud.ApiRequest): cloud.ApiResponse?): void;
}
