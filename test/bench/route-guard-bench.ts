// Benchmark (not a test): what the simulator's route guard costs. Compiles route-guard-bench.main.w, runs it in
// the Wing simulator, signs a user in, and times identical handlers behind a protected and an unprotected route,
// sending the same credentials to both, for COGNITO_USER_POOLS and AWS_IAM. Prints a table and the ratio
// protected/unprotected of the median latency (the target is at most 1.2x), and what a protected route's bundle
// carries (its size and packages), since the guard must stay light.
// Run: npx tsx test/bench/route-guard-bench.ts [rounds]
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { _getCredentialsForIdentity, _getId, type CognitoConnection } from "../../lib/inflight/client";
import { signedFetch, type IdentityCredentials } from "../sigv4-signer";
import type { Simulator } from "@winglang/sdk/lib/simulator";
import { startBenchApp } from "./sim-app";

const ROUNDS = Number(process.argv[2] ?? 300);
const WARMUP = 30;
const LIMIT = 1.2;

interface Stats {
  median: number;
  mean: number;
  p95: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), mean: samples.reduce((a, b) => a + b, 0) / samples.length, p95: at(0.95) };
}

async function timed(send: () => Promise<number>): Promise<number> {
  const start = performance.now();
  const status = await send();
  const elapsed = performance.now() - start;
  if (status !== 200) throw new Error(`expected 200, got ${status}`);
  return elapsed;
}

/** Times `open` and `guarded` alternately, so that drift hits both alike. */
async function compare(open: () => Promise<number>, guarded: () => Promise<number>): Promise<[Stats, Stats]> {
  for (let i = 0; i < WARMUP; i++) {
    await timed(open);
    await timed(guarded);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    a.push(await timed(open));
    b.push(await timed(guarded));
  }
  return [stats(a), stats(b)];
}

/** GETs `url` and reads the whole response; resolves to its status. */
async function statusOf(url: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(url, { headers });
  await res.text();
  return res.status;
}

function connectionOf(sim: Simulator, authPath: string): CognitoConnection {
  const attrs = sim.getResourceConfig(`${authPath}/sim/LocalCognito`).attrs;
  return {
    endpoint: attrs.endpoint,
    region: attrs.region,
    userPoolId: attrs.userPoolId,
    clientId: attrs.clientId,
    identityPoolId: attrs.identityPoolId,
    headerKey: "Authorization",
  };
}

async function signIn(conn: CognitoConnection): Promise<string> {
  const idp = new CognitoIdentityProviderClient({
    region: conn.region,
    endpoint: conn.endpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const email = `bench-${Date.now()}@wing.cloud`;
  const password = "Bench-Passw0rd!";
  await idp.send(new SignUpCommand({ ClientId: conn.clientId, Username: email, Password: password, UserAttributes: [{ Name: "email", Value: email }] }));
  await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: conn.userPoolId, Username: email }));
  const out = await idp.send(
    new InitiateAuthCommand({ AuthFlow: "USER_PASSWORD_AUTH", ClientId: conn.clientId, AuthParameters: { USERNAME: email, PASSWORD: password } }),
  );
  idp.destroy();
  return out.AuthenticationResult!.IdToken!;
}

/** The size and packages of the function bundles that hold the route guard (lib/sim/route-guard.ts). */
function guardedBundles(outdir: string): string[] {
  const lines: string[] = [];
  const wingDir = path.join(outdir, ".wing");
  for (const dir of fs.readdirSync(wingDir).sort()) {
    const file = path.join(wingDir, dir, "index.cjs");
    if (!fs.existsSync(file)) continue;
    const code = fs.readFileSync(file, "utf8");
    if (!code.includes("\n// lib/sim/route-guard.ts\n")) continue;
    const packages = new Set<string>();
    for (const m of code.matchAll(/^\/\/ (?:.*\/)?node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\//gm)) packages.add(m[1]!);
    lines.push(`${dir}: ${(code.length / 1024).toFixed(0)} KB, packages: ${[...packages].sort().join(", ")}`);
  }
  return lines;
}

function row(name: string, s: Stats): string {
  return `| ${name.padEnd(34)} | ${s.median.toFixed(2).padStart(7)} | ${s.mean.toFixed(2).padStart(7)} | ${s.p95.toFixed(2).padStart(7)} |`;
}

async function main(): Promise<void> {
  const app = await startBenchApp("route-guard-bench");
  const sim = app.sim;
  try {
    const poolsUrl: string = sim.getResourceConfig("root/Default/pools").attrs.url;
    const iamUrl: string = sim.getResourceConfig("root/Default/iam").attrs.url;
    const pools = connectionOf(sim, "root/Default/pools-auth");
    const iam = connectionOf(sim, "root/Default/iam-auth");

    const token = await signIn(pools);
    const bearer = { Authorization: `Bearer ${token}` };
    const [poolsOpen, poolsGuarded] = await compare(
      () => statusOf(`${poolsUrl}/open`, bearer),
      () => statusOf(`${poolsUrl}/protected`, bearer),
    );

    const iamToken = await signIn(iam);
    const identityId = await _getId(iam, iam.userPoolId, iam.identityPoolId, iamToken);
    const credentials = (await _getCredentialsForIdentity(iam, iamToken, identityId)) as unknown as IdentityCredentials;
    const [iamOpen, iamGuarded] = await compare(
      async () => (await signedFetch("GET", `${iamUrl}/open`, iam.region, credentials, "", "")).status,
      async () => (await signedFetch("GET", `${iamUrl}/protected`, iam.region, credentials, "", "")).status,
    );

    const poolsRatio = poolsGuarded.median / poolsOpen.median;
    const iamRatio = iamGuarded.median / iamOpen.median;
    console.log(`\nRoute guard cost in the Wing simulator, ${ROUNDS} requests per route after ${WARMUP} warm-up (ms)\n`);
    console.log(`| ${"route".padEnd(34)} | ${"median".padStart(7)} | ${"mean".padStart(7)} | ${"p95".padStart(7)} |`);
    console.log(`|${"-".repeat(36)}|${"-".repeat(9)}|${"-".repeat(9)}|${"-".repeat(9)}|`);
    console.log(row("COGNITO_USER_POOLS unprotected", poolsOpen));
    console.log(row("COGNITO_USER_POOLS protected", poolsGuarded));
    console.log(row("AWS_IAM unprotected (signed)", iamOpen));
    console.log(row("AWS_IAM protected (signed)", iamGuarded));
    console.log(`\nratio COGNITO_USER_POOLS protected/unprotected (median): ${poolsRatio.toFixed(3)}x (limit ${LIMIT}x)`);
    console.log(`ratio AWS_IAM protected/unprotected (median): ${iamRatio.toFixed(3)}x (limit ${LIMIT}x)`);
    console.log("\nbundles of protected routes:");
    for (const line of guardedBundles(app.outdir)) console.log(`  ${line}`);
    if (poolsRatio > LIMIT || iamRatio > LIMIT) process.exitCode = 1;
  } finally {
    await app.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
