// `npm run bench:pools`: how long CreateUserPool takes here and in cognito-local (the peer), one run, sequential calls
// from one AWS SDK v3 client, and what the first sign-in of a fresh pool costs here (it makes the pool's signing keys,
// from a reserve made in the background). Prints milliseconds per call and the ratio. A benchmark, never a timed test.
import {
  AdminCreateUserCommand, AdminInitiateAuthCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient, CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { startCognitoLocal, startOurService, type BenchServer } from "./servers";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const POOLS = Number(process.env.BENCH_POOLS ?? 40);
const PASSWORD = "Bench-Passw0rd!";

function client(server: BenchServer): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ endpoint: server.url, region: "us-east-1", credentials: { accessKeyId: "bench", secretAccessKey: "bench" } });
}

/** Median and mean milliseconds of `count` sequential runs of `task`. */
async function timeEach(count: number, task: (i: number) => Promise<unknown>): Promise<{ median: number; mean: number }> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    await task(i);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

async function createPools(server: BenchServer) {
  const idp = client(server);
  try {
    await idp.send(new CreateUserPoolCommand({ PoolName: "warm-up" }));
    return await timeEach(POOLS, (i) => idp.send(new CreateUserPoolCommand({ PoolName: `bench-${i}` })));
  } finally {
    idp.destroy();
  }
}

/** A fresh pool, client and user, then the timed first sign-in (which makes the pool's keys). */
async function firstSignIns(server: BenchServer, count: number) {
  const idp = client(server);
  try {
    const prepared: Array<{ UserPoolId: string; ClientId: string }> = [];
    for (let i = 0; i < count; i++) {
      const UserPoolId = (await idp.send(new CreateUserPoolCommand({ PoolName: `sign-in-${i}` }))).UserPool!.Id!;
      const ClientId = (await idp.send(new CreateUserPoolClientCommand({ UserPoolId, ClientName: "c", ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }))).UserPoolClient!.ClientId!;
      await idp.send(new AdminCreateUserCommand({ UserPoolId, Username: "u", MessageAction: "SUPPRESS" }));
      await idp.send(new AdminSetUserPasswordCommand({ UserPoolId, Username: "u", Password: PASSWORD, Permanent: true }));
      prepared.push({ UserPoolId, ClientId });
    }
    const samples: number[] = [];
    for (const pool of prepared) {
      // A pause, as a test has between creating a pool and signing in, lets the key reserve refill.
      await new Promise((r) => setTimeout(r, 300));
      const started = process.hrtime.bigint();
      await idp.send(new AdminInitiateAuthCommand({ ...pool, AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "u", PASSWORD } }));
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    samples.sort((a, b) => a - b);
    return { median: samples[Math.floor(samples.length / 2)] };
  } finally {
    idp.destroy();
  }
}

async function withServer<T>(start: () => Promise<BenchServer>, run: (s: BenchServer) => Promise<T>): Promise<T> {
  const server = await start();
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const ours = await withServer(startOurService, createPools);
  const peer = await withServer(() => startCognitoLocal(0), createPools);
  const signIn = await withServer(startOurService, (s) => firstSignIns(s, 10));
  const fmt = (n: number) => n.toFixed(1).padStart(8);
  console.log(`\nCreateUserPool, ${POOLS} sequential calls (ms per call):\n`);
  console.log(`  ${"server".padEnd(16)}${"median".padStart(8)}${"mean".padStart(8)}`);
  console.log(`  ${"this service".padEnd(16)}${fmt(ours.median)}${fmt(ours.mean)}`);
  console.log(`  ${"cognito-local".padEnd(16)}${fmt(peer.median)}${fmt(peer.mean)}`);
  console.log(`\n  this service / cognito-local (median): ${(ours.median / peer.median).toFixed(2)}x`);
  console.log(`\nFirst sign-in of a fresh pool here (makes its signing keys from the reserve): median ${signIn.median.toFixed(1)} ms`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
