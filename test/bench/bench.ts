// `npm run bench`: one run, three servers, one AWS SDK v3 client at concurrency 16. Measures SignUp, AdminConfirmSignUp,
// InitiateAuth (USER_PASSWORD_AUTH), GetUser (and SRP sign-in for this service) in operations per second, and prints the
// ratios the issue sets as targets. A benchmark, never a timed test.
import {
  AdminConfirmSignUpCommand, CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand, GetUserCommand,
  InitiateAuthCommand, RespondToAuthChallengeCommand, SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Agent } from "node:http";
import { startCannedServer, startCognitoLocal, startOurService, type BenchServer } from "./servers";
import { FastSrpClient } from "./srp-client";

// The SDK's notice about Node 20 support would interleave with the table.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const CONCURRENCY = 16;
const PASSWORD = "Bench-Passw0rd!";
type Row = Record<string, number>;

async function runConcurrently(count: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) await task(next++);
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return count / seconds;
}

/** Runs every measured operation once on a throw-away pool, so that JIT and connection warm-up are not measured. */
async function warmUp(server: BenchServer, srp: boolean): Promise<void> {
  await measure(server, 300, { signIns: 300, getUsers: 1000, srp }, "warm-up");
}

async function measure(server: BenchServer, users: number, opts: { signIns: number; getUsers: number; srp: boolean }, poolName = `bench-${users}`): Promise<Row> {
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
    const row: Row = {};
    row.SignUp = await runConcurrently(users, (i) => idp.send(new SignUpCommand({ ClientId, Username: name(i), Password: PASSWORD, UserAttributes: [{ Name: "email", Value: name(i) }] })));
    row.AdminConfirmSignUp = await runConcurrently(users, (i) => idp.send(new AdminConfirmSignUpCommand({ UserPoolId, Username: name(i) })));
    const tokens: string[] = [];
    row.InitiateAuth = await runConcurrently(opts.signIns, async (i) => {
      const res = await idp.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: name((i * 7919) % users), PASSWORD } }));
      if (tokens.length < 64) tokens.push(res.AuthenticationResult!.AccessToken!);
    });
    row.GetUser = await runConcurrently(opts.getUsers, (i) => idp.send(new GetUserCommand({ AccessToken: tokens[i % tokens.length] })));
    if (opts.srp) {
      row["SRP sign-in"] = await runConcurrently(opts.signIns, async (i) => {
        const srp = new FastSrpClient(UserPoolId);
        const username = name((i * 7919) % users);
        const challenge = await idp.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: username, SRP_A: srp.srpA } }));
        const answered = await idp.send(new RespondToAuthChallengeCommand({
          ClientId, ChallengeName: "PASSWORD_VERIFIER", Session: challenge.Session, ChallengeResponses: srp.answer(challenge.ChallengeParameters!, PASSWORD),
        }));
        if (!answered.AuthenticationResult?.IdToken) throw new Error("SRP sign-in failed");
      });
    }
    return row;
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

async function main(): Promise<void> {
  const small = Number(process.env.BENCH_USERS ?? 1000);
  const large = Number(process.env.BENCH_LARGE_USERS ?? 10000);
  console.log(`Benchmark: AWS SDK v3 client, concurrency ${CONCURRENCY}, loopback, ${small} and ${large} users`);
  const warm = <T>(srp: boolean, run: (s: BenchServer) => Promise<T>) => async (s: BenchServer) => {
    await warmUp(s, srp);
    return run(s);
  };
  const ceiling = await withServer(startCannedServer, warm(false, (s) => measure(s, 2000, { signIns: 2000, getUsers: 4000, srp: false })));
  const ours = await withServer(startOurService, warm(true, (s) => measure(s, small, { signIns: 1000, getUsers: 4000, srp: true })));
  const oursLarge = await withServer(startOurService, warm(true, (s) => measure(s, large, { signIns: 1000, getUsers: 4000, srp: true })));
  const peer = await withServer(
    () => startCognitoLocal(19000 + Math.floor(Math.random() * 1000)),
    warm(false, (s) => measure(s, small, { signIns: 500, getUsers: 4000, srp: false })),
  );

  const ops = ["SignUp", "AdminConfirmSignUp", "InitiateAuth", "GetUser", "SRP sign-in"];
  const header = ["operation", `ours@${small}`, `ours@${large}`, `cognito-local@${small}`, "ceiling", "ours/cognito-local", `${large}/${small}`, "ours/ceiling"];
  const rows = ops.map((op) => [op, fmt(ours[op]), fmt(oursLarge[op]), fmt(peer[op]), fmt(ceiling[op]), ratio(ours[op], peer[op]), ratio(oursLarge[op], ours[op]), ratio(ours[op], ceiling[op])]);
  console.log("\nOperations per second:\n");
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---").join("|")}|`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
  console.log(`\nSRP sign-in costs ${ratio(ours.InitiateAuth, ours["SRP sign-in"])} of a USER_PASSWORD_AUTH sign-in (target: within 3x).`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
