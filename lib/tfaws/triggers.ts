// The trigger wiring of the tf-aws backend: the deterministic name of a trigger's Lambda function (known at synth,
// unlike its ARN attribute, so the user pool can name it without depending on it) and the pool's lambda_config block.

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
 * The lambda_config block for `arns` (trigger name → function ARN). PreTokenGeneration goes in
 * `pre_token_generation_config` with its `lambda_version` (V1_0, V2_0); the legacy `pre_token_generation` is left
 * out, as the provider wants one or the other.
 */
export function lambdaConfigOf(arns: Readonly<Record<string, string>>, preTokenVersion: string): UserPoolLambdaConfig {
  const config: UserPoolLambdaConfig = {};
  for (const [trigger, arn] of Object.entries(arns)) {
    if (trigger === "PreTokenGeneration") {
      if (preTokenVersion !== "V1_0" && preTokenVersion !== "V2_0") throw new Error(`@winglibs/cognito: lambdaVersion must be V1_0 or V2_0, got ${preTokenVersion}`);
      config.preTokenGenerationConfig = { lambdaArn: arn, lambdaVersion: preTokenVersion };
      continue;
    }
    const member = MEMBERS[trigger];
    if (!member) throw new Error(`@winglibs/cognito: unknown trigger ${trigger}`);
    config[member] = arn;
  }
  return config;
}
