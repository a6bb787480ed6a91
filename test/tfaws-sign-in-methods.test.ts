// The tf-aws backend's choice-based sign-in: compiles test/tfaws/passwordless.main.w with `wing compile -t tf-aws` and
// checks what cdktf's escape hatch wrote (user_pool_tier, sign_in_policy, web_authn_configuration), ALLOW_USER_AUTH on
// the app client, and the AWS provider version the stack then asks for; an app without signInMethods keeps Wing's pin.
// Compiling WEB_AUTHN without a relying party id nor a domain fails with what to change. `terraform validate` and
// `plan` of the fixture (with its provider constraint kept) run in test/tfaws-terraform.test.ts.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CHOICE_BASED_SIGN_IN_PROVIDER } from "../lib/tfaws/resources";
import { mainTfJsonOfSnapshot } from "./support/terraform-wing";
import { REPO, runWing } from "./support/wing-cli";

type Resource = { [key: string]: any };

describe("tf-aws signInMethods and passkeys", () => {
  const outdirs: string[] = [];
  let tf: { terraform: Resource; resource: { [type: string]: { [name: string]: Resource } } };
  let refused: { code: number | null; output: string };

  before(async () => {
    fs.mkdirSync(path.join(REPO, "target"), { recursive: true });
    const compile = async (fixture: string) => {
      const outdir = fs.mkdtempSync(path.join(REPO, "target", `tfaws-sign-in-${fixture}-`));
      outdirs.push(outdir);
      return { outdir, ...(await runWing(["compile", "-t", "tf-aws", path.join("test", "tfaws", `${fixture}.main.w`), "-o", outdir])) };
    };
    const [ok, failed] = await Promise.all([compile("passwordless"), compile("passkeys-without-domain")]);
    assert.equal(ok.code, 0, ok.output);
    tf = JSON.parse(fs.readFileSync(path.join(ok.outdir, "main.tf.json"), "utf8"));
    refused = failed;
  });
  after(() => outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  test("the user pool: ESSENTIALS, PASSWORD beside the chosen factors, the passkey relying party and verification", () => {
    const pools = Object.values(tf.resource.aws_cognito_user_pool);
    assert.equal(pools.length, 1);
    const pool = pools[0]!;
    assert.equal(pool.user_pool_tier, "ESSENTIALS");
    assert.deepEqual(pool.sign_in_policy, [{ allowed_first_auth_factors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"] }]);
    assert.deepEqual(pool.web_authn_configuration, [{ relying_party_id: "app.example.com", user_verification: "required" }]);
  });

  test("the app client allows USER_AUTH beside the password flows", () => {
    const client = Object.values(tf.resource.aws_cognito_user_pool_client)[0]!;
    assert.deepEqual(client.explicit_auth_flows, ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
  });

  test("the stack asks for an AWS provider that has the new fields; apps without them keep Wing's pin", () => {
    assert.equal(CHOICE_BASED_SIGN_IN_PROVIDER, ">= 5.83.0");
    assert.deepEqual(tf.terraform.required_providers.aws, { source: "aws", version: CHOICE_BASED_SIGN_IN_PROVIDER });
    const seed = mainTfJsonOfSnapshot(fs.readFileSync(path.join(REPO, "test", "seed.test.w.tf-aws.snap.md"), "utf8"));
    assert.match(seed["terraform"].required_providers.aws.version, /^\d+\.\d+\.\d+$/);
    const seedPool = Object.values<Resource>(seed["resource"].aws_cognito_user_pool)[0]!;
    assert.equal(seedPool.user_pool_tier, undefined);
    assert.equal(seedPool.sign_in_policy, undefined);
  });

  test("WEB_AUTHN without a relying party id nor a domain fails the compile with what to change", () => {
    assert.notEqual(refused.code, 0);
    assert.match(refused.output, /@winglibs\/cognito: WEB_AUTHN on tf-aws needs a relying party id: set passkeys\.relyingPartyId/);
  });
});
