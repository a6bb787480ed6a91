// Unit test of the shared Terraform test helper (test/support/terraform-cli.ts): provider discovery, the provider
// block it writes, and the isolated environment terraform runs with. Running terraform itself is covered by
// test/integration/terraform-provider.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { awsProviderConfig, findAwsProvider, terraformSkipReason, TerraformWorkspace } from "../support/terraform-cli";

test("a missing provider mirror gives a skip reason naming the directory", () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-plugins-"));
  try {
    assert.equal(findAwsProvider(empty), undefined);
    const reason = terraformSkipReason(empty);
    assert.equal(typeof reason, "string");
    assert.ok((reason as string).includes(empty) || (reason as string).includes("terraform is not on PATH"));
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

test("a mirrored provider is found with its version", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plugins-"));
  try {
    const osArch = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
    for (const v of ["5.9.0", "5.100.0"]) {
      const d = path.join(dir, "registry.terraform.io/hashicorp/aws", v, osArch);
      fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(path.join(d, `terraform-provider-aws_v${v}_x5`), "#!/bin/sh\n", { mode: 0o755 });
    }
    const found = findAwsProvider(dir);
    assert.equal(found?.version, "5.100.0");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the provider block points at the given endpoints and skips every AWS check", () => {
  const config = awsProviderConfig({ region: "eu-west-1", endpoints: { cognitoidp: "http://127.0.0.1:9" } }, { version: "5.100.0", binary: "/x" }) as any;
  assert.deepEqual(config.terraform.required_providers.aws, { source: "hashicorp/aws", version: "5.100.0" });
  const aws = config.provider.aws[0];
  assert.equal(aws.region, "eu-west-1");
  assert.deepEqual(aws.endpoints, [{ cognitoidp: "http://127.0.0.1:9" }]);
  for (const k of ["skip_credentials_validation", "skip_requesting_account_id", "skip_metadata_api_check", "skip_region_validation"]) assert.equal(aws[k], true, k);
});

test("terraform runs with its own CLI config, automation mode and no caller AWS_/TF_ variables", { skip: terraformSkipReason() }, () => {
  process.env.TF_LOG_TEST_LEAK = "1";
  process.env.AWS_PROFILE_TEST_LEAK = "x";
  const ws = TerraformWorkspace.create();
  try {
    const env = ws.env();
    assert.equal(env.TF_LOG_TEST_LEAK, undefined);
    assert.equal(env.AWS_PROFILE_TEST_LEAK, undefined);
    assert.equal(env.TF_IN_AUTOMATION, "1");
    assert.equal(env.CHECKPOINT_DISABLE, "1");
    assert.ok(fs.readFileSync(env.TF_CLI_CONFIG_FILE!, "utf8").includes("filesystem_mirror"));
  } finally {
    delete process.env.TF_LOG_TEST_LEAK;
    delete process.env.AWS_PROFILE_TEST_LEAK;
    ws.remove();
  }
});
