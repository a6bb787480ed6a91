// `npm start` as a newcomer runs it: the CLI prints one line with its endpoint, honours --port/--data/--region, applies
// a --seed file (pools, clients, groups, users) idempotently, and rejects bad flags.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  AdminGetUserCommand, AdminListGroupsForUserCommand, CognitoIdentityProviderClient, CreateIdentityProviderCommand, CreateUserPoolClientCommand, CreateUserPoolCommand,
  CreateUserPoolDomainCommand, InitiateAuthCommand, ListUserPoolsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { TEST_CREDENTIALS } from "../support/local-service";
import { _federatedSignIn } from "../../lib/inflight/federated-sign-in";

const ROOT = path.resolve(__dirname, "../..");
const CLI = path.join(ROOT, "lib/service/cli.ts");

function startCli(args: string[]): Promise<{ url: string; lines: string[]; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`no start line: ${lines.join("\n")}`)), 30_000);
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      lines.push(...parts);
      const start = lines.find((l) => l.startsWith("Local Cognito listening on "));
      const seeded = !args.includes("--seed") || lines.some((l) => l.startsWith("  client "));
      if (start && seeded) {
        clearTimeout(timer);
        resolve({
          url: /on (http:\/\/\S+)/.exec(start)![1],
          lines,
          stop: () => new Promise<void>((r) => {
            child.once("exit", () => r());
            child.kill("SIGTERM");
          }),
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code}: ${lines.join("\n")}`)));
  });
}

test("the CLI prints its endpoint, applies a seed file once, and keeps state in --data", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-cli-"));
  const seedFile = path.join(dir, "seed.json");
  fs.writeFileSync(seedFile, JSON.stringify({
    UserPools: [{
      PoolName: "seeded",
      UsernameAttributes: ["email"],
      Clients: [{ ClientName: "web", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }],
      Groups: ["admins"],
      Users: [{ Username: "ada@example.com", Password: "Seeded-Passw0rd!", Attributes: { email_verified: "true" }, Groups: ["admins"] }],
    }],
  }));
  const data = path.join(dir, "data");
  try {
    const first = await startCli(["--port", "0", "--data", data, "--region", "eu-west-1", "--seed", seedFile]);
    assert.match(first.lines[0], /^Local Cognito listening on http:\/\/127\.0\.0\.1:\d+ \(region eu-west-1, data /);
    const poolLine = first.lines.find((l) => l.startsWith("pool seeded: "))!;
    const userPoolId = poolLine.split(": ")[1];
    assert.match(userPoolId, /^eu-west-1_[0-9A-Za-z]{9}$/);
    const clientId = first.lines.find((l) => l.startsWith("  client web: "))!.split(": ")[1];
    const idp = new CognitoIdentityProviderClient({ endpoint: first.url, region: "eu-west-1", credentials: TEST_CREDENTIALS });
    const signIn = await idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "ada@example.com", PASSWORD: "Seeded-Passw0rd!" } }));
    assert.ok(signIn.AuthenticationResult?.IdToken);
    const groups = await idp.send(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: "ada@example.com" }));
    assert.deepEqual(groups.Groups?.map((g) => g.GroupName), ["admins"]);
    idp.destroy();
    await first.stop();

    const second = await startCli(["--port", "0", "--data", data, "--region", "eu-west-1", "--seed", seedFile]);
    assert.ok(second.lines.includes(`pool seeded: ${userPoolId} (existing)`), second.lines.join("\n"));
    const idp2 = new CognitoIdentityProviderClient({ endpoint: second.url, region: "eu-west-1", credentials: TEST_CREDENTIALS });
    assert.equal((await idp2.send(new ListUserPoolsCommand({ MaxResults: 10 }))).UserPools?.length, 1);
    idp2.destroy();
    await second.stop();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("bad flags are refused with the usage line", () => {
  const res = spawnSync(process.execPath, ["--import", "tsx", CLI, "--port", "http"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(res.status, 1);
  assert.match(res.stderr, /--port must be a port number/);
  assert.match(res.stderr, /Usage: npm start --/);
});

test("--test-idp runs the test identity provider next to the service; a pool federates with it as the CLI prints", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-cli-idp-"));
  const cli = await startCli(["--port", "0", "--data", dir, "--test-idp", "--test-idp-port", "0"]);
  try {
    const deadline = Date.now() + 20_000;
    let detailsLine: string | undefined;
    while (!(detailsLine = cli.lines.find((l) => l.includes("--provider-details '"))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(detailsLine, cli.lines.join("\n"));
    assert.ok(cli.lines.some((l) => /^Test identity provider at http:\/\/127\.0\.0\.1:\d+$/.test(l)), cli.lines.join("\n"));
    // The printed details, as the AWS CLI's shorthand would pass them.
    const details = Object.fromEntries(/--provider-details '([^']+)'/.exec(detailsLine)![1]!.match(/\w+="[^"]*"/g)!.map((pair) => {
      const eq = pair.indexOf("=");
      return [pair.slice(0, eq), JSON.parse(pair.slice(eq + 1)) as string];
    }));
    assert.equal(details.client_id, "local-cognito");
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, "test-idp.json"), "utf8")).clientSecret, details.client_secret);
    const idp = new CognitoIdentityProviderClient({ endpoint: cli.url, region: "us-east-1", credentials: TEST_CREDENTIALS });
    const poolId = (await idp.send(new CreateUserPoolCommand({ PoolName: "cli-idp" }))).UserPool!.Id!;
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: "cli-idp" }));
    await idp.send(new CreateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: "TestIdP", ProviderType: "OIDC", ProviderDetails: details, AttributeMapping: { email: "email", name: "name" } }));
    const clientId = (await idp.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: "web", AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["code"], AllowedOAuthScopes: ["openid", "email"],
      CallbackURLs: ["http://localhost:3000/callback"], SupportedIdentityProviders: ["COGNITO", "TestIdP"],
    }))).UserPoolClient!.ClientId!;
    const tokens = await _federatedSignIn({ domainUrl: `${cli.url}/cli-idp`, clientId, callbackUrl: "http://localhost:3000/callback", scopes: ["openid", "email"], providerName: "TestIdP" }, "ada@example.com", { name: "Ada" });
    const claims = JSON.parse(Buffer.from(tokens.idToken.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    assert.equal(claims.email, "ada@example.com");
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: claims["cognito:username"] as string }));
    assert.equal(user.UserStatus, "EXTERNAL_PROVIDER");
  } finally {
    await cli.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
