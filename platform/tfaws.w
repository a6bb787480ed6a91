// The tf-aws backend: a user pool, app client, identity pool and identity pool roles, plus an
// API Gateway authorizer merged into the api's OpenAPI body. Routes keep their aws_proxy integration.
bring cloud;
bring aws as wingaws;
bring "@cdktf/provider-aws" as aws;
bring "cdktf" as cdktf;
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

/// The TypeScript helpers of this backend, all pure except the two api spec accessors.
class TfawsHelpers {
  extern "../lib/tfaws/names.ts" pub static cognitoResourceNames(path: str, addr: str, name: str?): CognitoResourceNames;
  extern "../lib/tfaws/user-pool.ts" pub static userPoolSchema(usernameAttributes: Array<str>, schema: Json?): Array<aws.cognitoUserPool.CognitoUserPoolSchema>;
  extern "../lib/tfaws/user-pool.ts" pub static defaultPasswordPolicy(): aws.cognitoUserPool.CognitoUserPoolPasswordPolicy;
  extern "../lib/tfaws/authorizer.ts" pub static cognitoUserPoolsScheme(headerKey: str, userPoolArn: str): Json;
  extern "../lib/tfaws/authorizer.ts" pub static awsSigv4Scheme(): Json;
  extern "../lib/tfaws/iam.ts" pub static identityPoolTrustPolicy(identityPoolId: str, amr: str): str;
  extern "../lib/tfaws/iam.ts" pub static invokePolicy(routeArns: Array<str>): str;
  extern "../lib/tfaws/iam.ts" pub static executeApiRouteArn(executionArn: str, stage: str, method: str, path: str): str;
  extern "../lib/tfaws/iam.ts" pub static userPoolActionsForOps(ops: Array<str>): Array<str>;
  extern "../lib/tfaws/api-spec.ts" pub static withSecurityScheme(spec: Json, name: str, scheme: Json): Json;
  extern "../lib/tfaws/api-spec.ts" pub static withProtectedOperation(spec: Json, path: str, method: str, schemeName: str, scopes: Array<str>): Json;
  extern "../lib/tfaws/oauth.ts" pub static resourceKey(name: str): str;
  extern "../lib/tfaws/oauth.ts" pub static signInUrl(domainUrl: str, clientId: str, flows: Array<str>, scopes: Array<str>, callbackUrl: str): str;
  extern "../lib/api-internals.ts" pub static readApiSpec(api: cloud.Api): Json;
  extern "../lib/api-internals.ts" pub static writeApiSpec(api: cloud.Api, spec: Json): void;
}

/// Amazon Cognito on AWS in front of a `cloud.Api` deployed with tf-aws.
pub class Cognito_tfaws impl backend.ICognitoBackend {
  /// The user pool id (`<region>_<id>`).
  pub userPoolId: str;
  /// The app client id.
  pub clientId: str;
  /// The identity pool id (`<region>:<uuid>`).
  pub identityPoolId: str;
  /// `https://cognito-idp.<region>.amazonaws.com`.
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
  authenticatedRole: aws.iamRole.IamRole;
  protectedRouteArns: MutArray<str>;
  var invokePolicy: aws.iamRolePolicy.IamRolePolicy?;
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
    this.protectedRouteArns = MutArray<str>[];
    this.invokePolicy = nil;

    let names = TfawsHelpers.cognitoResourceNames(nodeof(this).path, nodeof(this).addr, props?.name);
    this.schemeName = names.securityScheme;
    let usernameAttributes = props?.usernameAttributes ?? ["email"];
    let headerKey = props?.headerKey ?? "Authorization";
    let allowUnauthenticated = props?.allowUnauthenticatedIdentities ?? false;

    let region = new aws.dataAwsRegion.DataAwsRegion() as "region";

    let userPool = new aws.cognitoUserPool.CognitoUserPool(
      name: names.userPool,
      usernameAttributes: usernameAttributes,
      autoVerifiedAttributes: props?.autoVerifiedAttributes ?? ["email"],
      schema: TfawsHelpers.userPoolSchema(usernameAttributes, props?.schema),
      passwordPolicy: TfawsHelpers.defaultPasswordPolicy(),
    ) as "user-pool";

    let appClient = new aws.cognitoUserPoolClient.CognitoUserPoolClient(
      name: names.userPoolClient,
      userPoolId: userPool.id,
      explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      generateSecret: false,
      preventUserExistenceErrors: "ENABLED",
    ) as "user-pool-client";

    // OAuth 2.0: the pool's domain, resource servers, the client's hosted sign-in settings and machine clients.
    if (props?.hostedSignIn != nil || (props?.machineClients ?? []).length > 0) && props?.domainPrefix == nil {
      throw "@winglibs/cognito: hostedSignIn and machineClients need a user pool domain: set the domainPrefix option";
    }
    let var domainUrl: str? = nil;
    if let prefix = props?.domainPrefix {
      new aws.cognitoUserPoolDomain.CognitoUserPoolDomain(domain: prefix, userPoolId: userPool.id) as "user-pool-domain";
      domainUrl = "https://{prefix}.auth.{region.name}.amazoncognito.com";
    }
    let resourceServers = MutArray<cdktf.ITerraformDependable>[];
    let resourceServerFqns = MutArray<str>[];
    for server in props?.resourceServers ?? [] {
      let scopes = MutArray<aws.cognitoResourceServer.CognitoResourceServerScope>[];
      for scope in server.scopes {
        scopes.push({ scopeName: scope, scopeDescription: scope });
      }
      let resourceServer = new aws.cognitoResourceServer.CognitoResourceServer(
        identifier: server.identifier,
        name: server.name ?? server.identifier,
        userPoolId: userPool.id,
        scope: scopes.copy(),
      ) as "resource-server-{TfawsHelpers.resourceKey(server.identifier)}";
      resourceServers.push(resourceServer);
      resourceServerFqns.push("{resourceServer.terraformResourceType}.{resourceServer.friendlyUniqueId}");
    }
    let var signInUrl: str? = nil;
    if let hosted = props?.hostedSignIn {
      let flows = hosted.flows ?? ["code"];
      let scopes = hosted.scopes ?? ["openid", "email", "profile"];
      appClient.allowedOauthFlowsUserPoolClient = true;
      appClient.allowedOauthFlows = flows;
      appClient.allowedOauthScopes = scopes;
      appClient.callbackUrls = hosted.callbackUrls;
      if let logoutUrls = hosted.logoutUrls {
        appClient.logoutUrls = logoutUrls;
      }
      appClient.supportedIdentityProviders = ["COGNITO"];
      // Custom scopes exist only once their resource servers do.
      appClient.dependsOn = resourceServerFqns.copy();
      if hosted.callbackUrls.length > 0 {
        signInUrl = TfawsHelpers.signInUrl(domainUrl ?? "", appClient.id, flows, scopes, hosted.callbackUrls.at(0));
      }
    }
    let machineClients = MutMap<str>{};
    for machine in props?.machineClients ?? [] {
      let machineClient = new aws.cognitoUserPoolClient.CognitoUserPoolClient(
        name: "{names.userPoolClient}-{machine.name}",
        userPoolId: userPool.id,
        generateSecret: true,
        allowedOauthFlowsUserPoolClient: true,
        allowedOauthFlows: ["client_credentials"],
        allowedOauthScopes: machine.scopes,
        supportedIdentityProviders: ["COGNITO"],
        dependsOn: resourceServers.copy(),
      ) as "machine-client-{TfawsHelpers.resourceKey(machine.name)}";
      machineClients.set(machine.name, machineClient.id);
    }
    this.domainUrl = domainUrl;
    this.signInUrl = signInUrl;
    this.oauthClient = new oauth.OAuthClient(
      endpoint: "",
      region: region.name,
      userPoolId: userPool.id,
      domainUrl: domainUrl ?? "",
      machineClients: machineClients.copy(),
    ) as "oauth-client";

    let identityPool = new aws.cognitoIdentityPool.CognitoIdentityPool(
      identityPoolName: names.identityPool,
      allowUnauthenticatedIdentities: allowUnauthenticated,
      allowClassicFlow: false,
      cognitoIdentityProviders: [{
        clientId: appClient.id,
        providerName: userPool.endpoint,
        serverSideTokenCheck: false,
      }],
    ) as "identity-pool";

    // Signed-in users get a role that may only invoke the routes this instance protects.
    this.authenticatedRole = new aws.iamRole.IamRole(
      namePrefix: names.authenticatedRolePrefix,
      description: "Authenticated users of Cognito identity pool {names.identityPool}",
      assumeRolePolicy: TfawsHelpers.identityPoolTrustPolicy(identityPool.id, "authenticated"),
    ) as "authenticated-role";
    let roles = MutMap<str>{ "authenticated" => this.authenticatedRole.arn };
    if allowUnauthenticated {
      // Guests can get credentials, but their role has no permissions at all.
      let guestRole = new aws.iamRole.IamRole(
        namePrefix: names.unauthenticatedRolePrefix,
        description: "Unauthenticated identities of Cognito identity pool {names.identityPool}",
        assumeRolePolicy: TfawsHelpers.identityPoolTrustPolicy(identityPool.id, "unauthenticated"),
      ) as "unauthenticated-role";
      roles.set("unauthenticated", guestRole.arn);
    }
    new aws.cognitoIdentityPoolRolesAttachment.CognitoIdentityPoolRolesAttachment(
      identityPoolId: identityPool.id,
      roles: roles.copy(),
    ) as "roles-attachment";

    // The authorizer: merged into the api's OpenAPI components next to any other scheme.
    let var scheme = TfawsHelpers.cognitoUserPoolsScheme(headerKey, userPool.arn);
    if iamAuth {
      scheme = TfawsHelpers.awsSigv4Scheme();
    }
    TfawsHelpers.writeApiSpec(api, TfawsHelpers.withSecurityScheme(TfawsHelpers.readApiSpec(api), this.schemeName, scheme));

    this.userPoolId = userPool.id;
    this.userPoolArn = userPool.arn;
    this.clientId = appClient.id;
    this.identityPoolId = identityPool.id;
    this.authenticatedRoleArn = this.authenticatedRole.arn;
    this.region = region.name;
    this.endpoint = "https://cognito-idp.{region.name}.amazonaws.com";
    // Terraform outputs for the AWS CLI: `terraform output -raw <base>-client-id`, and so on.
    let outputs = Map<str>{
      "user-pool-id" => userPool.id,
      "client-id" => appClient.id,
      "identity-pool-id" => identityPool.id,
      "region" => region.name,
    };
    for key in outputs.keys() {
      let output = new cdktf.TerraformOutput(value: outputs.get(key), description: "The Cognito {key} of {nodeof(this).path}") as "output-{key}";
      output.overrideLogicalId("{names.base}-{key}");
    }

    this.cognito = new client.CognitoClient(
      endpoint: "",
      region: region.name,
      userPoolId: userPool.id,
      clientId: appClient.id,
      identityPoolId: identityPool.id,
      headerKey: headerKey,
    ) as "client";
  }

  /// Requires this instance's authorizer on `method path` and lets authenticated identities invoke it.
  protect(method: str, path: str, options: backend.RouteOptions?) {
    let scopes = options?.scopes ?? [];
    if this.iamAuth && scopes.length > 0 {
      throw "@winglibs/cognito: {method} {path}: OAuth scopes apply to COGNITO_USER_POOLS routes, not AWS_IAM ones";
    }
    let spec = TfawsHelpers.readApiSpec(this.api);
    TfawsHelpers.writeApiSpec(this.api, TfawsHelpers.withProtectedOperation(spec, path, method, this.schemeName, scopes));
    this.protectedRouteArns.push(TfawsHelpers.executeApiRouteArn(this.executionArn, this.stageName, method, path));
    let policy = TfawsHelpers.invokePolicy(this.protectedRouteArns.copy());
    if let existing = this.invokePolicy {
      existing.policy = policy;
    } else {
      this.invokePolicy = new aws.iamRolePolicy.IamRolePolicy(
        name: "invoke-protected-routes",
        role: this.authenticatedRole.id,
        policy: policy,
      ) as "invoke-policy";
    }
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
  /// Protects the registered OPTIONS route at `path` (with `options.scopes`, for access tokens carrying one of them).
  pub options(path: str, options: backend.RouteOptions?) { this.protect("OPTIONS", path, options); }
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
  /// A `client_credentials` token of a machine client (see `Cognito.machineToken`).
  pub inflight machineToken(name: str, scopes: Array<str>?): str { return this.oauthClient.machineToken(name, scopes); }
}
