// Installs the library the way users do: `wing pack` makes the tarball, a fresh Wing app in a temp dir runs
// `npm install winglang <tarball>`, writes `bring cognito` with the seed's usage, and its simulator test
// passes (a signed-in user gets 200, a caller without a token 401). Needs the npm registry (or its cache).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const repo = path.resolve(__dirname, "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "cognito-pack-"));
after(() => fs.rmSync(work, { recursive: true, force: true }));

const env = { ...process.env, WING_DISABLE_ANALYTICS: "1", npm_config_update_notifier: "false" };

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.status, 0, `${cmd} ${args.join(" ")} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

const APP = `bring cloud;
bring cognito;
bring expect;
bring http;

let api = new cloud.Api();
api.get("/hello", inflight (req) => {
  return  {
    status: 200
  };
});

let auth = new cognito.Cognito(api);
auth.get("/hello");

test "auth happy path" {
  auth.signUp("fakeId@wing.cloud", "This-is-my-test-99!");
  auth.adminConfirmUser("fakeId@wing.cloud");
  let token = auth.initiateAuth("fakeId@wing.cloud", "This-is-my-test-99!");
  let res = http.get("{api.url}/hello", headers: {
    "Authorization": "Bearer {token}"
  });
  expect.equal(res.status, 200);
}

test "no token, no entry" {
  expect.equal(http.get("{api.url}/hello").status, 401);
}
`;

test("wing pack makes a tarball that a fresh Wing app installs and brings", { timeout: 600_000 }, () => {
  const tarball = path.join(work, "winglibs-cognito.tgz");
  run("npx", ["wing", "pack", "-o", tarball], repo);
  assert.ok(fs.statSync(tarball).size > 0, "wing pack produced no tarball");
  const listing = run("tar", ["tzf", tarball], work).stdout;
  for (const file of ["package/cognito.w", "package/platform/sim.w", "package/lib/inflight/client.ts", "package/lib/service/index.ts"]) {
    assert.ok(listing.includes(file), `the tarball lacks ${file}`);
  }

  const app = path.join(work, "app");
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "cognito-pack-check", private: true }));
  const wingVersion = (JSON.parse(fs.readFileSync(path.join(repo, "node_modules/winglang/package.json"), "utf8")) as { version: string }).version;
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", `winglang@${wingVersion}`, tarball], app);
  fs.writeFileSync(path.join(app, "main.test.w"), APP);

  const result = run("npx", ["wing", "test", "main.test.w"], app);
  const out = result.stdout + result.stderr;
  assert.match(out, /pass .*auth happy path/, out);
  assert.match(out, /pass .*no token, no entry/, out);
  assert.match(out, /Tests 2 passed \(2\)/, out);
});
