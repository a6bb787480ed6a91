// The Terraform resources of one tf-aws Cognito instance (user pool, app client, identity pool, its roles and
// outputs), built here rather than in Wing so that no .w file brings "@cdktf/provider-aws": the Wing compiler would
// then load the provider's 100 MB type manifest on every target, the simulator included. This module and the
// provider submodules it imports are only loaded when a tf-aws app calls it (Wing requires externs lazily).
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { CognitoIdentityPool } from "@cdktf/provider-aws/lib/cognito-identity-pool";
import { CognitoIdentityPoolRolesAttachment } from "@cdktf/provider-aws/lib/cognito-identity-pool-roles-attachment";
import { CognitoUserPool, type CognitoUserPoolConfig } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { identityPoolTrustPolicy, invokePolicy } from "./iam";
import type { CognitoResourceNames } from "./names";
import { defaultPasswordPolicy, emailConfiguration, userPoolSchema, type EmailOptions } from "./user-pool";

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

  const appClient = new CognitoUserPoolClient(scope, "user-pool-client", {
    name: names.userPoolClient,
    userPoolId: userPool.id,
    explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    generateSecret: false,
    preventUserExistenceErrors: "ENABLED",
  });

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
  };
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
