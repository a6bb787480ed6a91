// Tests that a pool's triggers keep working when the simulator restarts on the same state directory (as `wing it`
// does on every reload): the local Cognito reuses the pool it made before, and the trigger's host registers it again.
// A PreSignUp that auto-confirms is called for a sign-up before the restart and for one after it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { Simulator } from "@winglang/sdk/lib/simulator";
import { AdminGetUserCommand, CognitoIdentityProviderClient, DescribeUserPoolCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { compileSimApp, type CompiledSimApp } from "./support/sim-app";

const LOCAL = "root/Default/Cognito/sim/LocalCognito";
let app: CompiledSimApp;

before(() => {
  app = compileSimApp("cognito-trigger-restart-", [
    "let api = new cloud.Api();",
    'api.get("/hello", inflight (req) => { return { status: 200 }; });',
    "let auth = new cognito.Cognito(api);",
    'auth.get("/hello");',
    "auth.onPreSignUp(inflight (event) => {",
    "  return { autoConfirmUser: true, autoVerifyEmail: true };",
    "});",
  ]);
});

after(() => fs.rmSync(app.work, { recursive: true, force: true }));

/** Signs `email` up through the SDK and returns what SignUp answered and the user's status. */
async function signUp(attrs: Record<string, string>, email: string): Promise<{ confirmed: boolean | undefined; status: string | undefined; triggers: unknown }> {
  const idp = new CognitoIdentityProviderClient({ region: "us-east-1", endpoint: attrs.endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  try {
    const out = await idp.send(new SignUpCommand({ ClientId: attrs.clientId, Username: email, Password: "Restart-Passw0rd!", UserAttributes: [{ Name: "email", Value: email }] }));
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: attrs.userPoolId, Username: email }));
    const pool = await idp.send(new DescribeUserPoolCommand({ UserPoolId: attrs.userPoolId }));
    return { confirmed: out.UserConfirmed, status: user.UserStatus, triggers: pool.UserPool?.LambdaConfig?.PreSignUp };
  } finally {
    idp.destroy();
  }
}

test("a PreSignUp trigger still runs after the simulator restarts on the same state", { timeout: 180_000 }, async () => {
  let sim = new Simulator({ simfile: app.simdir, stateDir: app.stateDir });
  await sim.start();
  let first: Record<string, string>;
  try {
    first = sim.getResourceConfig(LOCAL).attrs;
    const before = await signUp(first, "before@wing.cloud");
    assert.equal(before.confirmed, true, "auto-confirmed by the trigger");
    assert.equal(before.status, "CONFIRMED");
    assert.ok(before.triggers, "the pool's LambdaConfig names the trigger");
  } finally {
    await sim.stop();
  }

  sim = new Simulator({ simfile: app.simdir, stateDir: app.stateDir });
  await sim.start();
  try {
    const again = sim.getResourceConfig(LOCAL).attrs;
    assert.equal(again.userPoolId, first.userPoolId, "the pool is reused, not made again");
    const afterRestart = await signUp(again, "after@wing.cloud");
    assert.equal(afterRestart.confirmed, true, "the trigger runs after the restart too");
    assert.equal(afterRestart.status, "CONFIRMED");
    assert.ok(afterRestart.triggers);
  } finally {
    await sim.stop();
  }
});
