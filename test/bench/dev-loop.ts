// `npm run bench:dev-loop`: the developer loop, side by side in one run. (1) `wing test` of the seed test (a `Cognito`
// in front of a `cloud.Api`) against the same app and test with a plain `cloud.Api` and no `Cognito`; target: at most
// 1.5 s more. (2) `wing it` on the seed app: the time until the API answers, and until the local Cognito has its pools;
// target: the API answers within 8 s. Runs alternate between the two apps; medians are printed. A benchmark, never a
// timed test (the figures depend on the machine's load).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { killProcessesIn } from "../support/processes";

const REPO = path.resolve(__dirname, "../..");
const WING = path.join(REPO, "node_modules", ".bin", "wing");
const ENV = { ...process.env, WING_DISABLE_ANALYTICS: "1", NO_SIGN_IN: "true", NO_COLOR: "1", FORCE_COLOR: "0" };

const COGNITO_APP = [
  "bring cloud;",
  'bring "$COGNITO" as cognito;',
  "let api = new cloud.Api();",
  'api.get("/hello", inflight (req) => { return { status: 200 }; });',
  "let auth = new cognito.Cognito(api);",
  'auth.get("/hello");',
  "bring expect;",
  "bring http;",
  'test "auth happy path" {',
  '  auth.signUp("fakeId@wing.cloud", "This-is-my-test-99!");',
  '  auth.adminConfirmUser("fakeId@wing.cloud");',
  '  let token = auth.initiateAuth("fakeId@wing.cloud", "This-is-my-test-99!");',
  '  let res = http.get("{api.url}/hello", headers: { "Authorization": "Bearer {token}" });',
  "  expect.equal(res.status, 200);",
  "}",
];
const PLAIN_APP = [
  "bring cloud;",
  "let api = new cloud.Api();",
  'api.get("/hello", inflight (req) => { return { status: 200 }; });',
  "bring expect;",
  "bring http;",
  'test "happy path" {',
  '  let res = http.get("{api.url}/hello");',
  "  expect.equal(res.status, 200);",
  "}",
];

function appDir(name: string, lines: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dev-loop-${name}-`));
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
  const cognito = path.relative(dir, path.join(REPO, "cognito.w"));
  fs.writeFileSync(path.join(dir, "main.test.w"), lines.map((l) => l.replace("$COGNITO", cognito)).join("\n"));
  return dir;
}

/** Seconds `wing test main.test.w` takes in `dir`; throws when the test fails. */
function wingTest(dir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(WING, ["test", "main.test.w"], { cwd: dir, env: ENV, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`wing test failed in ${dir}:\n${out}`));
      resolve(Number(process.hrtime.bigint() - started) / 1e9);
    });
  });
}

/** The `lastPort` of the first `fileName` under `dir` that has one (resource state the simulator writes). */
function findPort(dir: string, fileName: string): number | undefined {
  if (!fs.existsSync(dir)) return undefined;
  for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
    if (path.basename(entry) !== fileName) continue;
    try {
      const port = (JSON.parse(fs.readFileSync(path.join(dir, entry), "utf8")) as { lastPort?: number }).lastPort;
      if (port) return port;
    } catch {
      // being written
    }
  }
  return undefined;
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/** `wing it` on the Cognito app: seconds until the API answers, and until the local Cognito's pools are ready. */
async function wingIt(dir: string): Promise<{ api: number; cognito: number }> {
  const statedir = path.join(dir, "state");
  fs.rmSync(statedir, { recursive: true, force: true }); // a previous run's ports must not be mistaken for this one's
  const started = process.hrtime.bigint();
  const child = spawn(WING, ["it", "--no-open", "--no-update-check", "-p", "0", "--statedir", statedir, "main.test.w"], {
    cwd: dir, env: ENV, stdio: "ignore", detached: true,
  });
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    let api: number | undefined;
    let cognito: number | undefined;
    while ((api === undefined || cognito === undefined) && elapsed() < 600 && child.exitCode === null) {
      const apiPort = findPort(statedir, "state.json");
      if (api === undefined && apiPort && (await answers(`http://127.0.0.1:${apiPort}/hello`))) api = elapsed();
      // The resource writes cognito-sim.json once its pools exist.
      const cognitoPort = findPort(statedir, "cognito-sim.json");
      if (cognito === undefined && cognitoPort && (await answers(`http://127.0.0.1:${cognitoPort}/_local/health`))) cognito = elapsed();
      await new Promise((r) => setTimeout(r, 100));
    }
    if (api === undefined || cognito === undefined) {
      throw new Error(`wing it did not answer within 600 s (API port ${findPort(statedir, "state.json")}, Cognito port ${findPort(statedir, "cognito-sim.json")}, child exit ${child.exitCode})`);
    }
    return { api, cognito };
  } finally {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 500));
    killProcessesIn(dir);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (x: number) => `${x.toFixed(2)} s`;

async function main(): Promise<void> {
  const runs = Number(process.env.DEV_LOOP_RUNS ?? 3);
  const withCognito = appDir("cognito", COGNITO_APP);
  const plain = appDir("plain", PLAIN_APP);
  try {
    console.log(`Developer loop: ${runs} alternating runs of each (medians); ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`);
    await wingTest(plain); // first-ever run warms the compiler's and Node's caches for both
    const tCognito: number[] = [];
    const tPlain: number[] = [];
    for (let i = 0; i < runs; i++) {
      tPlain.push(await wingTest(plain));
      tCognito.push(await wingTest(withCognito));
    }
    const its: { api: number; cognito: number }[] = [];
    for (let i = 0; i < runs; i++) its.push(await wingIt(withCognito));
    const [mc, mp] = [median(tCognito), median(tPlain)];
    console.log("\n| measure | with Cognito | plain cloud.Api | difference | target |\n|---|---|---|---|---|");
    console.log(`| wing test (seed test) | ${s(mc)} | ${s(mp)} | ${s(mc - mp)} (${(mc / mp).toFixed(2)}x) | at most 1.5 s more: ${mc - mp <= 1.5 ? "met" : "NOT met"} |`);
    const api = median(its.map((x) => x.api));
    const cognito = median(its.map((x) => x.cognito));
    console.log(`| wing it: API answers | ${s(api)} | - | - | within 8 s: ${api <= 8 ? "met" : "NOT met"} |`);
    console.log(`| wing it: local Cognito ready | ${s(cognito)} | - | - | - |`);
    console.log(`\nAll runs (s): wing test with Cognito ${tCognito.map((x) => x.toFixed(2)).join(", ")}; plain ${tPlain.map((x) => x.toFixed(2)).join(", ")}; ` +
      `wing it API ${its.map((x) => x.api.toFixed(2)).join(", ")}; Cognito ${its.map((x) => x.cognito.toFixed(2)).join(", ")}. Load now ${os.loadavg()[0]!.toFixed(1)}.`);
  } finally {
    for (const dir of [withCognito, plain]) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
