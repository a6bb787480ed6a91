// Snapshot check of the library's Wing tests on tf-aws, offline: synthesizes every test/*.test.w for AWS and compares
// main.tf.json with the committed <file>.tf-aws.snap.md. Wing names Lambda code assets by a hash of the bundle, whose
// source map holds the checkout's absolute path and whose code depends on the installed esbuild, so those two asset
// names are masked; everything else must match exactly (`wing test -s assert` would fail on any other clone path).
// After an intended change, refresh them with: npx wing test -t tf-aws -s update test/*.test.w
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO, runWing } from "./support/wing-cli";

const UPDATE = "npx wing test -t tf-aws -s update test/*.test.w";

const testFiles = fs
  .readdirSync(path.join(REPO, "test"))
  .filter((name) => name.endsWith(".test.w"))
  .sort()
  .map((name) => path.join("test", name));


test("every Wing test file has a committed tf-aws snapshot", () => {
  assert.ok(testFiles.includes(path.join("test", "tfaws.test.w")), "test/tfaws.test.w is missing");
  const missing = testFiles.filter((file) => !fs.existsSync(path.join(REPO, `${file}.tf-aws.snap.md`)));
  assert.deepEqual(missing, [], `no snapshot for ${missing.join(", ")}; create it with: ${UPDATE}`);
});

/** The snapshot with the machine-dependent asset names of bundled Lambda code masked. */
function portable(snapshot: string): string {
  return snapshot
    .replace(/"key": "asset\.[0-9a-f]+\.[0-9a-f]+\.zip"/g, '"key": "asset.<bundle-hash>.zip"')
    .replace(/"source": "assets\/([^/"]+)\/[0-9A-F]+\/archive\.zip"/g, '"source": "assets/$1/<bundle-hash>/archive.zip"');
}

test("the tf-aws synthesis of every Wing test file matches its snapshot", async () => {
  const committed = new Map(testFiles.map((file) => [file, fs.readFileSync(path.join(REPO, `${file}.tf-aws.snap.md`), "utf8")]));
  let fresh: Map<string, string>;
  try {
    const { code, output } = await runWing(["test", "-t", "tf-aws", "-s", "update", ...testFiles]);
    assert.equal(code, 0, output);
    fresh = new Map(testFiles.map((file) => [file, fs.readFileSync(path.join(REPO, `${file}.tf-aws.snap.md`), "utf8")]));
  } finally {
    for (const [file, text] of committed) fs.writeFileSync(path.join(REPO, `${file}.tf-aws.snap.md`), text);
  }
  for (const file of testFiles) {
    const snapshot = committed.get(file)!;
    assert.equal(portable(fresh.get(file)!), portable(snapshot), `${file}: tf-aws synthesis changed. If intended, refresh the snapshots with: ${UPDATE}`);
    assert.match(snapshot, /"aws_cognito_user_pool":/, `${file}: its snapshot has no user pool`);
    assert.match(snapshot, /x-amazon-apigateway-authtype/, `${file}: its snapshot has no authorizer`);
  }
});
