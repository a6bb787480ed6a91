// `npm run bench:warm-start`: the standalone service's SignUp throughput in its first seconds (the first batch of
// sign-ups a fresh process serves, what `wing test` sees) against its steady state (later batches, same process), in
// one run, through the AWS SDK v3 at concurrency 16. Target: first / steady >= 0.8. A benchmark, never a timed test.
// The client is the service's, not the measurement's: before the first fresh service starts, this process drives the
// same calls against the do-nothing server (./servers.ts), so that the SDK's own warm-up is not counted as the
// service's. The SRP generator table is read from the machine's cache (lib/service/srp-generator-table.ts) by every
// process but the first one ever to run on the machine; the bench says which it saw. WARM_START_TIMELINE=1 and
// WARM_START_CPU=1 print each 100 sign-ups' time and the service's CPU per batch; BENCH_NODE_FLAGS passes V8 flags.
import { CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Agent } from "node:http";
import * as fs from "node:fs";
import { libraryCacheDir } from "../../lib/service/cache-dir";
import { generatorTableCacheFile } from "../../lib/service/srp";
import { startCannedServer, startOurService, type BenchServer } from "./servers";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const CONCURRENCY = 16;
const BATCH = Number(process.env.WARM_START_BATCH ?? 1000);
const STEADY_BATCHES = 3;
const PASSWORD = "Bench-Passw0rd!";
/** WARM_START_TIMELINE=1: also print, on stderr, how long each 100 sign-ups of each batch took. */
const TIMELINE = process.env.WARM_START_TIMELINE === "1";
/**
 * WARM_START_CPU=1: also print, on stderr, the service's CPU time in each batch (Linux /proc): its main thread (user and
 * system) and its other threads together (V8's compiler and GC helpers, libuv's pool). Shows where a slow first batch
 * goes: JIT warm-up is main-thread user time plus optimizing-compiler time on the other threads.
 */
const CPU = process.env.WARM_START_CPU === "1";
/** /proc's unit of CPU time (USER_HZ, 100 on Linux). */
const MS_PER_TICK = 10;

interface ServiceCpu { mainUser: number; mainSystem: number; otherThreads: number }

function serviceCpu(pid: number | undefined): ServiceCpu | undefined {
  if (!CPU || pid === undefined || !fs.existsSync(`/proc/${pid}/task`)) return undefined;
  const cpu: ServiceCpu = { mainUser: 0, mainSystem: 0, otherThreads: 0 };
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/task/${task}/stat`, "utf8");
    } catch {
      continue; // the thread ended meanwhile
    }
    // Fields after the command name (which may hold spaces): state is field 3, utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
    const user = Number(fields[11]) * MS_PER_TICK;
    const system = Number(fields[12]) * MS_PER_TICK;
    if (task === String(pid)) {
      cpu.mainUser = user;
      cpu.mainSystem = system;
    } else cpu.otherThreads += user + system;
  }
  return cpu;
}

function printCpu(label: string, before: ServiceCpu | undefined, after: ServiceCpu | undefined): void {
  if (!before || !after) return;
  console.error(`  ${label} service CPU ms: main user ${after.mainUser - before.mainUser}, main system ${after.mainSystem - before.mainSystem}, other threads ${after.otherThreads - before.otherThreads}`);
}

async function batchRate(idp: CognitoIdentityProviderClient, clientId: string, prefix: string): Promise<number> {
  let next = 0;
  let done = 0;
  const marks: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < BATCH) {
      const name = `${prefix}${next++}@warm.example`;
      await idp.send(new SignUpCommand({ ClientId: clientId, Username: name, Password: PASSWORD, UserAttributes: [{ Name: "email", Value: name }] }));
      if (++done % 100 === 0) marks.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }));
  if (TIMELINE) console.error(`  ${prefix} ms per 100: ${marks.map((m, i) => (m - (marks[i - 1] ?? 0)).toFixed(0)).join(" ")}`);
  return BATCH / (Number(process.hrtime.bigint() - started) / 1e9);
}

function clientOf(server: BenchServer): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: server.url, region: "us-east-1", credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }) }),
  });
}

/** Warms this process's SDK client code on the do-nothing server (the same calls, answered with canned JSON). */
async function warmClient(): Promise<void> {
  const server = await startCannedServer();
  const idp = clientOf(server);
  try {
    for (let i = 0; i < 3; i++) await batchRate(idp, "a".repeat(26), `client-warm-up${i}-`);
  } finally {
    idp.destroy();
    await server.stop();
  }
}

/** One fresh process: its first batch, then STEADY_BATCHES more; returns [first, best later]. */
async function oneProcess(): Promise<[number, number]> {
  const server = await startOurService();
  const idp = clientOf(server);
  try {
    // What `wing test` does first: create a pool and a client, then sign users up.
    const pool = await idp.send(new CreateUserPoolCommand({ PoolName: "warm-start" }));
    const client = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: pool.UserPool!.Id!, ClientName: "warm" }));
    const clientId = client.UserPoolClient!.ClientId!;
    const measured = async (prefix: string) => {
      const before = serviceCpu(server.pid);
      const rate = await batchRate(idp, clientId, prefix);
      printCpu(prefix, before, serviceCpu(server.pid));
      return rate;
    };
    const first = await measured("first");
    const later: number[] = [];
    for (let i = 0; i < STEADY_BATCHES; i++) later.push(await measured(`later${i}-`));
    return [first, Math.max(...later)];
  } finally {
    idp.destroy();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const runs = Number(process.env.WARM_START_RUNS ?? 3);
  console.log(`Warm start: SignUp, AWS SDK v3, concurrency ${CONCURRENCY}, batches of ${BATCH}, ${runs} fresh processes`);
  const tableCached = fs.existsSync(generatorTableCacheFile(libraryCacheDir()));
  console.log(`SRP generator table ${tableCached ? "cached on this machine" : "not cached yet (the first process builds it)"}; client warmed up on the do-nothing server`);
  await warmClient();
  console.log("\n| process | first batch (ops/s) | steady state (ops/s) | first / steady |\n|---|---|---|---|");
  const ratios: number[] = [];
  for (let r = 1; r <= runs; r++) {
    const [first, steady] = await oneProcess();
    ratios.push(first / steady);
    console.log(`| ${r} | ${first.toFixed(0)} | ${steady.toFixed(0)} | ${(first / steady).toFixed(2)} |`);
  }
  ratios.sort((a, b) => a - b);
  console.log(`\nMedian first / steady: ${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)} (target: at least 0.80)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
