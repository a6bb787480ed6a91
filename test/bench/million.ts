// `npm run bench:million`: a million users in one pool, against the same pool shape with 1,000 users, in one run.
//
// 1. Builds each data directory in-process through the service's own state API (CreateUserPool and
//    CreateUserPoolClient through the operations, then CognitoState.putUser for the users, committed in batches). The
//    bulk users carry real-sized records (sub, email, email_verified, given_name, a 3072-bit SRP verifier and its
//    salt) but share one precomputed verifier with their own random salts: computing a million verifiers would take
//    a quarter of an hour of CPU and measures nothing about storage. Users created during the measurements get real
//    verifiers through SignUp.
// 2. Starts the service's CLI on the directory in a child process: time to "listening" (opening the store), RSS.
// 3. Measures SignUp, AdminConfirmSignUp, InitiateAuth (USER_PASSWORD_AUTH) and GetUser with the AWS SDK v3 at
//    concurrency 16 on that pool, as test/bench/bench.ts does, then ListUsers pages with filters and
//    AdminGetUser by alias.
// 4. Reopens the directory in-process to time AdminGetUser's lookup by alias without HTTP (server time).
// Prints the figures and the ratios against the targets of issue 12. A benchmark, never a timed test.
import {
  AdminConfirmSignUpCommand, AdminGetUserCommand, CognitoIdentityProviderClient, GetUserCommand, InitiateAuthCommand, ListUsersCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import { Agent } from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { ServiceContext } from "../../lib/service/context";
import { identityProviderOperations } from "../../lib/service";
import type { UserPoolRecord, UserRecord } from "../../lib/service/model";
import { createPasswordVerifier } from "../../lib/service/srp";
import { CognitoState } from "../../lib/service/state";
import { DurableStore } from "../../lib/service/store";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const ROOT = path.resolve(__dirname, "../..");
const CONCURRENCY = 16;
const PASSWORD = "Bench-Passw0rd!";
const LARGE = Number(process.env.BENCH_MILLION_USERS ?? 1_000_000);
const SMALL = 1_000;
const BATCH = 5_000;

interface Built {
  dir: string;
  userPoolId: string;
  clientId: string;
  seconds: number;
}

const email = (i: number) => `user${i}@million.example`;

/** Writes a pool with `count` users into a fresh data directory, through the state API. */
async function build(count: number): Promise<Built> {
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-million-${count}-`));
  const store = await DurableStore.open(dir);
  const state = new CognitoState(store);
  const ctx = new ServiceContext(state, "us-east-1", () => undefined);
  const ops = identityProviderOperations(ctx);
  const pool = (await ops.CreateUserPool({ PoolName: `million-${count}`, AliasAttributes: ["email"] })) as { UserPool: { Id: string } };
  const userPoolId = pool.UserPool.Id;
  const client = (await ops.CreateUserPoolClient({ UserPoolId: userPoolId, ClientName: "bench", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] })) as {
    UserPoolClient: { ClientId: string };
  };
  await state.commit();
  const poolRecord = state.pool(userPoolId) as UserPoolRecord;
  const shared = createPasswordVerifier(userPoolId, "shape", PASSWORD);
  const now = ctx.now();
  for (let i = 0; i < count; i++) {
    const sub = randomUUID();
    const user: UserRecord = {
      userPoolId,
      username: `u${i}`,
      sub,
      attributes: { sub, email: email(i), email_verified: "true", given_name: `Given${i % 1000}` },
      enabled: i % 1000 !== 999, // one in a thousand disabled, for the status filter
      status: "CONFIRMED",
      createdAt: now - count + i,
      lastModifiedAt: now - count + i,
      password: { salt: randomBytes(16).toString("hex"), verifier: shared.verifier },
      failedSignIns: 0,
      mfa: { smsEnabled: false, softwareTokenEnabled: false, emailEnabled: false },
    };
    state.putUser(poolRecord, user);
    if (i % BATCH === BATCH - 1) await state.commit();
  }
  await store.close();
  return { dir, userPoolId, clientId: client.UserPoolClient.ClientId, seconds: (Date.now() - started) / 1000 };
}

function dirBytes(dir: string): number {
  return fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
}

interface Service {
  child: ChildProcess;
  url: string;
  startSeconds: number;
  /** CPU seconds the child had used when it was listening (the load on a shared machine stretches wall time). */
  startCpuSeconds: number;
  stop(): Promise<void>;
}

async function startService(dir: string): Promise<Service> {
  const started = Date.now();
  // As `npm start` runs it: Node's default heap limit (the records live in the database, not in the heap).
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "lib/service/cli.ts"), "--port", "0", "--data", dir], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(seen);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`service exited with ${code}: ${seen}`)));
  });
  child.stdout!.resume();
  return {
    child,
    url,
    startSeconds: (Date.now() - started) / 1000,
    startCpuSeconds: cpuSeconds(child.pid!),
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

async function runConcurrently(count: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) await task(next++);
  }));
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

function sdk(url: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }) }),
  });
}

type Row = Record<string, number>;

/** The operations of bench.ts, on an existing pool, with new users `tag-i`. */
async function measureOperations(idp: CognitoIdentityProviderClient, built: Built, tag: string): Promise<Row> {
  const { userPoolId: UserPoolId, clientId: ClientId } = built;
  const name = (i: number) => `${tag}-${i}`;
  const signUps = 2000;
  const row: Row = {};
  row.SignUp = await runConcurrently(signUps, (i) => idp.send(new SignUpCommand({ ClientId, Username: name(i), Password: PASSWORD, UserAttributes: [{ Name: "email", Value: `${name(i)}@new.example` }] })));
  row.AdminConfirmSignUp = await runConcurrently(signUps, (i) => idp.send(new AdminConfirmSignUpCommand({ UserPoolId, Username: name(i) })));
  const tokens: string[] = [];
  row.InitiateAuth = await runConcurrently(1000, async (i) => {
    const res = await idp.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: name((i * 7919) % signUps), PASSWORD } }));
    if (tokens.length < 64) tokens.push(res.AuthenticationResult!.AccessToken!);
  });
  row.GetUser = await runConcurrently(4000, (i) => idp.send(new GetUserCommand({ AccessToken: tokens[i % tokens.length] })));
  return row;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timeMs(run: () => Promise<unknown>, times = 15): Promise<{ median: number; max: number }> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { median: median(samples), max: Math.max(...samples) };
}

async function measureQueries(idp: CognitoIdentityProviderClient, built: Built, count: number): Promise<Array<[string, { median: number; max: number }, number]>> {
  const UserPoolId = built.userPoolId;
  const out: Array<[string, { median: number; max: number }, number]> = [];
  const page = async (label: string, Filter: string | undefined, pages = 2) => {
    let users = 0;
    const t = await timeMs(async () => {
      let token: string | undefined;
      users = 0;
      for (let p = 0; p < pages; p++) {
        const res = await idp.send(new ListUsersCommand({ UserPoolId, Filter, Limit: 60, PaginationToken: token }));
        users += res.Users!.length;
        token = res.PaginationToken;
        if (!token) break;
      }
    });
    out.push([label, { median: t.median / pages, max: t.max }, users]);
  };
  const mid = Math.floor(count / 2);
  await page("no filter, pages 1-2", undefined);
  await page(`email ^= "user${mid}"`, `email ^= "user${mid}"`);
  await page(`email = "${email(mid)}"`, `email = "${email(mid)}"`, 1);
  await page('given_name = "Given7"', 'given_name = "Given7"');
  await page('status = "Disabled"', 'status = "Disabled"');
  await page('cognito:user_status ^= "conf"', 'cognito:user_status ^= "conf"');
  await page('username ^= "u99"', 'username ^= "u99"');
  await page('email ^= "nobody"', 'email ^= "nobody"', 1);
  const alias = await timeMs(() => idp.send(new AdminGetUserCommand({ UserPoolId, Username: email((mid * 31) % count) })), 200);
  out.push(["AdminGetUser by alias (HTTP round trip)", alias, 1]);
  return out;
}

/** AdminGetUser's lookup by alias, in-process on the reopened state: the server's share of the call. */
async function aliasServerTime(built: Built, count: number): Promise<{ replaySeconds: number; replayCpuSeconds: number; microseconds: number; heapMb: number }> {
  const started = Date.now();
  const cpu = process.cpuUsage();
  const store = await DurableStore.open(built.dir);
  const state = new CognitoState(store);
  const replaySeconds = (Date.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const replayCpuSeconds = (used.user + used.system) / 1e6;
  const pool = state.pool(built.userPoolId)!;
  const n = 20_000;
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const user = state.findUser(pool, email((i * 7919) % count));
    if (!user) throw new Error("alias lookup failed");
  }
  const microseconds = Number(process.hrtime.bigint() - t) / 1e3 / n;
  global.gc?.();
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  await store.close();
  return { replaySeconds, replayCpuSeconds, microseconds, heapMb };
}

const f = (n: number, digits = 0) => n.toFixed(digits);

async function main(): Promise<void> {
  console.log(`Million-user benchmark: ${LARGE} vs ${SMALL} users in one pool; AWS SDK v3, concurrency ${CONCURRENCY}, loopback; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  const small = await build(SMALL);
  console.log(`built ${SMALL} users in ${f(small.seconds, 1)} s`);
  const large = await build(LARGE);
  console.log(`built ${LARGE} users in ${f(large.seconds, 1)} s; data directory ${f(dirBytes(large.dir) / 2 ** 20)} MiB`);

  const results: Record<string, { row: Row; start: number; startCpu: number; rss: { rss: number; peak: number }; rssAfter: { rss: number; peak: number }; dir: number }> = {};
  let queries: Awaited<ReturnType<typeof measureQueries>> = [];
  // The small pool is measured before and after the large one (the mean is the reference), so that a change in the
  // machine's load during the run shows instead of skewing the ratios.
  const runs = [["small", small, SMALL], ["large", large, LARGE], ["small again", small, SMALL]] as const;
  for (const [label, built, count] of runs) {
    const service = await startService(built.dir);
    const rss = rssMb(service.child.pid!);
    const idp = sdk(service.url);
    try {
      await measureOperations(idp, built, `warm-${label.replace(" ", "-")}`); // JIT and connections warm, as bench.ts does
      const row = await measureOperations(idp, built, `bench-${label.replace(" ", "-")}`);
      if (label === "large") queries = await measureQueries(idp, built, count);
      results[label] = { row, start: service.startSeconds, startCpu: service.startCpuSeconds, rss, rssAfter: rssMb(service.child.pid!), dir: dirBytes(built.dir) };
      // Figures as they come, so that a run cut short still reports them.
      console.log(`${count} users (${label}): start ${f(service.startSeconds, 1)} s (CPU ${f(service.startCpuSeconds, 1)} s), RSS ${f(rss.rss)} MiB; ${JSON.stringify(row)}; load ${os.loadavg()[0].toFixed(1)}`);
    } finally {
      idp.destroy();
      await service.stop();
    }
  }
  const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-million-empty-"));
  const empty = await startService(emptyDir);
  await empty.stop();
  const alias = await aliasServerTime(large, LARGE);

  const s = { ...results.small, row: Object.fromEntries(Object.keys(results.small.row).map((op) => [op, (results.small.row[op] + results["small again"].row[op]) / 2])) };
  const l = results.large;
  console.log("\nOperations per second:\n");
  console.log(`| operation | ${SMALL} users (mean of before and after) | ${LARGE} users | ratio (target >= 0.80) |`);
  console.log("|---|---|---|---|");
  for (const op of ["SignUp", "AdminConfirmSignUp", "InitiateAuth", "GetUser"]) {
    console.log(`| ${op} | ${f(s.row[op])} | ${f(l.row[op])} | ${(l.row[op] / s.row[op]).toFixed(2)} |`);
  }
  console.log(`\n| figure | ${LARGE} users | target |`);
  console.log("|---|---|---|");
  console.log(`| RSS after start / after the operations / peak (MiB) | ${f(l.rss.rss)} / ${f(l.rssAfter.rss)} / ${f(l.rssAfter.peak)} | <= 2048 |`);
  console.log(`| restart to serving (s), CLI spawn to "listening": wall / CPU | ${f(l.start, 1)} / ${f(l.startCpu, 1)} (empty directory: ${f(empty.startSeconds, 1)} / ${f(empty.startCpuSeconds, 1)}) | <= 10 |`);
  console.log(`| open in-process (s), store + state: wall / CPU | ${f(alias.replaySeconds, 1)} / ${f(alias.replayCpuSeconds, 1)} | |`);
  console.log(`| data directory after the run (MiB) | ${f(l.dir / 2 ** 20)} | <= 1536 |`);
  console.log(`| heap in use after opening, in-process (MiB) | ${f(alias.heapMb)} | |`);
  console.log(`| AdminGetUser by alias, server lookup (µs) | ${alias.microseconds.toFixed(1)} | <= 1000 |`);
  console.log(`\nListUsers over ${LARGE} users (SDK round trip per page, Limit 60; median of 15 and worst):\n`);
  console.log("| query | ms per page (median) | worst run (ms) | users returned | target |");
  console.log("|---|---|---|---|---|");
  for (const [label, t, users] of queries) console.log(`| ${label} | ${t.median.toFixed(1)} | ${t.max.toFixed(1)} | ${users} | <= 50 |`);
  console.log(`\n${SMALL}-user pool for comparison: RSS ${f(s.rss.rss)} MiB, start ${f(s.start, 1)} s, data ${f(s.dir / 2 ** 20, 1)} MiB`);
  for (const dir of [small.dir, large.dir, emptyDir]) fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
