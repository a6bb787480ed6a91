// Terraform itself checks what the tf-aws backend synthesizes, offline: `terraform validate` and `terraform plan` with
// the real AWS provider (mirrored under /opt/tf-plugins) for every tf-aws test app: the committed snapshots of
// test/*.test.w (what `wing test -t tf-aws` synthesizes; test/tfaws-snapshot.test.ts proves they are current) and
// the fixtures test/tfaws/*.main.w that compile (compiled here). The provider talks to a loopback STS stand-in only
// (test/support/terraform-wing.ts). All apps are planned together, as modules of one root (one provider start).
// Skips, saying why, where terraform or the provider is missing.
import { execFile } from "node:child_process";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { terraformSkipReason } from "./support/terraform-cli";
import {
  STAND_IN_ACCOUNT,
  WingTerraform,
  mainTfJsonOfSnapshot,
  relaxedForLocalProvider,
  resourceCount,
  startStsStandIn,
  type PlanAllResult,
} from "./support/terraform-wing";
import { REPO, runWing } from "./support/wing-cli";

const skip = terraformSkipReason();
if (skip) console.log(`# tfaws-terraform skipped: ${skip}`);

/** Fixtures that compile (the others are compile-failure fixtures, checked in test/tfaws-synth.test.ts). */
const FIXTURES = ["options", "two-instances", "cors", "federation", "passwordless"];

const snapshotApps = fs
  .readdirSync(path.join(REPO, "test"))
  .filter((name) => name.endsWith(".test.w.tf-aws.snap.md"))
  .sort();

/** A module name for an app file: `seed.test.w` -> `seed_test_w`. */
const moduleName = (file: string) => file.replace(/[^A-Za-z0-9]+/g, "_");

function explain(result: PlanAllResult): string {
  return [result.validate.stdout, result.validate.stderr, result.plan.stdout.slice(-6000), result.plan.stderr].join("\n");
}

describe("terraform validate and plan of every tf-aws test app", { skip }, () => {
  let terraform: WingTerraform;
  let result: PlanAllResult;
  const outdirs: string[] = [];
  const apps: { name: string; file: string; tf: object; assetsDir?: string }[] = [];

  before(async () => {
    for (const snapshot of snapshotApps) {
      const file = snapshot.replace(".tf-aws.snap.md", "");
      apps.push({ name: moduleName(file), file, tf: mainTfJsonOfSnapshot(fs.readFileSync(path.join(REPO, "test", snapshot), "utf8")) });
    }
    const target = path.join(REPO, "target");
    fs.mkdirSync(target, { recursive: true });
    const compiled = await Promise.all(
      FIXTURES.map(async (fixture) => {
        const outdir = fs.mkdtempSync(path.join(target, `tfaws-terraform-${fixture}-`));
        outdirs.push(outdir);
        const { code, output } = await runWing(["compile", "-t", "tf-aws", path.join("test", "tfaws", `${fixture}.main.w`), "-o", outdir]);
        assert.equal(code, 0, output);
        const file = `${fixture}.main.w`;
        return { name: moduleName(file), file, tf: JSON.parse(fs.readFileSync(path.join(outdir, "main.tf.json"), "utf8")), assetsDir: outdir };
      }),
    );
    apps.push(...compiled);
    terraform = await WingTerraform.create(path.join(os.tmpdir(), "cognito-tfaws-terraform"));
    result = await terraform.planAll(apps);
  });

  after(async () => {
    await terraform?.close();
    outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
  });

  test("terraform validate accepts every app", () => {
    assert.equal(result.validate.code, 0, `terraform validate failed:\n${explain(result)}`);
  });

  test("terraform plan succeeds, creating every resource and changing nothing else", () => {
    assert.equal(result.plan.code, 0, `terraform plan failed:\n${explain(result)}`);
    assert.doesNotMatch(result.plan.stdout + result.plan.stderr, /Warning: (Argument is deprecated|Deprecated)/, explain(result));
    const total = apps.reduce((n, app) => n + resourceCount(app.tf), 0);
    assert.deepEqual(result.summary, { add: total, change: 0, destroy: 0 }, explain(result));
  });

  for (const file of [...snapshotApps.map((s) => s.replace(".tf-aws.snap.md", "")), ...FIXTURES.map((f) => `${f}.main.w`)]) {
    test(`the plan creates every resource of ${file}`, () => {
      const app = apps.find((a) => a.file === file)!;
      assert.ok(resourceCount(app.tf) > 10, `${file}: ${resourceCount(app.tf)} resources`);
      assert.equal(result.created[app.name], resourceCount(app.tf), explain(result));
    });
  }

  test("the provider read the caller identity from the STS stand-in", () => {
    assert.ok(terraform.stsCalls() >= 1, `STS calls: ${terraform.stsCalls()}`);
  });
});

describe("the Terraform support for Wing stacks", () => {
  test("the copy drops Wing's pinned provider, backend and empty provider block, and keeps everything else", () => {
    const tf = mainTfJsonOfSnapshot(fs.readFileSync(path.join(REPO, "test", snapshotApps[0]!), "utf8"));
    assert.match(JSON.stringify(tf["terraform"]), /"required_providers":\{"aws":\{"source":"aws","version":"\d+\.\d+\.\d+"\}\}/);
    const copy = relaxedForLocalProvider(tf);
    assert.equal(copy["terraform"], undefined);
    assert.equal(copy["provider"], undefined);
    assert.deepEqual(copy["resource"], tf["resource"]);
    assert.deepEqual(copy["data"], tf["data"]);
    assert.ok(tf["terraform"], "the input is not mutated");
    // A range the library asked for (choice-based sign-in) stays, for terraform init to check against the mirror.
    const ranged = { ...tf, terraform: { ...tf["terraform"], required_providers: { aws: { source: "aws", version: ">= 5.83.0" } } } };
    assert.deepEqual(relaxedForLocalProvider(ranged)["terraform"], { required_providers: { aws: { source: "aws", version: ">= 5.83.0" } } });
  });

  test("the STS stand-in answers the AWS CLI's GetCallerIdentity, and refuses other actions", { skip: fs.existsSync("/usr/bin/aws") ? false : "no AWS CLI at /usr/bin/aws" }, async () => {
    const sts = await startStsStandIn();
    try {
      const env = { ...process.env, AWS_ACCESS_KEY_ID: "AKIALOCAL", AWS_SECRET_ACCESS_KEY: "local", AWS_DEFAULT_REGION: "us-east-1", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
      const aws = (args: string[]) =>
        new Promise<{ code: number; out: string }>((resolve) =>
          execFile("/usr/bin/aws", ["--endpoint-url", sts.url, "--output", "json", "sts", ...args], { env }, (err, stdout, stderr) =>
            resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
          ),
        );
      const identity = await aws(["get-caller-identity"]);
      assert.equal(identity.code, 0, identity.out);
      assert.deepEqual(JSON.parse(identity.out), {
        UserId: "AIDAOFFLINETERRAFORM0",
        Account: STAND_IN_ACCOUNT,
        Arn: `arn:aws:iam::${STAND_IN_ACCOUNT}:user/terraform-plan`,
      });
      const other = await aws(["get-session-token"]);
      assert.notEqual(other.code, 0);
      assert.match(other.out, /InvalidAction/);
      assert.equal(sts.calls(), 1);
    } finally {
      await sts.close();
    }
  });
});
