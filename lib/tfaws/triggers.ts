// The trigger wiring of the tf-aws backend: the deterministic name of a trigger's Lambda function (known at synth,
// unlike its ARN attribute, so the user pool can name it without depending on it) and the pool's lambda_config block.
import type { Construct } from "constructs";
import { CognitoUserGroup } from "@cdktf/provider-aws/lib/cognito-user-group";
import { CognitoUserPool, type CognitoUserPoolLambdaConfig } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";

/** The `lambda_config` block of aws_cognito_user_pool, as @cdktf/provider-aws takes it. */
export interface UserPoolLambdaConfig {
  [member: string]: unknown;
}

/** The LambdaConfig member of each trigger, in the provider's spelling. */
const MEMBERS: Record<string, string> = {
  PreSignUp: "preSignUp",
  CustomMessage: "customMessage",
  PostConfirmation: "postConfirmation",
  PreAuthentication: "preAuthentication",
  PostAuthentication: "postAuthentication",
  DefineAuthChallenge: "defineAuthChallenge",
  CreateAuthChallenge: "createAuthChallenge",
  VerifyAuthChallengeResponse: "verifyAuthChallengeResponse",
  UserMigration: "userMigration",
};

/** The name a tf-aws `cloud.Function` deploys under (`aws.Function.name`), a plain string at synth time. */
export function functionNameOf(fn: unknown): string {
  const name = (fn as { name?: unknown }).name;
  if (typeof name !== "string" || name.includes("${")) throw new Error("@winglibs/cognito: a trigger must be a tf-aws Lambda function with a known name");
  return name;
}

/**
 * The lambda_config block for `arns` (trigger name → function ARN). PreTokenGeneration V1_0 is the classic
 * `pre_token_generation`; V2_0 goes in `pre_token_generation_config` (set by `wireTrigger` as an override: the
 * provider bindings of @cdktf/provider-aws 19.9 predate that block, the Terraform provider has it).
 */
export function lambdaConfigOf(arns: Readonly<Record<string, string>>, preTokenVersion: string): UserPoolLambdaConfig {
  const config: UserPoolLambdaConfig = {};
  for (const [trigger, arn] of Object.entries(arns)) {
    if (trigger === "PreTokenGeneration") {
      if (preTokenVersion !== "V1_0" && preTokenVersion !== "V2_0") throw new Error(`@winglibs/cognito: lambdaVersion must be V1_0 or V2_0, got ${preTokenVersion}`);
      if (preTokenVersion === "V1_0") config.preTokenGeneration = arn;
      continue;
    }
    const member = MEMBERS[trigger];
    if (!member) throw new Error(`@winglibs/cognito: unknown trigger ${trigger}`);
    config[member] = arn;
  }
  return config;
}

/** The trigger ARNs (and PreTokenGeneration version) of each instance, to rewrite its lambda_config as triggers add up. */
const wired = new WeakMap<Construct, { arns: Record<string, string>; preTokenVersion: string }>();

function child<T>(scope: Construct, id: string): T {
  const found = scope.node.tryFindChild(id);
  if (!found) throw new Error(`@winglibs/cognito: ${scope.node.path} has no ${id} (createCognitoResources was not called)`);
  return found as T;
}

/**
 * Wires the Lambda function `fn` as `trigger` of the instance's user pool: lambda_config names it by a built ARN
 * (region, account, the function's known name: no reference to the function, hence no cycle when the function uses
 * the pool), an aws_lambda_permission lets cognito-idp.amazonaws.com invoke it from this pool only, and the custom-auth
 * triggers enable ALLOW_CUSTOM_AUTH on the app client.
 */
export function wireTrigger(scope: Construct, trigger: string, fn: unknown, lambdaVersion: string): void {
  const userPool = child<CognitoUserPool>(scope, "user-pool");
  const appClient = child<CognitoUserPoolClient>(scope, "user-pool-client");
  const region = child<DataAwsRegion>(scope, "region");
  const account = (scope.node.tryFindChild("account") as DataAwsCallerIdentity | undefined) ?? new DataAwsCallerIdentity(scope, "account");
  const name = functionNameOf(fn);
  const state = wired.get(scope) ?? { arns: {}, preTokenVersion: "V1_0" };
  wired.set(scope, state);
  if (state.arns[trigger]) throw new Error(`@winglibs/cognito: ${scope.node.path} already has a ${trigger} trigger`);
  state.arns[trigger] = `arn:aws:lambda:${region.name}:${account.accountId}:function:${name}`;
  if (trigger === "PreTokenGeneration") state.preTokenVersion = lambdaVersion || "V1_0";
  userPool.putLambdaConfig(lambdaConfigOf(state.arns, state.preTokenVersion) as CognitoUserPoolLambdaConfig);
  if (trigger === "PreTokenGeneration" && state.preTokenVersion !== "V1_0") {
    userPool.addOverride("lambda_config.pre_token_generation_config", { lambda_arn: state.arns[trigger], lambda_version: state.preTokenVersion });
  }
  new LambdaPermission(scope, `${trigger}-permission`, {
    action: "lambda:InvokeFunction",
    functionName: (fn as { functionName: string }).functionName,
    principal: "cognito-idp.amazonaws.com",
    sourceArn: userPool.arn,
  });
  if (["DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse"].includes(trigger)) {
    const flows = appClient.explicitAuthFlowsInput ?? [];
    if (!flows.includes("ALLOW_CUSTOM_AUTH")) appClient.explicitAuthFlows = [...flows, "ALLOW_CUSTOM_AUTH"];
  }
}

/** Creates the user pool groups `groups` of the instance. */
export function createGroups(scope: Construct, groups: readonly string[]): void {
  const userPool = child<CognitoUserPool>(scope, "user-pool");
  for (const group of groups) new CognitoUserGroup(scope, `group-${group}`, { name: group, userPoolId: userPool.id });
}
