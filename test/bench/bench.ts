// `npm run bench`: one run, three servers, one AWS SDK v3 client at concurrency 16. Measures SignUp, AdminConfirmSignUp,
// InitiateAuth (USER_PASSWORD_AUTH), GetUser and SRP sign-in in operations per second, and prints the ratios the issue
// sets as targets. Every server gets the same warm-up (its first pass, reported separately as the first-seconds figures);
// this service and the do-nothing ceiling are then measured in alternating rounds, and each fraction is the median of the
// rounds' ratios, so that load from other processes on a shared machine hits both sides alike. A third server, this
// service without its password memo (`--password-memo 0`: every password check computes the power of g, as the first
// sign-in after a restart does), runs in the same rounds, so that both figures come from one machine state. A
// benchmark, never a test.
import {
  AdminConfirmSignUpCommand, CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand, GetUserCommand,
  InitiateAuthCommand, RespondToAuthChallengeCommand, SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Agent } from "node:http";
import * as fs from "node:fs";
import * as os from "node:os";
import { startCannedServer, startCognitoLocal, startOurService, type BenchServer } from "./servers";
import { FastSrpClient } from "./srp-client";

// The SDK's notice about Node 20 support would interleave with the table.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const CONCURRENCY = 16;
const PASSWORD = "Bench-Passw0rd!";
type Row = Record<string, number>;
/** One pass over the operations: operations per second, and CPU milliseconds per operation of the server and the client. */
interface Measurement {
  rate: Row;
  serverMs: Row;
  clientMs: Row;
}

/** CPU time of a process, all its threads, in ms (Linux /proc; undefined elsewhere or without a pid). */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return undefined;
  }
}

const clientCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

async function runConcurrently(count: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) await task(next++);
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return count / seconds;
}

/** The first pass on a fresh server (the same for every server): warms JIT and connections up, and is reported as the first seconds. */
const WARM_UP = { users: 300, signIns: 300, getUsers: 1000 };
/** What each steady-state round runs. */
const STEADY = { signIns: 1000, getUsers: 4000, srp: true };

async function warmUp(server: BenchServer): Promise<Measurement> {
  return measure(server, WARM_UP.users, { signIns: WARM_UP.signIns, getUsers: WARM_UP.getUsers, srp: server.name !== "cognito-local" }, "warm-up");
}

async function measure(server: BenchServer, users: number, opts: { signIns: number; getUsers: number; srp: boolean }, poolName = `bench-${users}`): Promise<Measurement> {
  const idp = new CognitoIdentityProviderClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }) }),
  });
  try {
    const pool = await idp.send(new CreateUserPoolCommand({ PoolName: poolName }));
    const UserPoolId = pool.UserPool!.Id!;
    const client = await idp.send(new CreateUserPoolClientCommand({
      UserPoolId, ClientName: "bench", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }));
    const ClientId = client.UserPoolClient!.ClientId!;
    const name = (i: number) => `user${i}@bench.example`;
    const result: Measurement = { rate: {}, serverMs: {}, clientMs: {} };
    const timed = async (op: string, count: number, task: (i: number) => Promise<unknown>) => {
      const server0 = processCpuMs(server.pid);
      const client0 = clientCpuMs();
      result.rate[op] = await runConcurrently(count, task);
      const server1 = processCpuMs(server.pid);
      result.clientMs[op] = (clientCpuMs() - client0) / count;
      if (server0 !== undefined && server1 !== undefined) result.serverMs[op] = (server1 - server0) / count;
    };
    await timed("SignUp", users, (i) => idp.send(new SignUpCommand({ ClientId, Username: name(i), Password: PASSWORD, UserAttributes: [{ Name: "email", Value: name(i) }] })));
    await timed("AdminConfirmSignUp", users, (i) => idp.send(new AdminConfirmSignUpCommand({ UserPoolId, Username: name(i) })));
    const tokens: string[] = [];
    await timed("InitiateAuth", opts.signIns, async (i) => {
      const res = await idp.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: name((i * 7919) % users), PASSWORD } }));
      if (tokens.length < 64) tokens.push(res.AuthenticationResult!.AccessToken!);
    });
    await timed("GetUser", opts.getUsers, (i) => idp.send(new GetUserCommand({ AccessToken: tokens[i % tokens.length] })));
    if (opts.srp) {
      await timed("SRP sign-in", opts.signIns, async (i) => {
        const srp = new FastSrpClient(UserPoolId);
        const username = name((i * 7919) % users);
        const challenge = await idp.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: username, SRP_A: srp.srpA } }));
        const answered = await idp.send(new RespondToAuthChallengeCommand({
          ClientId, ChallengeName: "PASSWORD_VERIFIER", Session: challenge.Session, ChallengeResponses: srp.answer(challenge.ChallengeParameters!, PASSWORD),
        }));
        if (!answered.AuthenticationResult?.IdToken) throw new Error("SRP sign-in failed");
      });
    }
    return result;
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

const fmt = (n: number | undefined) => (n === undefined ? "-" : n >= 100 ? n.toFixed(0) : n.toFixed(1));
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? "-" : `${(a / b).toFixed(2)}x`);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

const OPERATIONS = ["SignUp", "AdminConfirmSignUp", "InitiateAuth", "GetUser", "SRP sign-in"];
/** The targets for the steady-state fraction of the ceiling. */
const TARGETS: Record<string, number> = { SignUp: 0.5, InitiateAuth: 0.3 };

function printTable(header: string[], rows: string[][]): void {
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---").join("|")}|`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
}

async function main(): Promise<void> {
  const small = Number(process.env.BENCH_USERS ?? 1000);
  const large = Number(process.env.BENCH_LARGE_USERS ?? 10000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const withPeer = process.env.BENCH_PEER !== "0";
  console.log(`Benchmark: AWS SDK v3 client, concurrency ${CONCURRENCY}, loopback, ${small} and ${large} users, ${rounds} alternating rounds`);
  // Environment: BENCH_USERS, BENCH_LARGE_USERS, BENCH_ROUNDS, BENCH_PEER=0 (no cognito-local), BENCH_BASELINE_ROOT.
  console.log(`Load average at start: ${loadAverage()} (${os.cpus().length} CPUs)`);

  // The same first pass for every server in a fresh process: the first-seconds figures, and the warm-up of what follows.
  // BENCH_BASELINE_ROOT: a checkout of an earlier version, measured in the same alternating rounds (before/after figures
  // from one machine state).
  const baselineRoot = process.env.BENCH_BASELINE_ROOT;
  const servers: Array<[string, BenchServer]> = [
    ["ceiling", await startCannedServer()], ["ours", await startOurService()], ["no memo", await startOurService(undefined, ["--password-memo", "0"])],
  ];
  if (baselineRoot) servers.push(["baseline", await startOurService(baselineRoot)]);
  const first: Record<string, Measurement> = {};
  const steady: Record<string, Measurement[]> = { ours: [], ceiling: [], baseline: [], "no memo": [] };
  try {
    for (const [name, server] of servers) first[name] = await warmUp(server);
    for (let round = 0; round < rounds; round++) {
      // ABBA order, so that neither side always runs right after the other's (or a warm-up's) load.
      const order = round % 2 === 1 ? [...servers].reverse() : servers;
      for (const [name, server] of order) steady[name].push(await measure(server, small, STEADY, `bench-${name}-${round}`));
    }
  } finally {
    for (const [, server] of servers) await server.stop();
  }
  const oursLarge = await withServer(startOurService, async (s) => {
    await warmUp(s);
    return measure(s, large, STEADY);
  });
  const peer = withPeer
    ? await withServer(() => startCognitoLocal(19000 + Math.floor(Math.random() * 1000)), async (s) => {
      first.peer = await warmUp(s);
      return measure(s, small, { signIns: 500, getUsers: 4000, srp: false });
    })
    : undefined;

  const medianOf = (runs: Measurement[], pick: (m: Measurement) => number | undefined) => {
    const values = runs.map(pick).filter((v): v is number => v !== undefined && Number.isFinite(v));
    return values.length ? median(values) : undefined;
  };
  const ms = (n: number | undefined) => (n === undefined ? "-" : n.toFixed(2));
  const ours = (op: string) => medianOf(steady.ours, (m) => m.rate[op]);
  const ceiling = (op: string) => medianOf(steady.ceiling, (m) => m.rate[op]);
  const fractionOf = (name: string, op: string) => medianOf(steady[name], (m) => m.rate[op] / steady.ceiling[steady[name].indexOf(m)].rate[op]);
  const fraction = (op: string) => fractionOf("ours", op);
  console.log(`\nSteady state (after the same warm-up), operations per second, medians of ${rounds} rounds:\n`);
  printTable(
    ["operation", `ours@${small}`, `ours@${large}`, `cognito-local@${small}`, "ceiling", "ours/cognito-local", `${large}/${small}`, "ours/ceiling", "target"],
    OPERATIONS.map((op) => [
      op, fmt(ours(op)), fmt(oursLarge.rate[op]), fmt(peer?.rate[op]), fmt(ceiling(op)), ratio(ours(op), peer?.rate[op]), ratio(oursLarge.rate[op], ours(op)),
      `${fraction(op)?.toFixed(2)}x`, TARGETS[op] !== undefined ? `>= ${TARGETS[op]}` : "",
    ]),
  );
  const perRound = (name: string) => OPERATIONS.map((op) => `${op} ${steady[name].map((m, i) => (m.rate[op] / steady.ceiling[i].rate[op]).toFixed(2)).join("/")}`).join(", ");
  console.log(`\nours/ceiling per round: ${perRound("ours")}`);
  console.log(`\nWithout the password memo (--password-memo 0: every password check computes the power of g, as after a restart), same rounds:\n`);
  printTable(
    ["operation", "no memo", "no memo/ceiling", "ours/ceiling", "no memo server CPU ms/op", "ours server CPU ms/op"],
    OPERATIONS.map((op) => [
      op, fmt(medianOf(steady["no memo"], (m) => m.rate[op])), `${fractionOf("no memo", op)?.toFixed(2)}x`, `${fraction(op)?.toFixed(2)}x`,
      ms(medianOf(steady["no memo"], (m) => m.serverMs[op])), ms(medianOf(steady.ours, (m) => m.serverMs[op])),
    ]),
  );
  console.log(`\nno memo/ceiling per round: ${perRound("no memo")}`);
  if (baselineRoot) {
    console.log(`\nBaseline (${baselineRoot}) in the same rounds, fraction of the ceiling (median), before -> after:\n`);
    printTable(
      ["operation", "baseline/ceiling", "ours/ceiling", "baseline server CPU ms/op", "ours server CPU ms/op"],
      OPERATIONS.map((op) => [
        op, `${fractionOf("baseline", op)?.toFixed(2)}x`, `${fraction(op)?.toFixed(2)}x`, ms(medianOf(steady.baseline, (m) => m.serverMs[op])), ms(medianOf(steady.ours, (m) => m.serverMs[op])),
      ]),
    );
    console.log(`\nbaseline/ceiling per round: ${perRound("baseline")}`);
  }
  console.log(`\nCPU per operation in the steady rounds (ms, all threads; medians): what each side costs, whatever the machine's load:\n`);
  printTable(
    ["operation", "ours (server)", "client against ours", "ceiling (server)", "client against the ceiling"],
    OPERATIONS.map((op) => [op, ms(medianOf(steady.ours, (m) => m.serverMs[op])), ms(medianOf(steady.ours, (m) => m.clientMs[op])), ms(medianOf(steady.ceiling, (m) => m.serverMs[op])), ms(medianOf(steady.ceiling, (m) => m.clientMs[op]))]),
  );
  console.log(`\nFirst seconds of a fresh process (the warm-up pass: ${WARM_UP.users} sign-ups, ${WARM_UP.signIns} sign-ins, ${WARM_UP.getUsers} GetUser), operations per second:\n`);
  printTable(
    ["operation", "ours", "ceiling", ...(withPeer ? ["cognito-local"] : []), "ours/ceiling", "ours first/steady"],
    OPERATIONS.map((op) => [
      op, fmt(first.ours.rate[op]), fmt(first.ceiling.rate[op]), ...(withPeer ? [fmt(first.peer?.rate[op])] : []),
      ratio(first.ours.rate[op], first.ceiling.rate[op]), ratio(first.ours.rate[op], ours(op)),
    ]),
  );
  const noMemo = (op: string) => medianOf(steady["no memo"], (m) => m.rate[op]);
  console.log(`\nSRP sign-in costs ${ratio(ours("InitiateAuth"), ours("SRP sign-in"))} of a USER_PASSWORD_AUTH sign-in answered from the password memo, ` +
    `${ratio(noMemo("InitiateAuth"), noMemo("SRP sign-in"))} of one that computes the power of g (target: within 3x).`);
  console.log(`Load average at end: ${loadAverage()}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
