#!/usr/bin/env -S npx tsx
// `npm start`: runs the local Cognito service standalone. Flags: --port (9229), --host (127.0.0.1), --data (./.cognito),
// --region (us-east-1), --seed FILE (pools, clients, groups and users to create at start, see README), --lambda-endpoint URL
// (where pool triggers are invoked, through the AWS Lambda Invoke REST API).
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { startCognitoService } from "./index";
import { applySeed, type SeedFile } from "./seed";
import { httpLambdaInvoker } from "./lambda-invoke";

const USAGE = `Usage: npm start -- [--port 9229] [--host 127.0.0.1] [--data ./.cognito] [--region us-east-1] [--seed seed.json] [--lambda-endpoint http://127.0.0.1:3001]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "9229" },
      host: { type: "string", default: "127.0.0.1" },
      data: { type: "string", default: "./.cognito" },
      region: { type: "string", default: "us-east-1" },
      seed: { type: "string" },
      "lambda-endpoint": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number\n${USAGE}`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(values.region)) throw new Error(`--region must look like us-east-1\n${USAGE}`);
  const lambdaEndpoint = values["lambda-endpoint"];
  if (lambdaEndpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(lambdaEndpoint)) throw new Error(`--lambda-endpoint must be an http(s) URL\n${USAGE}`);
  const service = await startCognitoService({
    port, host: values.host, dataDir: values.data, region: values.region,
    ...(lambdaEndpoint ? { lambdaInvoker: httpLambdaInvoker(lambdaEndpoint) } : {}),
  });
  console.log(`Local Cognito listening on ${service.url} (region ${service.region}, data ${values.data})`);
  console.log(lambdaEndpoint ? `Triggers are invoked through the Lambda Invoke API at ${lambdaEndpoint}` : "No --lambda-endpoint: pools with triggers (LambdaConfig) fail their triggered operations with UnexpectedLambdaException");
  if (values.seed) {
    const seed = JSON.parse(fs.readFileSync(values.seed, "utf8")) as SeedFile;
    for (const line of await applySeed(service.url, service.region, seed)) console.log(line);
  }
  const stop = () => {
    service.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error((e as Error).message ?? e);
  process.exit(1);
});
