// Benchmark (not a test): what a PreSignUp trigger adds to a SignUp in the Wing simulator. Compiles
// presignup-sim-bench.main.w (one api, two Cognito instances, one with an auto-confirming PreSignUp trigger),
// starts it in the simulator, warms both paths, then runs interleaved batches of SignUp calls (timed inflight,
// per call) through a cloud.Function per instance. Prints the medians, the added cost per call and the ratio.
// Run: npm run bench:triggers:sim   (env BENCH_SIGNUPS: calls per path, default 100)
import * as os from "node:os";
import { AdminGetUserCommand, CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { Simulator } from "@winglang/sdk/lib/simulator";
import { startBenchApp } from "./sim-app";

const CALLS = Number(process.env.BENCH_SIGNUPS ?? 100);
const BATCH = 10;
const WARMUP = 5;

interface BatchFunction {
  invoke(payload?: unknown): Promise<unknown>;
}

/** The status of a user that a batch signed up, read from the instance's local service (proves the trigger ran). */
async function userStatus(sim: Simulator, authPath: string, email: string): Promise<string | undefined> {
  const attrs = sim.getResourceConfig(`${authPath}/sim/LocalCognito`).attrs;
  const idp = new CognitoIdentityProviderClient({
    region: attrs.region,
    endpoint: attrs.endpoint,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    return (await idp.send(new AdminGetUserCommand({ UserPoolId: attrs.userPoolId, Username: email }))).UserStatus;
  } finally {
    idp.destroy();
  }
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Invokes a batch function for `n` SignUps with a fresh email prefix; returns the per-call durations (ms). */
async function batch(fn: BatchFunction, n: number, prefix: string): Promise<number[]> {
  const out = await fn.invoke({ n, prefix });
  if (!Array.isArray(out) || out.some((d) => typeof d !== "number")) throw new Error(`unexpected batch result: ${JSON.stringify(out)}`);
  return out as number[];
}

async function main(): Promise<void> {
  if (!Number.isInteger(CALLS) || CALLS < 1) throw new Error(`BENCH_SIGNUPS must be a positive integer, got ${process.env.BENCH_SIGNUPS}`);
  const app = await startBenchApp("presignup-sim-bench");
  const sim = app.sim;
  try {
    const plain = sim.getResource("root/Default/plain-batch/signups") as BatchFunction;
    const triggered = sim.getResource("root/Default/trigger-batch/signups") as BatchFunction;
    const run = Date.now().toString(36);
    await batch(plain, WARMUP, `warm-plain-${run}`);
    await batch(triggered, WARMUP, `warm-trigger-${run}`);

    const plainMs: number[] = [];
    const triggerMs: number[] = [];
    for (let done = 0, round = 0; done < CALLS; done += BATCH, round++) {
      const n = Math.min(BATCH, CALLS - done);
      plainMs.push(...(await batch(plain, n, `plain-${run}-${round}`)));
      triggerMs.push(...(await batch(triggered, n, `trigger-${run}-${round}`)));
    }

    const plainStatus = await userStatus(sim, "root/Default/plain-auth", `plain-${run}-0-0@wing.cloud`);
    const triggerStatus = await userStatus(sim, "root/Default/trigger-auth", `trigger-${run}-0-0@wing.cloud`);
    if (plainStatus !== "UNCONFIRMED" || triggerStatus !== "CONFIRMED") {
      throw new Error(`PreSignUp trigger did not take effect: no trigger ${plainStatus}, trigger ${triggerStatus}`);
    }

    const a = median(plainMs);
    const b = median(triggerMs);
    console.log(`\nSignUp in the Wing simulator, ${CALLS} calls per path in interleaved batches of ${BATCH}, after ${WARMUP} warm-up (ms, inflight-timed)\n`);
    console.log("| path | median (ms) |");
    console.log("|---|---|");
    console.log(`| SignUp, no trigger | ${a.toFixed(1)} |`);
    console.log(`| SignUp, PreSignUp trigger | ${b.toFixed(1)} |`);
    console.log(`| added cost per call | ${(b - a).toFixed(1)} |`);
    console.log(`| ratio trigger/no trigger | ${(b / a).toFixed(2)}x |`);
    console.log(`\nuser status after SignUp: no trigger ${plainStatus}, PreSignUp trigger (autoConfirmUser) ${triggerStatus}`);
    console.log(`load average: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  } finally {
    await app.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
