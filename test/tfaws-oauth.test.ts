// The tf-aws backend's OAuth 2.0 resources: compiles test/tfaws/oauth.main.w with `wing compile -t tf-aws` and checks
// aws_cognito_user_pool_domain, aws_cognito_resource_server, the app client's OAuth settings, the machine client, the
// scopes in each protected operation's OpenAPI security requirement, and the grant of the function that gets a machine
// token; then `terraform validate` runs on the result with the real AWS provider, offline, when it is installed.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO, runWing } from "./support/wing-cli";
import { TerraformWorkspace, terraformSkipReason } from "./support/terraform-cli";

type Resource = { [key: string]: any };
type Resources = { [type: string]: { [name: string]: Resource } };

const TARGET = path.join(REPO, "target");

describe("tf-aws OAuth resources", () => {
  let outdir: string;
  let tf: { resource: Resources };
  const one = (type: string): Resource => {
    const all = Object.values(tf.resource[type] ?? {});
    assert.equal(all.length, 1, `expected one ${type}, got ${all.length}`);
    return all[0];
  };

  before(async () => {
    fs.mkdirSync(TARGET, { recursive: true });
    outdir = fs.mkdtempSync(path.join(TARGET, "tfaws-oauth-"));
    const { code, output } = await runWing(["compile", "-t", "tf-aws", path.join("test", "tfaws", "oauth.main.w"), "-o", outdir]);
    assert.equal(code, 0, output);
    tf = JSON.parse(fs.readFileSync(path.join(outdir, "main.tf.json"), "utf8")) as { resource: Resources };
  });
  after(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test("a domain and a resource server with its scopes", () => {
    assert.equal(one("aws_cognito_user_pool_domain").domain, "shop-example");
    const server = one("aws_cognito_resource_server");
    assert.equal(server.identifier, "orders");
    assert.equal(server.name, "Orders API");
    assert.deepEqual(server.scope, [{ scope_name: "read", scope_description: "read" }, { scope_name: "write", scope_description: "write" }]);
  });

  test("the app client's hosted sign-in settings and the machine client", () => {
    const clients = Object.values(tf.resource.aws_cognito_user_pool_client);
    assert.equal(clients.length, 2);
    const web = clients.find((c) => c.generate_secret === false)!;
    assert.equal(web.allowed_oauth_flows_user_pool_client, true);
    assert.deepEqual(web.allowed_oauth_flows, ["code"]);
    assert.deepEqual(web.allowed_oauth_scopes, ["openid", "email", "orders/read"]);
    assert.deepEqual(web.callback_urls, ["https://app.example.com/callback"]);
    assert.deepEqual(web.logout_urls, ["https://app.example.com/"]);
    assert.deepEqual(web.supported_identity_providers, ["COGNITO"]);
    assert.equal(web.depends_on.length, 1);
    const machine = clients.find((c) => c.generate_secret === true)!;
    assert.deepEqual(machine.allowed_oauth_flows, ["client_credentials"]);
    assert.deepEqual(machine.allowed_oauth_scopes, ["orders/read"]);
    assert.equal(machine.allowed_oauth_flows_user_pool_client, true);
    assert.equal(machine.depends_on.length, 1);
  });

  test("the scopes in each protected operation's security requirement", () => {
    const restApi = one("aws_api_gateway_rest_api");
    const spec = JSON.parse(restApi.body) as { paths: Record<string, Record<string, { security?: Array<Record<string, string[]>> }>> };
    const scheme = Object.keys(spec.paths["/orders"].get.security![0])[0];
    assert.deepEqual(spec.paths["/orders"].get.security, [{ [scheme]: ["orders/read"] }]);
    assert.deepEqual(spec.paths["/orders"].post.security, [{ [scheme]: ["orders/write", "orders/admin"] }]);
    assert.deepEqual(spec.paths["/profile"].get.security, [{ [scheme]: [] }]);
  });

  test("the function that gets a machine token may read the machine client (for its secret)", () => {
    const policies = Object.values(tf.resource.aws_iam_role_policy ?? {}).map((p) => String(p.policy));
    assert.ok(policies.some((p) => p.includes("cognito-idp:DescribeUserPoolClient")), policies.join("\n"));
  });

  test("terraform validate accepts it", { skip: terraformSkipReason() }, async () => {
    const ws = TerraformWorkspace.create({ parent: TARGET, prefix: "tfaws-oauth-validate-" });
    try {
      fs.cpSync(outdir, ws.dir, { recursive: true });
      // The provider comes from the offline mirror: Wing's own terraform and provider blocks make way for the harness's.
      const main = JSON.parse(fs.readFileSync(path.join(ws.dir, "main.tf.json"), "utf8")) as Record<string, unknown>;
      delete main.terraform;
      delete main.provider;
      ws.write("main.tf.json", main);
      ws.writeAwsProvider();
      await ws.must(["init", "-input=false", "-no-color", "-backend=false", `-plugin-dir=${ws.pluginDir}`]);
      const result = await ws.must(["validate", "-no-color"]);
      assert.match(result.stdout, /The configuration is valid/);
    } finally {
      ws.remove();
    }
  });
});
