// The tf-aws backend: a user pool, app client, identity pool and identity pool roles, plus an
// API Gateway authorizer merged into the api's OpenAPI body. Routes keep their aws_proxy integration.
// The Terraform resources are built by lib/tfaws/resources.ts: this file must not bring "@cdktf/provider-aws"
// (nor "cdktf"), or every compile, the simulator's included, would load the provider's 100 MB type manifest.
bring cloud;
bring aws as wingaws;
bring "./backend.w" as backend;
bring "./client.w" as client;
bring "./oauth.w" as oauth;

/// The names of one instance's AWS resources (see lib/tfaws/names.ts).
struct CognitoResourceNames {
  base: str;
  userPool: str;
  userPoolClient: str;
  identityPool: str;
  authenticatedRolePrefix: str;
  unauthenticatedRolePrefix: str;
  securityScheme: str;
}

/// What `createCognitoResources` builds for one instance (see lib/tfaws/resources.ts).
struct TfawsCognitoConfig {
  names: CognitoResourceNames;
  usernameAttributes: Array<str>;
  autoVerifiedAttributes: Array<str>;
  schema: Json?;
  allowUnauthenticatedIdentities: bool;
  iamAuth: bool;
  deletionProtection: bool;
  email: backend.EmailOptions?;
  domainPrefix: str?;
  hostedSignIn: backend.HostedSignInOptions?;
  resourceServers: Array<backend.ResourceServerOptions>;
  machineClients: Array<backend.MachineClientOptions>;
  identityProviders: Array<backend.IdentityProviderOptions>;
  signInMethods: Array<str>?;
  passkeys: backend.PasskeyOptions?;
}

/// Terraform references to one instance's resources (see lib/tfaws/resources.ts).
struct TfawsCognitoRefs {
  userPoolId: str;
  userPoolArn: str;
  clientId: str;
  identityPoolId: str;
  authenticatedRoleArn: str;
  region: str;
  dnsSuffix: str;
  endpoint: str;
  domainUrl: str;
  signInUrl: str;
  machineClients: Map<str>;
}

/// The Lambda side of a trigger on AWS (lib/inflight/trigger-event.ts): Cognito wants the whole event back.
class TriggerEventCode {
  extern "../lib/inflight/trigger-event.ts" pub static inflight withResponse(event: Json, response: Json?): Json;
}

/// The TypeScript side of this backend: the resources, and pure helpers except the api accessors.
class TfawsHelpers {
  extern "../lib/tfaws/names.ts" pub static cognitoResourceNames(path: str, addr: str, name: str?): CognitoResourceNames;
  extern "../lib/tfaws/resources.ts" pub static createCognitoResources(scope: std.IResource, config: TfawsCognitoConfig): TfawsCognitoRefs;
  extern "../lib/tfaws/triggers.ts" pub static wireTrigger(scope: std.IResource, trigger: str, fn: cloud.Function, lambdaVersion: str): void;
  extern "../lib/tfaws/triggers.ts" pub static createGroups(scope: std.IResource, groups: Array<str>): void;
  extern "../lib/tfaws/resources.ts" pub static allowInvoke(scope: std.IResource, routeArn: str): void;
  extern "../lib/tfaws/authorizer.ts" pub static cognitoUserPoolsScheme(headerKey: str, userPoolArn: str): Json;
  extern "../lib/tfaws/authorizer.ts" pub static awsSigv4Scheme(): Json;
  extern "../lib/tfaws/iam.ts" pub static executeApiRouteArn(executionArn: str, stage: str, method: str, path: str): str;
  extern "../lib/tfaws/iam.ts" pub static userPoolActionsForOps(ops: Array<str>): Array<str>;
  extern "../lib/tfaws/api-spec.ts" pub static withSecurityScheme(spec: Json, name: str, scheme: Json): Json;
  extern "../lib/tfaws/api-spec.ts" pub static withProtectedOperation(spec: Json, path: str, method: str, schemeName: str, scopes: Array<str>): Json;
  extern "../lib/tfaws/api-spec.ts" pub static withCorsGatewayResponses(spec: Json, cors: Json): Json;
  extern "../lib/api-internals.ts" pub static readApiSpec(api: cloud.Api): Json;
  extern "../lib/api-internals.ts" pub static writeApiSpec(api: cloud.Api, spec: Json): void;
  extern "../lib/api-internals.ts" pub static readApiCors(api: cloud.Api): Json?;
  extern "../lib/api-internals.ts" pub static allowTokenHeaders(api: cloud.Api, headerKey: str, iamAuth: bool): void;
}

/// Amazon Cognito on AWS in front of a `cloud.Api` deployed with tf-aws.
pub class Cognito_tfaws impl backend.ICognitoBackend {
  /// The user pool id (`<region>_<id>`).
  pub userPoolId: str;
  /// The app client id.
  pub clientId: str;
  /// The identity pool id (`<region>:<uuid>`).
  pub identityPoolId: str;
  /// `https://cognito-idp.<region>.<partition's DNS suffix>`.
  pub endpoint: str;
  /// The region the app deploys to.
  pub region: str;
  /// The user pool ARN.
  pub userPoolArn: str;
  /// The ARN of the role the identity pool gives authenticated users.
  pub authenticatedRoleArn: str;
  /// `https://<domainPrefix>.auth.<region>.amazoncognito.com`, when a `domainPrefix` is set.
  pub domainUrl: str?;
  /// The hosted sign-in page for the first callback URL, when hosted sign-in is on.
  pub signInUrl: str?;

  api: cloud.Api;
  iamAuth: bool;
  executionArn: str;
  stageName: str;
  schemeName: str;
  cognito: client.CognitoClient;
  oauthClient: oauth.OAuthClient;

  new(api: cloud.Api, iamAuth: bool, props: backend.BackendOptions?) {
    let var executionArn = "";
    let var stageName = "";
    if let awsApi = wingaws.Api.from(api) {
      executionArn = awsApi.restApiArn;
      stageName = awsApi.stageName;
    } else {
      throw "@winglibs/cognito: on tf-aws the api must be an AWS API Gateway REST API (got {nodeof(api).path})";
    }
    this.api = api;
    this.iamAuth = iamAuth;
    this.executionArn = executionArn;
    this.stageName = stageName;

    let names = TfawsHelpers.cognitoResourceNames(nodeof(this).path, nodeof(this).addr, props?.name);
    this.schemeName = names.securityScheme;
    let headerKey = props?.headerKey ?? "Authorization";

    if (props?.hostedSignIn != nil || (props?.machineClients ?? []).length > 0) && props?.domainPrefix == nil {
      throw "@winglibs/cognito: hostedSignIn and machineClients need a user pool domain: set the domainPrefix option";
    }
    let refs = TfawsHelpers.createCognitoResources(this, TfawsCognitoConfig {
      names: names,
      usernameAttributes: props?.usernameAttributes ?? ["email"],
      autoVerifiedAttributes: props?.autoVerifiedAttributes ?? ["email"],
      schema: props?.schema,
      allowUnauthenticatedIdentities: props?.allowUnauthenticatedIdentities ?? false,
      iamAuth: iamAuth,
      // On by default, except under `wing test -t tf-aws`, which destroys the pool after the run.
      deletionProtection: props?.deletionProtection ?? !nodeof(this).app.isTestEnvironment,
      email: props?.email,
      domainPrefix: props?.domainPrefix,
      hostedSignIn: props?.hostedSignIn,
      resourceServers: props?.resourceServers ?? [],
      machineClients: props?.machineClients ?? [],
      // The test identity provider is the simulator's: it never exists on AWS.
      identityProviders: props?.identityProviders ?? [],
      signInMethods: props?.signInMethods,
      passkeys: props?.passkeys,
    });

    // The authorizer: merged into the api's OpenAPI components next to any other scheme.
    let var scheme = TfawsHelpers.cognitoUserPoolsScheme(headerKey, refs.userPoolArn);
    if iamAuth {
      scheme = TfawsHelpers.awsSigv4Scheme();
    }
    let var spec = TfawsHelpers.withSecurityScheme(TfawsHelpers.readApiSpec(api), this.schemeName, scheme);
    // With CORS, browsers must be allowed to send the token header (or SigV4's headers), and must be able to read
    // the authorizer's 401/403, which API Gateway sends itself: gateway responses repeat the api's CORS headers.
    TfawsHelpers.allowTokenHeaders(api, headerKey, iamAuth);
    if let cors = TfawsHelpers.readApiCors(api) {
      spec = TfawsHelpers.withCorsGatewayResponses(spec, cors);
    }
    TfawsHelpers.writeApiSpec(api, spec);

    TfawsHelpers.createGroups(this, props?.groups ?? []);
    this.userPoolId = refs.userPoolId;
    this.userPoolArn = refs.userPoolArn;
    this.clientId = refs.clientId;
    this.identityPoolId = refs.identityPoolId;
    this.authenticatedRoleArn = refs.authenticatedRoleArn;
    this.region = refs.region;
    this.endpoint = refs.endpoint;

    let conn = client.CognitoConnection {
      endpoint: "",
      region: refs.region,
      userPoolId: refs.userPoolId,
      clientId: refs.clientId,
      identityPoolId: refs.identityPoolId,
      headerKey: headerKey,
      dnsSuffix: refs.dnsSuffix,
    };
    this.cognito = new client.CognitoClient(conn) as "client";

    // OAuth 2.0 (lib/tfaws/resources.ts built the domain, resource servers and machine clients).
    if props?.domainPrefix != nil {
      this.domainUrl = refs.domainUrl;
    } else {
      this.domainUrl = nil;
    }
    if props?.hostedSignIn != nil {
      this.signInUrl = refs.signInUrl;
    } else {
      this.signInUrl = nil;
    }
    this.oauthClient = new oauth.OAuthClient(
      endpoint: "",
      region: refs.region,
      userPoolId: refs.userPoolId,
      domainUrl: refs.domainUrl,
      machineClients: refs.machineClients,
    ) as "oauth-client";
  }

  /// Requires this instance's authorizer on `method path` and lets authenticated identities invoke it.
  protect(method: str, path: str, options: backend.RouteOptions?) {
    let scopes = options?.scopes ?? [];
    if this.iamAuth && scopes.length > 0 {
      throw "@winglibs/cognito: {method} {path}: OAuth scopes apply to COGNITO_USER_POOLS routes, not AWS_IAM ones";
    }
    let spec = TfawsHelpers.readApiSpec(this.api);
    TfawsHelpers.writeApiSpec(this.api, TfawsHelpers.withProtectedOperation(spec, path, method, this.schemeName, scopes));
    TfawsHelpers.allowInvoke(this, TfawsHelpers.executeApiRouteArn(this.executionArn, this.stageName, method, path));
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

  /// Grants the lifting host exactly the Cognito actions the lifted operations call, on this pool.
  pub onLift(host: std.IInflightHost, ops: Array<str>) {
    let actions = TfawsHelpers.userPoolActionsForOps(ops);
    if actions.length == 0 {
      return;
    }
    if wingaws.AwsInflightHost.isAwsInflightHost(host) {
      let awsHost: wingaws.IAwsInflightHost = unsafeCast(host);
      awsHost.addPolicyStatements({
        effect: wingaws.Effect.ALLOW,
        actions: actions,
        resources: [this.userPoolArn],
      });
    } else {
      throw "@winglibs/cognito: {nodeof(host).path} uses {ops.join(", ")}, which needs {actions.join(", ")} on the user pool, but it is not an AWS inflight host that takes IAM policy statements";
    }
  }

  /// Cognito SignUp with `email` as username and email (see `Cognito.signUp`).
  pub inflight signUp(email: str, password: str): void { this.cognito.signUp(email, password); }
  /// Cognito AdminConfirmSignUp (see `Cognito.adminConfirmUser`).
  pub inflight adminConfirmUser(email: str): void { this.cognito.adminConfirmUser(email); }
  /// USER_PASSWORD_AUTH sign-in returning the ID token (see `Cognito.initiateAuth`).
  pub inflight initiateAuth(email: str, password: str): str { return this.cognito.initiateAuth(email, password); }
  /// USER_PASSWORD_AUTH sign-in returning all three tokens (see `Cognito.signIn`).
  pub inflight signIn(email: str, password: str): backend.AuthTokens { return this.cognito.signIn(email, password); }
  /// Cognito Identity GetId (see `Cognito.getId`).
  pub inflight getId(poolId: str, identityPoolId: str, token: str): str { return this.cognito.getId(poolId, identityPoolId, token); }
  /// Cognito Identity GetCredentialsForIdentity (see `Cognito.getCredentialsForIdentity`).
  pub inflight getCredentialsForIdentity(token: str, identityId: str): Json { return this.cognito.getCredentialsForIdentity(token, identityId); }
  /// The verified caller of a request, or nil (see `Cognito.caller`).
  pub inflight caller(req: cloud.ApiRequest): backend.Caller? { return this.cognito.caller(req); }
  /// Cognito AdminAddUserToGroup (see `Cognito.adminAddUserToGroup`).
  pub inflight adminAddUserToGroup(username: str, group: str): void { this.cognito.adminAddUserToGroup(username, group); }
  /// InitiateAuth with CUSTOM_AUTH (see `Cognito.initiateCustomAuth`).
  pub inflight initiateCustomAuth(username: str): backend.CustomAuthStep { return this.cognito.initiateCustomAuth(username); }
  /// RespondToAuthChallenge with CUSTOM_CHALLENGE (see `Cognito.respondToCustomChallenge`).
  pub inflight respondToCustomChallenge(username: str, session: str, answer: str): backend.CustomAuthStep { return this.cognito.respondToCustomChallenge(username, session, answer); }

  /// Runs `handler` as the pool's `trigger` in its own Lambda function. The pool names the function by an ARN built
  /// from the region, the account and the function's (deterministic) name instead of referencing it, so the function
  /// may use this `Cognito` inflight (its environment references the pool) without a Terraform cycle.
  pub addTrigger(trigger: str, handler: inflight (Json): Json?, lambdaVersion: str) {
    let fn = new cloud.Function(inflight (payload: Json?): Json? => {
      let event = payload!;
      return TriggerEventCode.withResponse(event, handler(event));
    }) as "{trigger}Trigger";
    TfawsHelpers.wireTrigger(this, trigger, fn, lambdaVersion);
  }
  /// USER_AUTH one-time-code sign-in (see `Cognito.startSignIn`).
  pub inflight startSignIn(email: str, method: str?): backend.SignInChallenge { return this.cognito.startSignIn(email, method); }
  /// Answers a one-time-code sign-in (see `Cognito.answerSignIn`).
  pub inflight answerSignIn(email: str, challenge: backend.SignInChallenge, code: str): backend.AuthTokens { return this.cognito.answerSignIn(email, challenge, code); }
  /// SignUp without a password (see `Cognito.signUpWithoutPassword`).
  pub inflight signUpWithoutPassword(email: str): str { return this.cognito.signUpWithoutPassword(email); }
  /// ConfirmSignUp (see `Cognito.confirmSignUp`).
  pub inflight confirmSignUp(email: str, code: str): void { this.cognito.confirmSignUp(email, code); }
  /// ConfirmSignUp, then the first sign-in with its Session (see `Cognito.confirmSignUpAndSignIn`).
  pub inflight confirmSignUpAndSignIn(email: str, code: str, session: str): backend.AuthTokens { return this.cognito.confirmSignUpAndSignIn(email, code, session); }
  /// Throws: AWS sends real messages, there is no list of sent codes to read.
  pub inflight sentCodes(email: str): Array<backend.SentCode> { throw Cognito_tfaws.noSentCodes("sentCodes"); }
  /// Throws: AWS sends real messages, there is no list of sent codes to read.
  pub inflight lastCode(email: str, purpose: str?): str { throw Cognito_tfaws.noSentCodes("lastCode"); }
  /// Why `sentCodes` and `lastCode` fail on tf-aws.
  static inflight noSentCodes(method: str): str {
    return "{method} reads the codes the simulator's local Cognito \"sent\": AWS sends real messages (email by Cognito or Amazon SES, text messages by Amazon SNS), so on tf-aws read them where they arrive, or capture them in a test with onCustomMessage";
  }
  /// A `client_credentials` token of a machine client (see `Cognito.machineToken`).
  pub inflight machineToken(name: str, scopes: Array<str>?): str { return this.oauthClient.machineToken(name, scopes); }
  /// Throws: the test identity provider exists only in the simulator.
  pub inflight federatedSignIn(email: str, user: backend.FederatedUserOptions?): backend.AuthTokens {
    throw "federatedSignIn signs in through the simulator's test identity provider, which is never deployed on tf-aws: sign in through a real identity provider on the hosted page (auth.signInUrl)";
  }
}
