// The tf-aws backend: a user pool, app client, identity pool and identity pool roles, plus an
// API Gateway authorizer merged into the api's OpenAPI body. Routes keep their aws_proxy integration.
bring cloud;
bring aws as wingaws;
bring "@cdktf/provider-aws" as aws;
bring "cdktf" as cdktf;
bring "./backend.w" as backend;
bring "./client.w" as client;

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
  extern "../lib/tfaws/api-spec.ts" pub static withProtectedOperation(spec: Json, path: str, method: str, schemeName: str): Json;
  extern "../lib/api-internals.ts" pub static readApiSpec(api: cloud.Api): Json;
  extern "../lib/api-internals.ts" pub static writeApiSpec(api: cloud.Api, spec: Json): void;
  extern "../lib/tfaws/triggers.ts" pub static functionNameOf(fn: cloud.Function): str;
  extern "../lib/tfaws/triggers.ts" pub static lambdaConfigOf(arns: Map<str>, preTokenVersion: str): aws.cognitoUserPool.CognitoUserPoolLambdaConfig;
}

/// The Lambda side of a trigger on AWS (lib/inflight/trigger-event.ts): Cognito wants the whole event back.
class TriggerEventCode {
  extern "../lib/inflight/trigger-event.ts" pub static inflight withResponse(event: Json, response: Json?): Json;
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

  api: cloud.Api;
  executionArn: str;
  stageName: str;
  schemeName: str;
  authenticatedRole: aws.iamRole.IamRole;
  protectedRouteArns: MutArray<str>;
  var invokePolicy: aws.iamRolePolicy.IamRolePolicy?;
  cognito: client.CognitoClient;
  userPool: aws.cognitoUserPool.CognitoUserPool;
  appClient: aws.cognitoUserPoolClient.CognitoUserPoolClient;
  regionName: str;
  accountId: str;
  triggerArns: MutMap<str>;
  var preTokenVersion: str;

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
    let account = new aws.dataAwsCallerIdentity.DataAwsCallerIdentity() as "account";
    this.regionName = region.name;
    this.accountId = account.accountId;
    this.triggerArns = MutMap<str>{};
    this.preTokenVersion = "V1_0";

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
    this.userPool = userPool;
    this.appClient = appClient;

    for group in props?.groups ?? [] {
      new aws.cognitoUserGroup.CognitoUserGroup(name: group, userPoolId: userPool.id) as "group-{group}";
    }

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

  /// Runs `handler` as the pool's `trigger` in its own Lambda function. The pool names the function by an ARN built
  /// from the region, the account and the function's (deterministic) name instead of referencing it, so the function
  /// may use this `Cognito` inflight (its environment references the pool) without a Terraform cycle.
  pub addTrigger(trigger: str, handler: inflight (Json): Json?, lambdaVersion: str) {
    let fn = new cloud.Function(inflight (payload: Json?): Json? => {
      let event = payload!;
      return TriggerEventCode.withResponse(event, handler(event));
    }) as "{trigger}Trigger";
    let functionName = TfawsHelpers.functionNameOf(fn);
    this.triggerArns.set(trigger, "arn:aws:lambda:{this.regionName}:{this.accountId}:function:{functionName}");
    if trigger == "PreTokenGeneration" {
      this.preTokenVersion = lambdaVersion;
    }
    this.userPool.putLambdaConfig(TfawsHelpers.lambdaConfigOf(this.triggerArns.copy(), this.preTokenVersion));
    if let awsFn = wingaws.Function.from(fn) {
      new aws.lambdaPermission.LambdaPermission(
        action: "lambda:InvokeFunction",
        functionName: awsFn.functionName,
        principal: "cognito-idp.amazonaws.com",
        sourceArn: this.userPool.arn,
      ) as "{trigger}Permission";
    }
    if trigger == "DefineAuthChallenge" || trigger == "CreateAuthChallenge" || trigger == "VerifyAuthChallengeResponse" {
      this.appClient.explicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH"];
    }
  }

  /// Requires this instance's authorizer on `method path` and lets authenticated identities invoke it.
  protect(method: str, path: str) {
    let spec = TfawsHelpers.readApiSpec(this.api);
    TfawsHelpers.writeApiSpec(this.api, TfawsHelpers.withProtectedOperation(spec, path, method, this.schemeName));
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

  /// Protects the registered GET route at `path`.
  pub get(path: str) { this.protect("GET", path); }
  /// Protects the registered POST route at `path`.
  pub post(path: str) { this.protect("POST", path); }
  /// Protects the registered PUT route at `path`.
  pub put(path: str) { this.protect("PUT", path); }
  /// Protects the registered PATCH route at `path`.
  pub patch(path: str) { this.protect("PATCH", path); }
  /// Protects the registered DELETE route at `path`.
  pub delete(path: str) { this.protect("DELETE", path); }
  /// Protects the registered HEAD route at `path`.
  pub head(path: str) { this.protect("HEAD", path); }
  /// Protects the registered OPTIONS route at `path`.
  pub options(path: str) { this.protect("OPTIONS", path); }
  /// Protects the registered CONNECT route at `path`.
  pub connect(path: str) { this.protect("CONNECT", path); }

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
}
