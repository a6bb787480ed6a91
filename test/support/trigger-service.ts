// Test support: a local service whose triggers run in a Lambda Invoke stand-in, set up around a test file with
// node:test hooks (started before, stopped after, stand-in functions and calls cleared before each test).
import { after, before, beforeEach } from "node:test";
import { httpLambdaInvoker } from "../../lib/service/lambda-invoke";
import { startLambdaStandIn, type LambdaStandIn } from "./lambda-stand-in";
import { startTestService, type TestService } from "./local-service";

/** Registers the hooks; `ready` is called once both are up. Triggers time out after 1.2 s (AWS: 5 s). */
export function useTriggerService(ready: (lambdas: LambdaStandIn, service: TestService) => void): void {
  let lambdas: LambdaStandIn | undefined;
  let service: TestService | undefined;
  before(async () => {
    lambdas = await startLambdaStandIn();
    service = await startTestService({ lambdaInvoker: httpLambdaInvoker(lambdas.url), triggerTimeoutMs: 1200 });
    ready(lambdas, service);
  });
  after(async () => {
    await service?.stop();
    await lambdas?.close();
  });
  beforeEach(() => {
    lambdas?.functions.clear();
    if (lambdas) lambdas.calls.length = 0;
  });
}
