#!/usr/bin/env -S npx tsx
// `npm start`: runs the local Cognito service standalone. Flags: --port (9229), --host (127.0.0.1), --data (./.cognito),
// --region (us-east-1), --seed FILE (pools, clients, groups and users to create at start, see README), --lambda-endpoint URL
// (where pool triggers are invoked, through the AWS Lambda Invoke REST API), --test-idp (also run the local OpenID Connect
// test identity provider, on --test-idp-port, default 9230; see README), --password-memo N (passwords proven recently
// and kept, as keyed digests in memory, to skip the verifier's arithmetic on the next sign-in; default 65536, 0: none).
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { startCognitoService } from "./index";
import { applySeed, type SeedFile } from "./seed";
import { httpLambdaInvoker } from "./lambda-invoke";
import { startTestIdp, type RunningTestIdp } from "../test-idp/server";
import { isServiceIdpResponse, TEST_IDP_CLIENT_ID, testIdpProviderDetails } from "../test-idp/wiring";

const USAGE = `Usage: npm start -- [--port 9229] [--host 127.0.0.1] [--data ./.cognito] [--region us-east-1] [--seed seed.json] [--lambda-endpoint http://127.0.0.1:3001] [--test-idp [--test-idp-port 9230]] [--password-memo 65536]`;

/**
 * Starts the test IdP next to the service. Its relying party is the service itself: client id `local-cognito`, a secret
 * kept in the data directory (so providers created earlier keep working), any pool domain's idpresponse URL.
 */
async function startStandaloneTestIdp(serviceUrl: string, host: string, port: number, dataDir: string): Promise<RunningTestIdp> {
  const file = path.join(dataDir, "test-idp.json");
  let clientSecret: string;
  try {
    clientSecret = (JSON.parse(fs.readFileSync(file, "utf8")) as { clientSecret: string }).clientSecret;
  } catch {
    clientSecret = randomBytes(32).toString("base64url");
    fs.writeFileSync(file, JSON.stringify({ clientSecret }, null, 2), { mode: 0o600 });
  }
  const idp = await startTestIdp({ host, port, log: (line) => console.log(line) });
  idp.registerClient({ clientId: TEST_IDP_CLIENT_ID, clientSecret, redirectUris: [], acceptsRedirectUri: (uri) => isServiceIdpResponse(serviceUrl, uri) });
  const details = Object.entries(testIdpProviderDetails(idp, clientSecret)).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",");
  console.log(`Add it to a pool (with a domain) as the OIDC provider TestIdP, then list TestIdP in the app client's SupportedIdentityProviders:`);
  console.log(`  aws --endpoint-url ${serviceUrl} cognito-idp create-identity-provider --user-pool-id <pool id> --provider-name TestIdP --provider-type OIDC \\`);
  console.log(`    --attribute-mapping email=email,email_verified=email_verified,name=name --provider-details '${details}'`);
  return idp;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "9229" },
      host: { type: "string", default: "127.0.0.1" },
      data: { type: "string", default: "./.cognito" },
      region: { type: "string", default: "us-east-1" },
      seed: { type: "string" },
      "lambda-endpoint": { type: "string" },
      "test-idp": { type: "boolean", default: false },
      "test-idp-port": { type: "string", default: "9230" },
      "password-memo": { type: "string" },
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
  const testIdpPort = Number(values["test-idp-port"]);
  if (!Number.isInteger(testIdpPort) || testIdpPort < 0 || testIdpPort > 65535) throw new Error(`--test-idp-port must be a port number\n${USAGE}`);
  const passwordMemo = values["password-memo"] === undefined ? undefined : Number(values["password-memo"]);
  if (passwordMemo !== undefined && !(Number.isInteger(passwordMemo) && passwordMemo >= 0)) throw new Error(`--password-memo must be a whole number >= 0\n${USAGE}`);
  const lambdaEndpoint = values["lambda-endpoint"];
  if (lambdaEndpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(lambdaEndpoint)) throw new Error(`--lambda-endpoint must be an http(s) URL\n${USAGE}`);
  const service = await startCognitoService({
    port, host: values.host, dataDir: values.data, region: values.region,
    ...(passwordMemo !== undefined ? { passwordMemo } : {}),
    ...(lambdaEndpoint ? { lambdaInvoker: httpLambdaInvoker(lambdaEndpoint) } : {}),
  });
  console.log(`Local Cognito listening on ${service.url} (region ${service.region}, data ${values.data})`);
  console.log(lambdaEndpoint ? `Triggers are invoked through the Lambda Invoke API at ${lambdaEndpoint}` : "No --lambda-endpoint: pools with triggers (LambdaConfig) fail their triggered operations with UnexpectedLambdaException");
  const testIdp = values["test-idp"] ? await startStandaloneTestIdp(service.url, values.host, testIdpPort, values.data) : undefined;
  if (values.seed) {
    const seed = JSON.parse(fs.readFileSync(values.seed, "utf8")) as SeedFile;
    for (const line of await applySeed(service.url, service.region, seed)) console.log(line);
  }
  const stop = () => {
    Promise.all([testIdp?.close(), service.close()]).then(() => process.exit(0), () => process.exit(1));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error((e as Error).message ?? e);
  process.exit(1);
});
