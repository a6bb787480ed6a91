// Integration test with the AWS CLI v2 (/usr/bin/aws, Debian's awscli): the admin commands of seed 001 run against
// the real service through `--endpoint-url`, with their JSON output checked. Skipped, with a message, without the CLI.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { startTestService, type TestService } from "../support/local-service";

/** Called by full path: pyenv shims may put an AWS CLI v1 first on PATH. */
const AWS_CLI = "/usr/bin/aws";
const skip = fs.existsSync(AWS_CLI) ? false : `${AWS_CLI} is absent: install the AWS CLI v2 (apt-get install -y awscli) to run this test`;

let t: TestService;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `aws --endpoint-url <service> --output json cognito-idp <args>` with local credentials and no user config. */
function runCli(args: string[], cli = AWS_CLI): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("AWS_")) delete env[key];
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: "AKIALOCALCLITEST",
    AWS_SECRET_ACCESS_KEY: "local-cli-secret",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_PAGER: "",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: path.join(t.dataDir, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(t.dataDir, "no-aws-credentials"),
  });
  return new Promise((resolve) => {
    execFile(cli, ["--endpoint-url", t.url, "--output", "json", "cognito-idp", ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a command that must succeed and returns its parsed JSON output ({} for commands that print nothing). */
async function aws(...args: string[]): Promise<Record<string, any>> {
  const r = await runCli(args);
  assert.equal(r.code, 0, `aws ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.stdout.trim() === "" ? {} : (JSON.parse(r.stdout) as Record<string, any>);
}

/** Runs a command that must fail with the AWS exception `name`. */
async function awsFails(name: string, message: string, ...args: string[]): Promise<void> {
  const r = await runCli(args);
  assert.notEqual(r.code, 0, `aws ${args.join(" ")} should have failed`);
  assert.match(r.stderr, new RegExp(`An error occurred \\(${name}\\)`));
  assert.ok(r.stderr.includes(message), `stderr: ${r.stderr}`);
}

/** The CLI prints timestamps as ISO 8601; they must be real, recent times. */
function assertRecentTime(value: unknown) {
  assert.equal(typeof value, "string");
  const ms = Date.parse(value as string);
  assert.ok(Number.isFinite(ms), `not a timestamp: ${String(value)}`);
  assert.ok(Math.abs(Date.now() - ms) < 10 * 60_000, `not recent: ${String(value)}`);
}

describe("AWS CLI v2 against the local service (seed 001 admin commands)", { skip }, () => {
  let poolId = "";
  let clientId = "";

  before(async () => {
    t = await startTestService();
  });
  after(async () => {
    await t?.stop();
  });

  test("create-user-pool", async () => {
    const out = await aws("create-user-pool", "--pool-name", "test-user-pool");
    const pool = out.UserPool;
    assert.match(pool.Id, /^us-east-1_[0-9A-Za-z]{9}$/);
    assert.equal(pool.Name, "test-user-pool");
    assert.equal(pool.Arn, `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool.Id}`);
    assert.equal(pool.Policies.PasswordPolicy.MinimumLength, 8);
    assertRecentTime(pool.CreationDate);
    assertRecentTime(pool.LastModifiedDate);
    poolId = pool.Id;
  });

  test("list-user-pools --max-results 10", async () => {
    const out = await aws("list-user-pools", "--max-results", "10");
    assert.equal(out.UserPools.length, 1);
    const [pool] = out.UserPools;
    assert.equal(pool.Id, poolId);
    assert.equal(pool.Name, "test-user-pool");
    assertRecentTime(pool.CreationDate);
    assertRecentTime(pool.LastModifiedDate);
  });

  test("admin-create-user", async () => {
    const out = await aws("admin-create-user", "--user-pool-id", poolId, "--username", "alice",
      "--user-attributes", "Name=email,Value=alice@example.com", "Name=email_verified,Value=true",
      "--temporary-password", "Temp#Pass1", "--message-action", "SUPPRESS");
    const user = out.User;
    assert.equal(user.Username, "alice");
    assert.equal(user.Enabled, true);
    assert.equal(user.UserStatus, "FORCE_CHANGE_PASSWORD");
    assertRecentTime(user.UserCreateDate);
    const attributes = Object.fromEntries((user.Attributes as Array<{ Name: string; Value: string }>).map((a) => [a.Name, a.Value]));
    assert.match(attributes.sub, /^[0-9a-f-]{36}$/);
    assert.equal(attributes.email, "alice@example.com");
    assert.equal(attributes.email_verified, "true");

    // The seed's bare form: no attributes, generated temporary password, invitation written to the service log.
    const bare = await aws("admin-create-user", "--user-pool-id", poolId, "--username", "bob");
    assert.equal(bare.User.Username, "bob");
    assert.ok(t.logs.some((l) => l.includes(`pool=${poolId} user=bob purpose=ADMIN_CREATE_USER`)));

    await awsFails("UsernameExistsException", "User account already exists", "admin-create-user", "--user-pool-id", poolId, "--username", "alice");
  });

  test("admin-get-user and list-users --filter", async () => {
    const got = await aws("admin-get-user", "--user-pool-id", poolId, "--username", "alice");
    assert.equal(got.Username, "alice");
    assert.ok((got.UserAttributes as Array<{ Name: string }>).some((a) => a.Name === "email"));
    const listed = await aws("list-users", "--user-pool-id", poolId, "--filter", 'email ^= "alice"');
    assert.deepEqual(listed.Users.map((u: { Username: string }) => u.Username), ["alice"]);
    // The CLI paginates ListUsers itself with PaginationToken: a page size of 1 still yields every user.
    const paged = await aws("list-users", "--user-pool-id", poolId, "--page-size", "1");
    assert.deepEqual(paged.Users.map((u: { Username: string }) => u.Username).sort(), ["alice", "bob"]);
  });

  test("create-group and list-groups", async () => {
    const created = await aws("create-group", "--user-pool-id", poolId, "--group-name", "admins", "--description", "Administrators", "--precedence", "1");
    assert.equal(created.Group.GroupName, "admins");
    assert.equal(created.Group.UserPoolId, poolId);
    assert.equal(created.Group.Description, "Administrators");
    assert.equal(created.Group.Precedence, 1);
    assertRecentTime(created.Group.CreationDate);
    await aws("create-group", "--user-pool-id", poolId, "--group-name", "users");
    const listed = await aws("list-groups", "--user-pool-id", poolId);
    assert.deepEqual(listed.Groups.map((g: { GroupName: string }) => g.GroupName), ["admins", "users"]);
    await awsFails("GroupExistsException", "A group with the name admins already exists.", "create-group", "--user-pool-id", poolId, "--group-name", "admins");
  });

  test("admin-add-user-to-group, then list-users-in-group", async () => {
    const added = await runCli(["admin-add-user-to-group", "--user-pool-id", poolId, "--username", "alice", "--group-name", "admins"]);
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.stdout.trim(), "", "AdminAddUserToGroup has no output");
    const members = await aws("list-users-in-group", "--user-pool-id", poolId, "--group-name", "admins");
    assert.equal(members.Users.length, 1);
    assert.equal(members.Users[0].Username, "alice");
    assert.equal(members.Users[0].UserStatus, "FORCE_CHANGE_PASSWORD");
    assert.deepEqual(await aws("list-users-in-group", "--user-pool-id", poolId, "--group-name", "users"), { Users: [] });
    const groups = await aws("admin-list-groups-for-user", "--user-pool-id", poolId, "--username", "alice");
    assert.deepEqual(groups.Groups.map((g: { GroupName: string }) => g.GroupName), ["admins"]);
    await awsFails("ResourceNotFoundException", "Group not found.", "list-users-in-group", "--user-pool-id", poolId, "--group-name", "nope");
  });

  test("create-user-pool-client --generate-secret", async () => {
    const out = await aws("create-user-pool-client", "--user-pool-id", poolId, "--client-name", "test-client", "--generate-secret");
    const client = out.UserPoolClient;
    assert.match(client.ClientId, /^[0-9a-z]{26}$/);
    assert.equal(typeof client.ClientSecret, "string");
    assert.ok(client.ClientSecret.length >= 40);
    assert.equal(client.ClientName, "test-client");
    assert.equal(client.UserPoolId, poolId);
    assertRecentTime(client.CreationDate);
    clientId = client.ClientId;
  });

  test("delete-user-pool-client", async () => {
    const deleted = await runCli(["delete-user-pool-client", "--user-pool-id", poolId, "--client-id", clientId]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.deepEqual(await aws("list-user-pool-clients", "--user-pool-id", poolId), { UserPoolClients: [] });
    await awsFails("ResourceNotFoundException", `User pool client ${clientId} does not exist.`, "describe-user-pool-client", "--user-pool-id", poolId, "--client-id", clientId);
  });

  test("create-user-pool-domain", async () => {
    const domain = `seed-domain-${Date.now()}`;
    const out = await aws("create-user-pool-domain", "--user-pool-id", poolId, "--domain", domain);
    assert.equal(out.CloudFrontDomain, undefined); // a prefix domain answers none, as on AWS
    const described = await aws("describe-user-pool-domain", "--domain", domain);
    assert.equal(described.DomainDescription.UserPoolId, poolId);
    assert.equal(described.DomainDescription.Domain, domain);
    // AWS wants the domain gone before the pool can be deleted.
    const removed = await runCli(["delete-user-pool-domain", "--user-pool-id", poolId, "--domain", domain]);
    assert.equal(removed.code, 0, removed.stderr);
  });

  test("delete-user-pool", async () => {
    const deleted = await runCli(["delete-user-pool", "--user-pool-id", poolId]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.deepEqual(await aws("list-user-pools", "--max-results", "10"), { UserPools: [] });
    await awsFails("ResourceNotFoundException", `User pool ${poolId} does not exist.`, "list-users", "--user-pool-id", poolId);
  });
});

/**
 * An AWS CLI on this machine whose model has the 2025 operations (client secrets, terms): /usr/bin/aws, else the first
 * `aws` on PATH that knows `list-terms`. Debian's CLI here is older than them.
 */
function cliWithNewerOperations(): string | undefined {
  const candidates = [AWS_CLI, ...(process.env.PATH ?? "").split(path.delimiter).map((dir) => path.join(dir, "aws"))];
  for (const cli of [...new Set(candidates)]) {
    if (!fs.existsSync(cli)) continue;
    try {
      execFileSync(cli, ["cognito-idp", "list-terms", "--generate-cli-skeleton"], { stdio: "ignore", timeout: 30_000 });
      return cli;
    } catch {
      // this CLI's model predates the operation
    }
  }
  return undefined;
}

const newerCli = cliWithNewerOperations();

describe("AWS CLI: client secrets and terms", { skip: newerCli ? false : "no AWS CLI on this machine has the 2025 operations (list-terms)" }, () => {
  const run = async (...args: string[]) => {
    const r = await runCli(args, newerCli);
    assert.equal(r.code, 0, `aws ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
    return r.stdout.trim() === "" ? {} : (JSON.parse(r.stdout) as Record<string, any>);
  };
  before(async () => {
    t = await startTestService();
  });
  after(async () => {
    await t?.stop();
  });

  test("add-user-pool-client-secret, list-user-pool-client-secrets, create-terms, list-terms", async () => {
    const poolId = (await run("create-user-pool", "--pool-name", "cli-new-ops")).UserPool.Id as string;
    const clientId = (await run("create-user-pool-client", "--user-pool-id", poolId, "--client-name", "m2m", "--generate-secret")).UserPoolClient.ClientId as string;
    const added = (await run("add-user-pool-client-secret", "--user-pool-id", poolId, "--client-id", clientId)).ClientSecretDescriptor;
    assert.match(added.ClientSecretValue, /^[a-z0-9]{51}$/);
    const listed = (await run("list-user-pool-client-secrets", "--user-pool-id", poolId, "--client-id", clientId)).ClientSecrets as Array<Record<string, unknown>>;
    assert.equal(listed.length, 2);
    assert.ok(listed.every((secret) => secret.ClientSecretValue === undefined));
    const terms = (await run("create-terms", "--user-pool-id", poolId, "--client-id", clientId, "--terms-name", "terms-of-use", "--terms-source", "LINK",
      "--enforcement", "NONE", "--links", "cognito:default=https://example.com/terms")).Terms;
    assert.deepEqual(terms.Links, { "cognito:default": "https://example.com/terms" });
    const all = (await run("list-terms", "--user-pool-id", poolId)).Terms as Array<Record<string, unknown>>;
    assert.deepEqual(all.map((x) => x.TermsId), [terms.TermsId]);
  });
});
