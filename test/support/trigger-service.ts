// Test support: a local service whose triggers run in a Lambda Invoke stand-in, set up around a test file with
// node:test hooks (started before, stopped after, stand-in functions and calls cleared before each test).
import { after, before, beforeEach } from "node:test";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { httpLambdaInvoker } from "../../lib/service/lambda-invoke";
import { startLambdaStandIn, type LambdaStandIn } from "./lambda-stand-in";
import { startTestService, type TestService } from "./local-service";

/** What a test file gets: the Lambda Invoke stand-in, the service, and its SDK client (set once the hooks ran). */
export interface TriggerTestEnv {
  readonly lambdas: LambdaStandIn;
  readonly service: TestService;
  readonly idp: CognitoIdentityProviderClient;
}

/** Registers the hooks and returns the environment they fill in. Triggers time out after 1.2 s (AWS: 5 s). */
export function useTriggerService(): TriggerTestEnv {
  const env = {} as { lambdas: LambdaStandIn; service: TestService; idp: CognitoIdentityProviderClient };
  before(async () => {
    env.lambdas = await startLambdaStandIn();
    env.service = await startTestService({ lambdaInvoker: httpLambdaInvoker(env.lambdas.url), triggerTimeoutMs: 1200 });
    env.idp = env.service.idp;
  });
  after(async () => {
    await env.service?.stop();
    await env.lambdas?.close();
  });
  beforeEach(() => {
    env.lambdas?.functions.clear();
    if (env.lambdas) env.lambdas.calls.length = 0;
  });
  return env;
}
