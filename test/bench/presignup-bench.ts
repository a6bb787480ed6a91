// `npm run bench:triggers`: what a PreSignUp trigger adds to SignUp. One in-process standalone service, two pools that
// differ only in LambdaConfig (one has a PreSignUp function, invoked through a small Lambda Invoke stand-in on
// loopback, as the trigger tests invoke theirs), N SignUp calls on each, interleaved one by one so that machine noise
// falls on both alike. Prints per-call medians, the added cost per call and the ratio. A benchmark, never a timed test.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { startCognitoService } from "../../lib/service/index";
import { httpLambdaInvoker } from "../../lib/service/lambda-invoke";
import { startLambdaStandIn } from "../support/lambda-stand-in";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const SIGN_UPS = Number(process.env.BENCH_SIGNUPS ?? 200);
const WARM_UP = Math.min(10, SIGN_UPS);
const PASSWORD = "Bench-Passw0rd!";

const median = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function main(): Promise<void> {
  const lambdas = await startLambdaStandIn();
  // The function a user would write: accept every sign-up, change nothing.
  lambdas.functions.set("PreSignUp", (event) => ({ ...event, response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false } }));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-presignup-"));
  const service = await startCognitoService({ port: 0, dataDir, log: () => {}, lambdaInvoker: httpLambdaInvoker(lambdas.url) });
  const idp = new CognitoIdentityProviderClient({ endpoint: service.url, region: service.region, credentials: { accessKeyId: "bench", secretAccessKey: "bench" } });
  try {
    const poolWith = async (LambdaConfig: Record<string, string>) => {
      const UserPoolId = (await idp.send(new CreateUserPoolCommand({ PoolName: "bench", LambdaConfig }))).UserPool!.Id!;
      return (await idp.send(new CreateUserPoolClientCommand({ UserPoolId, ClientName: "bench" }))).UserPoolClient!.ClientId!;
    };
    const withTrigger = await poolWith({ PreSignUp: lambdas.arn("PreSignUp") });
    const without = await poolWith({});
    const signUp = async (clientId: string, name: string) => {
      const started = process.hrtime.bigint();
      await idp.send(new SignUpCommand({ ClientId: clientId, Username: name, Password: PASSWORD }));
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    for (let i = 0; i < WARM_UP; i++) {
      await signUp(withTrigger, `warm-with-${i}`);
      await signUp(without, `warm-without-${i}`);
    }
    const samplesWith: number[] = [];
    const samplesWithout: number[] = [];
    for (let i = 0; i < SIGN_UPS; i++) {
      // Alternate which goes first, so neither always follows the other.
      if (i % 2 === 0) {
        samplesWith.push(await signUp(withTrigger, `with-${i}`));
        samplesWithout.push(await signUp(without, `without-${i}`));
      } else {
        samplesWithout.push(await signUp(without, `without-${i}`));
        samplesWith.push(await signUp(withTrigger, `with-${i}`));
      }
    }
    const invoked = lambdas.calls.filter((c) => c.name === "PreSignUp").length;
    if (invoked !== WARM_UP + SIGN_UPS) throw new Error(`expected ${WARM_UP + SIGN_UPS} PreSignUp invocations, saw ${invoked}`);
    const a = median(samplesWith);
    const b = median(samplesWithout);
    const pairwise = median(samplesWith.map((s, i) => s - samplesWithout[i]!));
    console.log(`SignUp x${SIGN_UPS} each, interleaved (in-process service, AWS SDK v3 client, PreSignUp through a Lambda Invoke stand-in on loopback)`);
    console.log(`  without trigger       median ${b.toFixed(2)} ms/call`);
    console.log(`  with PreSignUp        median ${a.toFixed(2)} ms/call`);
    console.log(`  added per call        ${(a - b).toFixed(2)} ms (median of pairwise differences ${pairwise.toFixed(2)} ms)`);
    console.log(`  ratio with/without    ${(a / b).toFixed(2)}x`);
  } finally {
    idp.destroy();
    await service.close();
    await lambdas.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
