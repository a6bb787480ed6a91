// Tests the simulator resource (platform/sim.w + lib/sim/resource.ts) in a real Wing simulator: the Console's
// fields, users table, codes table and "confirm pending" button see the local pool, and a restart with the
// same state directory keeps the pool ids, the endpoint's port and the users (as a `wing it` restart does).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Simulator } from "@winglang/sdk/lib/simulator";
import type { IFunctionClient } from "@winglang/sdk/lib/cloud";
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { compileSimApp, type CompiledSimApp } from "./support/sim-app";

const AUTH = "root/Default/Cognito/sim";
/** The Console view lives on the `Cognito` node itself, the one a person selects. */
const VIEW = "root/Default/Cognito";
let app: CompiledSimApp;

before(() => {
  app = compileSimApp("cognito-sim-resource-", [
    "let api = new cloud.Api();",
    'api.get("/hello", inflight (req) => { return { status: 200 }; });',
    "let auth = new cognito.Cognito(api);",
    'auth.get("/hello");',
  ]);
});

after(() => fs.rmSync(app.work, { recursive: true, force: true }));

test("the Console view uses only components the 0.85 Console draws, on the Cognito node", () => {
  const tree = JSON.parse(fs.readFileSync(path.join(app.simdir, "tree.json"), "utf8"));
  const node = tree.tree.children.Default.children.Cognito;
  const ui = node.display.ui as Array<{ kind: string; label?: string }>;
  // The Console's custom-resource view draws fields, buttons, tables, file browsers and HTTP clients; not sections.
  assert.deepEqual(ui.map((c) => c.kind), ["field", "field", "field", "field", "field", "table", "button", "field", "table"]);
  assert.deepEqual(ui.filter((c) => c.kind !== "table").map((c) => c.label), [
    "Endpoint", "User pool id", "Client id", "Identity pool id", "Users", "Confirm pending sign-ups", "Codes",
  ]);
  assert.equal(node.children.sim.display?.ui, undefined, "nothing is left on the sim child");
});

const invoke = async (sim: Simulator, p: string): Promise<unknown> => (sim.getResource(`${VIEW}/${p}`) as IFunctionClient).invoke();

test("the Console view and a restart of the simulator", { timeout: 180_000 }, async () => {
  const email = "console@wing.cloud";
  const password = "Console-Passw0rd!";
  let sim = new Simulator({ simfile: app.simdir, stateDir: app.stateDir });
  await sim.start();
  let attrs: Record<string, string>;
  let idp: CognitoIdentityProviderClient | undefined;
  try {
    attrs = sim.getResourceConfig(`${AUTH}/LocalCognito`).attrs;
    assert.match(attrs.userPoolId!, /^us-east-1_[A-Za-z0-9]{9}$/);
    assert.match(attrs.identityPoolId!, /^us-east-1:[0-9a-f-]{36}$/);
    assert.match(attrs.endpoint!, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(await invoke(sim, "Endpoint/Handler"), attrs.endpoint);
    assert.equal(await invoke(sim, "UserPoolId/Handler"), attrs.userPoolId);
    assert.equal(await invoke(sim, "ClientId/Handler"), attrs.clientId);

    idp = new CognitoIdentityProviderClient({ region: "us-east-1", endpoint: attrs.endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    await idp.send(new SignUpCommand({ ClientId: attrs.clientId, Username: email, Password: password, UserAttributes: [{ Name: "email", Value: email }] }));

    const users = (await invoke(sim, "Users/scan")) as Array<Record<string, string>>;
    assert.deepEqual(users, [{ login: email, status: "UNCONFIRMED" }], "two short columns: login and status");

    const codes = (await invoke(sim, "Codes/scan")) as Array<Record<string, string>>;
    assert.equal(codes.length, 1);
    assert.deepEqual(Object.keys(codes[0]!).sort(), ["code", "purpose", "user"]);
    assert.equal(codes[0]!.purpose, "sign-up");
    assert.match(codes[0]!.code!, /^\d{6}$/);
    assert.equal(codes[0]!.user, email);

    await invoke(sim, "ConfirmPending/Handler");
    const confirmed = (await invoke(sim, "Users/scan")) as Array<Record<string, string>>;
    assert.deepEqual(confirmed, [{ login: email, status: "CONFIRMED" }]);
  } finally {
    idp?.destroy();
    await sim.stop();
  }

  sim = new Simulator({ simfile: app.simdir, stateDir: app.stateDir });
  await sim.start();
  try {
    const again = sim.getResourceConfig(`${AUTH}/LocalCognito`).attrs;
    assert.equal(again.userPoolId, attrs.userPoolId, "the pool survives a restart");
    assert.equal(again.clientId, attrs.clientId);
    assert.equal(again.identityPoolId, attrs.identityPoolId);
    assert.equal(again.endpoint, attrs.endpoint, "the endpoint keeps its port when it is free");
    const users = (await invoke(sim, "Users/scan")) as Array<Record<string, string>>;
    assert.deepEqual(users, [{ login: email, status: "CONFIRMED" }]);
    const client = new CognitoIdentityProviderClient({ region: "us-east-1", endpoint: again.endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    const out = await client.send(
      new InitiateAuthCommand({ AuthFlow: "USER_PASSWORD_AUTH", ClientId: again.clientId, AuthParameters: { USERNAME: email, PASSWORD: password } }),
    );
    client.destroy();
    assert.ok(out.AuthenticationResult?.IdToken, "the user signs in after the restart");
  } finally {
    await sim.stop();
  }
});
