// The Terraform resources of one tf-aws Cognito instance (user pool, app client, identity pool, its roles and
// outputs), built here rather than in Wing so that no .w file brings "@cdktf/provider-aws": the Wing compiler would
// then load the provider's 100 MB type manifest on every target, the simulator included. This module and the
// provider submodules it imports are only loaded when a tf-aws app calls it (Wing requires externs lazily).
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { CognitoIdentityPool } from "@cdktf/provider-aws/lib/cognito-identity-pool";
import { CognitoIdentityPoolRolesAttachment } from "@cdktf/provider-aws/lib/cognito-identity-pool-roles-attachment";
import { CognitoUserPool, type CognitoUserPoolConfig } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { CognitoIdentityProvider } from "@cdktf/provider-aws/lib/cognito-identity-provider";
import { CognitoResourceServer } from "@cdktf/provider-aws/lib/cognito-resource-server";
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";
import { CognitoUserPoolDomain } from "@cdktf/provider-aws/lib/cognito-user-pool-domain";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { identityProviderSpecs, type IdentityProviderOptions, type ProviderSpec } from "../identity-provider-options";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { identityPoolTrustPolicy, invokePolicy } from "./iam";
import type { CognitoResourceNames } from "./names";
import { defaultPasswordPolicy, emailConfiguration, userPoolSchema, type EmailOptions } from "./user-pool";
import { resourceKey, signInUrl } from "./oauth";
import { signInSettings, type SignInSettings } from "../sign-in-methods";

/**
 * The first AWS provider release with `user_pool_tier`, `sign_in_policy` and `web_authn_configuration` on
 * aws_cognito_user_pool and `ALLOW_USER_AUTH` in the client's `explicit_auth_flows` (hashicorp/terraform-provider-aws
 * #40765, released in 5.83.0). Wing pins 5.56.1, which has none of them: an app that uses them asks for this or newer.
 */
export const CHOICE_BASED_SIGN_IN_PROVIDER = ">= 5.83.0";

/** What one instance asks for (platform/tfaws.w `TfawsCognitoConfig`). */
export interface TfawsCognitoConfig {
  readonly names: CognitoResourceNames;
  readonly usernameAttributes: readonly string[];
  readonly autoVerifiedAttributes: readonly string[];
  readonly schema?: unknown;
  readonly allowUnauthenticatedIdentities: boolean;
  /** Whether authenticated identities get an `execute-api:Invoke` policy on the protected routes (AWS_IAM). */
  readonly iamAuth: boolean;
  readonly deletionProtection: boolean;
  readonly email?: EmailOptions;
  /** The user pool domain's prefix (platform/backend.w `BackendOptions.domainPrefix`). */
  readonly domainPrefix?: string;
  /** Hosted sign-in settings of the app client (platform/backend.w `HostedSignInOptions`). */
  readonly hostedSignIn?: { readonly callbackUrls: readonly string[]; readonly logoutUrls?: readonly string[]; readonly flows?: readonly string[]; readonly scopes?: readonly string[] };
  /** Resource servers (platform/backend.w `ResourceServerOptions`). */
  readonly resourceServers?: ReadonlyArray<{ readonly identifier: string; readonly name?: string; readonly scopes: readonly string[] }>;
  /** Machine clients (platform/backend.w `MachineClientOptions`). */
  readonly machineClients?: ReadonlyArray<{ readonly name: string; readonly scopes: readonly string[] }>;
  /** External identity providers (platform/backend.w `IdentityProviderOptions`). */
  readonly identityProviders?: readonly IdentityProviderOptions[];
  /** Choice-based sign-in's first factors (platform/backend.w `BackendOptions.signInMethods`). */
  readonly signInMethods?: readonly string[];
  /** Passkey settings (platform/backend.w `PasskeyOptions`). */
  readonly passkeys?: { readonly relyingPartyId?: string; readonly userVerification?: string };
}

/** Terraform references to what was built (platform/tfaws.w `TfawsCognitoRefs`). */
export interface TfawsCognitoRefs {
  readonly userPoolId: string;
  readonly userPoolArn: string;
  readonly clientId: string;
  readonly identityPoolId: string;
  readonly authenticatedRoleArn: string;
  readonly region: string;
  /** The partition's DNS suffix (`amazonaws.com`, `amazonaws.com.cn`, ...). */
  readonly dnsSuffix: string;
  /** `https://cognito-idp.<region>.<dnsSuffix>`. */
  readonly endpoint: string;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`, or "" without a domain. */
  readonly domainUrl: string;
  /** The hosted sign-in page for the first callback URL, or "" without hosted sign-in. */
  readonly signInUrl: string;
  /** Machine client ids by name. */
  readonly machineClients: { readonly [name: string]: string };
}

/** Per instance: what `allowInvoke` needs to grow the authenticated role's invoke policy. */
interface InstanceState {
  readonly config: TfawsCognitoConfig;
  readonly authenticatedRole: IamRole;
  readonly routeArns: Set<string>;
  invokePolicy?: IamRolePolicy;
}

const instances = new WeakMap<Construct, InstanceState>();

/** Builds the Cognito resources of one instance under `scope` (the instance's own construct). */
export function createCognitoResources(scope: Construct, config: TfawsCognitoConfig): TfawsCognitoRefs {
  const { names } = config;
  const signIn = signInSettings("tf-aws", config);
  const region = new DataAwsRegion(scope, "region");
  const partition = new DataAwsPartition(scope, "partition");

  const poolConfig: CognitoUserPoolConfig = {
    name: names.userPool,
    usernameAttributes: [...config.usernameAttributes],
    autoVerifiedAttributes: [...config.autoVerifiedAttributes],
    schema: userPoolSchema(config.usernameAttributes, config.schema),
    passwordPolicy: defaultPasswordPolicy(),
    deletionProtection: config.deletionProtection ? "ACTIVE" : "INACTIVE",
    ...(config.email !== undefined ? { emailConfiguration: emailConfiguration(config.email) } : {}),
  };
  const userPool = new CognitoUserPool(scope, "user-pool", poolConfig);
  applySignInSettings(userPool, signIn);

  // OAuth 2.0: the pool's domain and resource servers, which the clients' scopes refer to.
  const domainUrl = config.domainPrefix !== undefined ? `https://${config.domainPrefix}.auth.${region.name}.amazoncognito.com` : "";
  if (config.domainPrefix !== undefined) new CognitoUserPoolDomain(scope, "user-pool-domain", { domain: config.domainPrefix, userPoolId: userPool.id });
  const resourceServers = (config.resourceServers ?? []).map((server) => new CognitoResourceServer(scope, `resource-server-${resourceKey(server.identifier)}`, {
    identifier: server.identifier,
    name: server.name ?? server.identifier,
    userPoolId: userPool.id,
    scope: server.scopes.map((name) => ({ scopeName: name, scopeDescription: name })),
  }));
  const hosted = config.hostedSignIn;
  const identityProviders = identityProviderSpecs(config.identityProviders, hosted !== undefined, false).map((spec) => identityProvider(scope, userPool, spec));
  const hostedFlows = [...(hosted?.flows ?? ["code"])];
  const hostedScopes = [...(hosted?.scopes ?? ["openid", "email", "profile"])];

  const appClient = new CognitoUserPoolClient(scope, "user-pool-client", {
    name: names.userPoolClient,
    userPoolId: userPool.id,
    explicitAuthFlows: [...(signIn.userAuth ? ["ALLOW_USER_AUTH"] : []), "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    generateSecret: false,
    preventUserExistenceErrors: "ENABLED",
    ...(hosted !== undefined
      ? {
          allowedOauthFlowsUserPoolClient: true,
          allowedOauthFlows: hostedFlows,
          allowedOauthScopes: hostedScopes,
          callbackUrls: [...hosted.callbackUrls],
          ...(hosted.logoutUrls !== undefined ? { logoutUrls: [...hosted.logoutUrls] } : {}),
          supportedIdentityProviders: ["COGNITO", ...identityProviders.map((p) => p.providerName)],
          // Custom scopes exist only once their resource servers do (providers are referenced, so they come first).
          dependsOn: resourceServers,
        }
      : {}),
  });
  const machineClients: { [name: string]: string } = {};
  for (const machine of config.machineClients ?? []) {
    machineClients[machine.name] = new CognitoUserPoolClient(scope, `machine-client-${resourceKey(machine.name)}`, {
      name: `${names.userPoolClient}-${machine.name}`,
      userPoolId: userPool.id,
      generateSecret: true,
      allowedOauthFlowsUserPoolClient: true,
      allowedOauthFlows: ["client_credentials"],
      allowedOauthScopes: [...machine.scopes],
      supportedIdentityProviders: ["COGNITO"],
      dependsOn: resourceServers,
    }).id;
  }

  const identityPool = new CognitoIdentityPool(scope, "identity-pool", {
    identityPoolName: names.identityPool,
    allowUnauthenticatedIdentities: config.allowUnauthenticatedIdentities,
    allowClassicFlow: false,
    // The identity pool asks the user pool whether a token is still valid, so signed-out users stop getting credentials.
    cognitoIdentityProviders: [{ clientId: appClient.id, providerName: userPool.endpoint, serverSideTokenCheck: true }],
  });

  // Signed-in users get a role that may only invoke the routes this instance protects (AWS_IAM), or nothing.
  const authenticatedRole = new IamRole(scope, "authenticated-role", {
    namePrefix: names.authenticatedRolePrefix,
    description: `Authenticated users of Cognito identity pool ${names.identityPool}`,
    assumeRolePolicy: identityPoolTrustPolicy(identityPool.id, "authenticated"),
  });
  const roles: { [amr: string]: string } = { authenticated: authenticatedRole.arn };
  if (config.allowUnauthenticatedIdentities) {
    // Guests can get credentials, but their role has no permissions at all.
    const guestRole = new IamRole(scope, "unauthenticated-role", {
      namePrefix: names.unauthenticatedRolePrefix,
      description: `Unauthenticated identities of Cognito identity pool ${names.identityPool}`,
      assumeRolePolicy: identityPoolTrustPolicy(identityPool.id, "unauthenticated"),
    });
    roles["unauthenticated"] = guestRole.arn;
  }
  new CognitoIdentityPoolRolesAttachment(scope, "roles-attachment", { identityPoolId: identityPool.id, roles });

  // Terraform outputs for the AWS CLI: `terraform output -raw <base>-client-id`, and so on.
  const outputs: { [key: string]: string } = {
    "user-pool-id": userPool.id,
    "client-id": appClient.id,
    "identity-pool-id": identityPool.id,
    region: region.name,
  };
  for (const [key, value] of Object.entries(outputs)) {
    const output = new TerraformOutput(scope, `output-${key}`, {
      value,
      description: `The Cognito ${key} of ${scope.node.path}`,
    });
    output.overrideLogicalId(`${names.base}-${key}`);
  }

  instances.set(scope, { config, authenticatedRole, routeArns: new Set() });
  return {
    userPoolId: userPool.id,
    userPoolArn: userPool.arn,
    clientId: appClient.id,
    identityPoolId: identityPool.id,
    authenticatedRoleArn: authenticatedRole.arn,
    region: region.name,
    dnsSuffix: partition.dnsSuffix,
    endpoint: `https://cognito-idp.${region.name}.${partition.dnsSuffix}`,
    domainUrl,
    signInUrl: hosted !== undefined && hosted.callbackUrls.length > 0 && domainUrl !== "" ? signInUrl(domainUrl, appClient.id, hostedFlows, hostedScopes, hosted.callbackUrls[0]) : "",
    machineClients,
  };
}

/**
 * Writes the chosen sign-in methods into the pool: `user_pool_tier`, `sign_in_policy` and `web_authn_configuration`.
 * @cdktf/provider-aws 19.9.0 has no typed fields for them, so they go in through cdktf's escape hatch, and the stack
 * then asks for an AWS provider version that knows them. Nothing changes without `signInMethods`.
 */
function applySignInSettings(userPool: CognitoUserPool, signIn: SignInSettings): void {
  if (signIn.factors.length === 0) return;
  userPool.addOverride("user_pool_tier", signIn.tier);
  userPool.addOverride("sign_in_policy", [{ allowed_first_auth_factors: signIn.factors }]);
  if (signIn.passkeys) {
    userPool.addOverride("web_authn_configuration", [{
      // Without one, Cognito uses the pool's domain as the relying party id.
      ...(signIn.relyingPartyId !== "" ? { relying_party_id: signIn.relyingPartyId } : {}),
      user_verification: signIn.userVerification,
    }]);
  }
  TerraformStack.of(userPool).addOverride("terraform.required_providers.aws.version", CHOICE_BASED_SIGN_IN_PROVIDER);
}

/**
 * One aws_cognito_identity_provider. Its secret (client secret, or Apple's private key) is read from the
 * `cloud.Secret`'s Secrets Manager secret by a data source, so the configuration holds only a reference to it
 * (`${data.aws_secretsmanager_secret_version.<id>.secret_string}`), never the value.
 */
function identityProvider(scope: Construct, userPool: CognitoUserPool, spec: ProviderSpec): CognitoIdentityProvider {
  const key = resourceKey(spec.name);
  const details: { [key: string]: string } = { ...spec.details };
  if (spec.secret !== undefined) {
    const secretArn = (spec.secret as { secretArn?: unknown }).secretArn;
    if (typeof secretArn !== "string") throw new Error(`@winglibs/cognito: identity provider ${spec.name}: clientSecret must be a cloud.Secret of the tf-aws target`);
    details[spec.secretDetail] = new DataAwsSecretsmanagerSecretVersion(scope, `identity-provider-${key}-secret`, { secretId: secretArn }).secretString;
  }
  return new CognitoIdentityProvider(scope, `identity-provider-${key}`, {
    userPoolId: userPool.id,
    providerName: spec.name,
    providerType: spec.type,
    providerDetails: details,
    attributeMapping: spec.attributeMapping,
    ...(spec.identifiers.length > 0 ? { idpIdentifiers: spec.identifiers } : {}),
  });
}

/**
 * Lets the instance's authenticated identities invoke the route `routeArn` (an execute-api ARN). Only AWS_IAM
 * routes check the caller's IAM permissions, so with a user pools authorizer this grants nothing.
 */
export function allowInvoke(scope: Construct, routeArn: string): void {
  const state = instances.get(scope);
  if (state === undefined) {
    throw new Error(`@winglibs/cognito: ${scope.node.path} has no Cognito resources (createCognitoResources was not called)`);
  }
  if (!state.config.iamAuth) return;
  state.routeArns.add(routeArn);
  const policy = invokePolicy([...state.routeArns]);
  if (state.invokePolicy !== undefined) {
    state.invokePolicy.policy = policy;
  } else {
    state.invokePolicy = new IamRolePolicy(scope, "invoke-policy", {
      name: "invoke-protected-routes",
      role: state.authenticatedRole.id,
      policy,
    });
  }
}
